import { parentPort, workerData } from 'node:worker_threads';
import { run } from '../cli/run.js';
import type { StatusCode } from '../report/model.js';

/**
 * One scheduled run of `mlobs report`, off the scheduler's thread: however long the run computes, the
 * scheduler still hears a signal at once (a second SIGTERM stops everything, even mid-run).
 */
const { args } = workerData as { args: string[] };
let stderr = '';
const statuses: StatusCode[] = [];
const code = await run(['report', ...args], {
  stdout: () => undefined,
  stderr: (t) => (stderr += t),
  color: false,
  reported: (r) => statuses.push(r.report.status.code),
});
parentPort!.postMessage({ code, stderr, statuses });
