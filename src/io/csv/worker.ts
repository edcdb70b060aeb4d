/** Worker-thread entry: reads one file and posts the table back, moving its typed arrays instead of copying them. */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../../errors.js';
import type { WorkerReply } from './index.js';
import { readCsvFile } from './reader.js';
import type { CsvOptions, ParsedTable } from './types.js';

const { path, options } = workerData as { path: string; options: CsvOptions };

function transferList(table: ParsedTable): ArrayBuffer[] {
  // Columns without numbers share one array, and a buffer may be listed only once.
  const buffers = new Set<ArrayBuffer>();
  for (const column of table.columns) {
    buffers.add(column.numbers.buffer as ArrayBuffer);
    if (column.textCodes !== null) buffers.add(column.textCodes.buffer as ArrayBuffer);
  }
  return [...buffers];
}

try {
  const table = await readCsvFile(path, options);
  parentPort!.postMessage({ ok: true, table } satisfies WorkerReply, transferList(table));
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
