/** Analysis worker thread: runs one task per message (see parallel.ts). */
import { parentPort } from 'node:worker_threads';
import { runTask, type WorkerReply, type WorkerTask } from './parallel.js';

parentPort!.on('message', (task: WorkerTask) => {
  let reply: WorkerReply;
  try {
    reply = { result: runTask(task) };
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    reply = { error: { name: err.name, message: err.message, stack: err.stack } };
  }
  parentPort!.postMessage(reply);
});
