/** Column worker thread: analyses one column per message (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { analyseColumn, type ColumnReply, type ColumnTask } from './parallel.js';

parentPort!.on('message', ({ index, ...task }: ColumnTask) => {
  let reply: ColumnReply;
  try {
    reply = { index, result: analyseColumn(task) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
