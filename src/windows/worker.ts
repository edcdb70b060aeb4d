/** Window worker thread: takes the reference as the main thread prepared it, then analyses one window per message (see parallel.ts). */
import { parentPort, workerData } from 'node:worker_threads';
import { importPrepared } from '../data/values.js';
import { MlobsError } from '../errors.js';
import type { ParsedTable } from '../io/csv/types.js';
import { analyze } from '../pipeline.js';
import type { WindowReply, WindowWorkerData } from './parallel.js';

const { reference, prepared, options } = workerData as WindowWorkerData;
importPrepared(reference.columns, prepared);

async function analyseWindow(index: number, table: ParsedTable): Promise<void> {
  let reply: WindowReply;
  try {
    const { driftThreads: _, ...body } = await analyze(reference, table, { ...options, parallel: false });
    reply = { index, body };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { index, error: { name: err.name, message: err.message, stack: err.stack, user: err instanceof MlobsError } };
  }
  parentPort!.postMessage(reply);
}

parentPort!.on('message', ({ index, table }: { index: number; table: ParsedTable }) => void analyseWindow(index, table));
