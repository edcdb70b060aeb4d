/** Analysis worker thread: runs one task per message (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { runTask, type WorkerReply, type WorkerTask } from './parallel.js';

parentPort!.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { kind: task.kind, index: task.index, result: runTask(task) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { kind: task.kind, index: task.index, error: { name: err.name, message: err.message, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
