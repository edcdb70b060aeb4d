/** Drift worker thread: scores one column per message (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { scoreColumn } from './dataset.js';
import type { DriftReply, DriftTask } from './parallel.js';

parentPort!.on('message', ({ index, plan, options }: DriftTask) => {
  let reply: DriftReply;
  try {
    reply = { index, outcome: scoreColumn(plan, options) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
