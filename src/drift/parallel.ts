import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ColumnPlan } from '../data/typing.js';
import { UsageError } from '../errors.js';
import { workerScript } from '../workers.js';
import { driftColumns, scoreColumn, summarizeDrift, type ColumnOutcome } from './dataset.js';
import type { DriftOptions } from './options.js';

/** Below this many values in all drift columns together, starting threads costs more than it saves. */
const MIN_PARALLEL_VALUES = 1_000_000;
const MAX_THREADS = 4;

export interface DriftTask {
  index: number;
  plan: ColumnPlan;
  options: DriftOptions;
}

export type DriftReply =
  | { index: number; outcome: ColumnOutcome }
  | { index: number; error: { name: string; message: string; stack?: string } };

function values(plan: ColumnPlan): number {
  return (plan.ref?.numbers.length ?? 0) + (plan.cur?.numbers.length ?? 0);
}

/**
 * Scores columns on `threads` threads: this one and `threads - 1` workers, all taking the next column from one
 * queue, biggest (numeric, since they sort) first. Column arrays are shared memory, so a task carries no data
 * copy, and working here too saves a whole worker isolate (about 30 MB) against the memory budget.
 */
function scoreInWorkers(script: URL, plans: ColumnPlan[], options: DriftOptions, threads: number): Promise<ColumnOutcome[]> {
  const order = plans
    .map((plan, index) => ({ plan, index, cost: values(plan) * (plan.type === 'num' ? 2 : 1) }))
    .sort((a, b) => b.cost - a.cost);
  const outcomes = new Array<ColumnOutcome>(plans.length);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const finish = (error?: Error) => {
      if (failed) return;
      if (error) failed = true;
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(outcomes);
    };
    const record = (index: number, outcome: ColumnOutcome) => {
      outcomes[index] = outcome;
      if (++done === plans.length) finish();
    };
    const feed = (worker: Worker) => {
      if (next < order.length) {
        const { index, plan } = order[next++];
        worker.postMessage({ index, plan, options } satisfies DriftTask);
      }
    };
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (reply: DriftReply) => {
        if ('error' in reply) {
          const { name, message, stack } = reply.error;
          finish(name === 'UsageError' ? new UsageError(message) : Object.assign(new Error(message), { name, stack }));
          return;
        }
        record(reply.index, reply.outcome);
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      feed(worker);
    }
    // This thread's share: one column at a time, yielding between columns so worker replies get handled.
    const work = () => {
      if (failed || next >= order.length) return;
      const { index, plan } = order[next++];
      try {
        record(index, scoreColumn(plan, options));
      } catch (e) {
        finish(e as Error);
        return;
      }
      setImmediate(work);
    };
    setImmediate(work);
  });
}

/** Dataset drift, spread over worker threads when the data is big enough to gain from it. */
export async function computeDrift(plans: ColumnPlan[], options: DriftOptions, { parallel = true }: { parallel?: boolean } = {}) {
  const columns = driftColumns(plans);
  const threads = Math.min(availableParallelism(), MAX_THREADS, columns.length);
  const total = columns.reduce((sum, p) => sum + values(p), 0);
  const script = parallel && threads >= 2 && total >= MIN_PARALLEL_VALUES ? workerScript(import.meta.url, './worker.js') : null;
  const outcomes = script ? await scoreInWorkers(script, columns, options, threads) : columns.map((p) => scoreColumn(p, options));
  return { ...summarizeDrift(outcomes, options), threads: script ? threads : 1 };
}
