import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { getAsset } from 'node:sea';
import { pathToFileURL } from 'node:url';

/**
 * Injected into the standalone binary's bundle. Modules find package files (package.json, templates/,
 * chart.js's browser build) relative to their own URL; in the binary those files are SEA assets, so they
 * are written once into a per-user cache directory laid out like the installed package, and every
 * `import.meta.url` becomes the URL its module would have there. No compiled worker script lands there,
 * so work that would go to worker threads stays in the main thread (src/workers.ts).
 */
/** The assets' paths as JSON, and a hash of their contents: defined at build time. */
declare const MLOBS_SEA_ASSETS: string;
declare const MLOBS_SEA_HASH: string;

let root: string | undefined;

function extract(dir: string): void {
  for (const name of JSON.parse(MLOBS_SEA_ASSETS) as string[]) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), new Uint8Array(getAsset(name)));
  }
  writeFileSync(join(dir, '.complete'), '');
}

/** The cache is named by the assets' hash, so a binary never reads another build's files. */
function packageRoot(): string {
  const cache = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'mlobs');
  const dir = join(cache, `binary-${MLOBS_SEA_HASH}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  try {
    mkdirSync(cache, { recursive: true, mode: 0o700 });
    const tmp = mkdtempSync(join(cache, 'extracting-'));
    extract(tmp);
    try {
      renameSync(tmp, dir);
    } catch {
      // Another process extracted the same files first; theirs serve as well.
      rmSync(tmp, { recursive: true, force: true });
    }
    return dir;
  } catch {
    // No writable home (a locked-down container): a private directory for this process only.
    const own = mkdtempSync(join(tmpdir(), 'mlobs-binary-'));
    process.on('exit', () => rmSync(own, { recursive: true, force: true }));
    extract(own);
    return own;
  }
}

export function mlobsModuleUrl(path: string): string {
  root ??= pathToFileURL(`${packageRoot()}/`).href;
  return new URL(path, root).href;
}
