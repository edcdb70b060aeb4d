import { Worker } from 'node:worker_threads';
import { InputError, type InputLocation } from '../../errors.js';
import { workerScript } from '../../workers.js';
import { checkOptions, readCsvFile } from './reader.js';
import type { CsvOptions, ParsedTable } from './types.js';

export type { CsvOptions, ParsedColumn, ParsedTable } from './types.js';

/**
 * The tokens pandas 1.5's read_csv treats as missing by default (`STR_NA_VALUES` in pandas/_libs/parsers.pyx).
 * 'None' joined that set only in pandas 2.0, so here it is text.
 */
export const DEFAULT_NA_VALUES: readonly string[] = Object.freeze([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'n/a',
  'nan',
  'null',
]);

/** Reads one CSV file into columns in the calling thread. */
export function readCsv(path: string, options: CsvOptions): Promise<ParsedTable> {
  return readCsvFile(path, options);
}

/** What a worker posts back: the table (its arrays transferred), or enough of an error to rebuild it. */
export type WorkerReply =
  | { ok: true; table: ParsedTable }
  | { ok: false; error: { kind: 'input'; location: InputLocation; detail: string } | { kind: 'other'; name: string; message: string; stack?: string } };

/**
 * Reads several files at once, one worker thread per file, when `parallel` is not false and the compiled worker
 * script sits next to this module; otherwise (a single file, TypeScript sources, a bundle) one after another in
 * this thread. On failure, the error of the first failing file in `paths` order is thrown.
 */
export async function readCsvFiles(
  paths: string[],
  options: CsvOptions,
  { parallel = true }: { parallel?: boolean } = {},
): Promise<ParsedTable[]> {
  checkOptions(options);
  const script = parallel && paths.length > 1 ? workerScript(import.meta.url, './worker.js') : null;
  if (script === null) {
    const tables: ParsedTable[] = [];
    for (const path of paths) tables.push(await readCsv(path, options));
    return tables;
  }
  const results = await Promise.allSettled(paths.map((path) => readInWorker(script, path, options)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<ParsedTable>).value);
}

function readInWorker(script: URL, path: string, options: CsvOptions): Promise<ParsedTable> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const worker = new Worker(script, { workerData: { path, options } });
    worker.once('message', (reply: WorkerReply) => {
      settled = true;
      if (reply.ok) {
        resolve(reply.table);
      } else if (reply.error.kind === 'input') {
        reject(new InputError(reply.error.location, reply.error.detail));
      } else {
        const error = new Error(reply.error.message);
        error.name = reply.error.name;
        error.stack = reply.error.stack;
        reject(error);
      }
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the CSV worker for ${path} exited with code ${code} without a result`));
    });
  });
}
