import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh temporary directory, removed after the test file (test/setup.ts). */
export function tempDir(prefix = 'mlobs-test-'): string {
  // A worker that exits without running afterAll (a failed hook, a timeout) still removes what it made.
  if (made.length === 0) process.once('exit', removeTempDirs);
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  process.removeListener('exit', removeTempDirs);
  for (const dir of made.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
    // A directory given twice as --out becomes a link to the runs beside it (src/io/atomic.ts).
    rmSync(`${dir}.runs`, { recursive: true, force: true });
  }
}
