import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The compiled worker script `name` next to the module at `moduleUrl`, or null where there is none to start:
 * running from TypeScript sources (tests) or from a single-file bundle. Callers then work in this thread.
 */
export function workerScript(moduleUrl: string, name: string): URL | null {
  try {
    const url = new URL(name, moduleUrl);
    return url.protocol === 'file:' && url.pathname.endsWith('.js') && existsSync(fileURLToPath(url)) ? url : null;
  } catch {
    return null;
  }
}
