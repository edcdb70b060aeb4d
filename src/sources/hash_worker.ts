/** Hashes files back to back off the main thread (see `fingerprint` in parquet.ts). */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const hash = createHash('sha256');
const buffer = Buffer.allocUnsafe(1 << 20);
let bytes = 0;
try {
  for (const file of workerData as string[]) {
    const fd = openSync(file, 'r');
    try {
      for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0; bytes += n) hash.update(buffer.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }
  parentPort!.postMessage({ bytes, sha256: hash.digest('hex') });
} catch (e) {
  parentPort!.postMessage({ error: String((e as Error)?.message ?? e) });
}
