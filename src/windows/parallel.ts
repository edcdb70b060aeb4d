import { Worker } from 'node:worker_threads';
import type { ParsedTable } from '../io/csv/types.js';
import type { Report } from '../report/model.js';
import type { AnalyzeOptions } from '../pipeline.js';
import { exportPrepared, type PreparedColumn } from '../data/values.js';
import { poolThreads, settleOnce, workerScript } from '../workers.js';

export type WindowBody = Omit<Report, 'run'>;
/** A window's report, or why it could not be analysed (a user-facing error: the window is not judged). */
export type WindowOutcome = { body: WindowBody } | { reason: string };

/** What the window worker is started with: the reference, what this thread prepared of it, how to analyse (see worker.ts). */
export interface WindowWorkerData {
  reference: ParsedTable;
  prepared: (PreparedColumn | null)[];
  options: AnalyzeOptions;
}
export type WindowReply = { index: number; body: WindowBody } | { index: number; error: { name: string; message: string; stack?: string; user: boolean } };

/** Below this many reference values per window, a worker's own copy of the prepared reference costs more than it saves. */
const MIN_PARALLEL_VALUES = 5_000_000;

/**
 * Analyses `count` windows on this thread and, for big inputs, worker threads, each taking the next window
 * from one queue. This thread analyses the first window alone: that prepares the whole reference here (the
 * whole report left part of it to the drift workers), and the workers start with a copy of that preparation
 * (sorted columns, profiles, row checks) instead of redoing it. A window's table is gathered only when a
 * thread takes it, so at most one per thread is alive. With workers, this thread's windows start no drift
 * workers of their own: every core already has a window, and a drift worker would sort and profile its
 * columns of the reference again (it has not the prepared copy), per window.
 */
export function runWindows(
  count: number,
  table: (i: number) => ParsedTable,
  reference: ParsedTable,
  options: AnalyzeOptions,
  here: (current: ParsedTable, index: number, driftWorkers: boolean) => Promise<WindowOutcome>,
): Promise<WindowOutcome[]> {
  const values = reference.rowCount * reference.columns.length * count;
  const threads = poolThreads(count);
  const script = options.parallel !== false && threads >= 2 && values >= MIN_PARALLEL_VALUES ? workerScript(import.meta.url, './worker.js') : null;
  return (async () => {
    const outcomes = new Array<WindowOutcome>(count);
    if (count === 0) return outcomes;
    outcomes[0] = await here(table(0), 0, !script);
    if (!script) {
      for (let i = 1; i < count; i++) outcomes[i] = await here(table(i), i, true);
      return outcomes;
    }
    const alone = (current: ParsedTable, index: number) => here(current, index, false);
    return withWorkers(outcomes, table, script, { reference, prepared: exportPrepared(reference.columns), options }, threads, alone);
  })();
}

/** Windows 1.. of `outcomes` on this thread and `threads - 1` workers (window 0 is done). */
function withWorkers(
  outcomes: WindowOutcome[],
  table: (i: number) => ParsedTable,
  script: URL,
  data: WindowWorkerData,
  threads: number,
  here: (current: ParsedTable, index: number) => Promise<WindowOutcome>,
): Promise<WindowOutcome[]> {
  const count = outcomes.length;
  let next = 1;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let done = 1;
    const pool = settleOnce(workers, () => outcomes, resolve, reject);
    const { finish } = pool;
    const record = (index: number, outcome: WindowOutcome) => {
      outcomes[index] = outcome;
      if (++done === count) finish();
    };
    const feed = (worker: Worker) => {
      if (next < count && !pool.over) {
        const index = next++;
        worker.postMessage({ index, table: table(index) });
      }
    };
    // This thread's share: one window at a time, yielding between windows so worker replies get handled.
    const work = () => {
      if (pool.over || next >= count) return;
      const index = next++;
      here(table(index), index).then(
        (outcome) => {
          record(index, outcome);
          setImmediate(work);
        },
        (e: Error) => finish(e),
      );
    };
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(script, { workerData: data });
      workers.push(worker);
      worker.on('message', (reply: WindowReply) => {
        if ('error' in reply) {
          const { name, message, stack, user } = reply.error;
          if (!user) return finish(Object.assign(new Error(message), { name, stack }));
          record(reply.index, { reason: message });
        } else record(reply.index, { body: reply.body });
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      feed(worker);
    }
    setImmediate(work);
  });
}
