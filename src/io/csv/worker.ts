/** Worker-thread entry: reads one file and posts the table back; its column arrays are shared memory, so nothing is copied. */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import type { WorkerReply } from './index.js';
import { readCsvFile } from './reader.js';
import type { CsvOptions } from './types.js';

const { path, options } = workerData as { path: string; options: CsvOptions };

try {
  const table = await readCsvFile(path, options);
  parentPort!.postMessage({ ok: true, table } satisfies WorkerReply);
} catch (error) {
  const reply: WorkerReply =
    error instanceof InputError
      ? { ok: false, error: { kind: 'input', location: error.location, detail: error.detail } }
      : {
          ok: false,
          error: {
            kind: 'other',
            name: error instanceof Error ? error.name : 'Error',
            message: error instanceof Error ? error.message : String(error),
            stack: error instanceof Error ? error.stack : undefined,
          },
        };
  parentPort!.postMessage(reply);
}
