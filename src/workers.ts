import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';

/**
 * Worker threads a pool may start for `tasks` pieces of work: one per core, at most four (past four the
 * per-thread memory grows faster than the time falls), never more than there is work.
 */
export function poolThreads(tasks: number): number {
  return Math.min(availableParallelism(), 4, tasks);
}

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

/**
 * The end of a worker pool's promise, settled once: `finish(error)` rejects, `finish()` resolves with
 * `result()`, and either terminates every worker. Later calls (a second failure, a reply already in flight)
 * do nothing, and `over` tells the pool to hand out no more work.
 */
export function settleOnce<T>(workers: readonly Worker[], result: () => T, resolve: (value: T) => void, reject: (error: Error) => void) {
  let over = false;
  return {
    finish(error?: Error): void {
      if (over) return;
      over = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(result());
    },
    get over(): boolean {
      return over;
    },
  };
}
