// Builds the standalone executable dist/mlobs-<platform>-<arch> with Node's single executable applications
// (conventions.md §D7): esbuild bundles the CLI into one CommonJS file, `node --experimental-sea-config` turns
// it into a blob, and postject injects the blob into a copy of the node binary running this script. Nothing
// is downloaded. Prints one JSON line: the binary's path, size and build time. `--out PATH` writes the binary
// there instead (the tests build straight into a temporary directory rather than copying ~100 MB out of dist/).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { inject } = require('postject');
const SENTINEL_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const started = performance.now();

if (!['linux', 'darwin'].includes(process.platform)) throw new Error(`build:binary supports Linux and macOS, not ${process.platform}`);
const outFlag = process.argv.indexOf('--out');
const output = outFlag > 0 ? resolve(process.argv[outFlag + 1]) : join(ROOT, 'dist', `mlobs-${process.platform}-${process.arch}`);

function walk(dir) {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Files the code reads at run time beside its modules, by their path in the installed package: the version
 * from package.json, the HTML templates, and chart.js as the HTML writer resolves and reads it.
 */
const chartJs = relative(ROOT, require.resolve('chart.js'));
const ASSETS = [
  'package.json',
  ...walk('templates'),
  join(dirname(dirname(chartJs)), 'package.json'),
  chartJs,
  join(dirname(chartJs), 'chart.umd.min.js'),
];
const hash = createHash('sha256');
for (const name of ASSETS) hash.update(name).update(readFileSync(join(ROOT, name)));

/** Each source module's import.meta.url becomes the URL it would have in the installed package (see runtime.ts). */
const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const url = JSON.stringify(`dist/${relative(join(ROOT, 'src'), args.path).replace(/\\/g, '/').replace(/\.ts$/, '.js')}`);
      return { contents: source.replaceAll('import.meta.url', `mlobsModuleUrl(${url})`), loader: 'ts' };
    });
  },
};

const work = mkdtempSync(join(tmpdir(), 'mlobs-sea-'));
try {
  const bundle = join(work, 'mlobs.cjs');
  const result = await build({
    stdin: { contents: "import { main } from './src/cli/main.ts';\nvoid main();\n", resolveDir: ROOT, sourcefile: 'sea-main.ts', loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    inject: [join(ROOT, 'scripts/sea/runtime.ts')],
    alias: {
      '@napi-rs/canvas': join(ROOT, 'scripts/sea/no-canvas.ts'),
      '@duckdb/node-api': join(ROOT, 'scripts/sea/no-duckdb.ts'),
      '@duckdb/node-bindings': join(ROOT, 'scripts/sea/no-duckdb.ts'),
    },
    define: { MLOBS_SEA_ASSETS: JSON.stringify(JSON.stringify(ASSETS)), MLOBS_SEA_HASH: JSON.stringify(hash.digest('hex').slice(0, 16)) },
    plugins: [moduleUrls],
    logLevel: 'warning',
  });
  if (result.errors.length > 0) process.exit(1);

  const blob = join(work, 'sea.blob');
  const config = {
    main: bundle,
    output: blob,
    disableExperimentalSEAWarning: true,
    useCodeCache: true,
    assets: Object.fromEntries(ASSETS.map((name) => [name, join(ROOT, name)])),
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 2));
  // Its one line of success talk goes; a failure still throws with node's message.
  execFileSync(process.execPath, ['--experimental-sea-config', join(work, 'sea-config.json')], { stdio: 'pipe' });

  mkdirSync(dirname(output), { recursive: true });
  rmSync(output, { force: true });
  copyFileSync(process.execPath, output);
  chmodSync(output, 0o755);
  // macOS refuses a binary whose signature no longer matches; re-sign it ad hoc after injecting.
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', output]);
  // postject reports ELF sections it does not know on stderr; they are harmless.
  const quiet = console.warn;
  console.warn = () => undefined;
  try {
    await inject(output, 'NODE_SEA_BLOB', readFileSync(blob), {
      sentinelFuse: SENTINEL_FUSE,
      ...(process.platform === 'darwin' ? { machoSegmentName: 'NODE_SEA' } : {}),
    });
  } finally {
    console.warn = quiet;
  }
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', output]);
  const seconds = Math.round(performance.now() - started) / 1000;
  console.log(JSON.stringify({ binary: relative(ROOT, output), bytes: statSync(output).size, build_s: seconds }));
} finally {
  rmSync(work, { recursive: true, force: true });
}
