import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ColumnPlan } from '../data/typing.js';
import { releaseValues } from '../data/values.js';
import { UsageError } from '../errors.js';
import { profileColumn, type ColumnQuality } from '../quality/profile.js';
import { workerScript } from '../workers.js';
import { driftColumns, scoreColumn, summarizeDrift, type ColumnOutcome } from './dataset.js';
import type { DriftOptions } from './options.js';

/** Below this many values in all columns together, starting threads costs more than it saves. */
const MIN_PARALLEL_VALUES = 1_000_000;
const MAX_THREADS = 4;

export interface ColumnTask {
  index: number;
  plan: ColumnPlan;
  options: DriftOptions;
  /** Score drift too (the column is one of the dataset-drift columns), not only its data quality. */
  drift: boolean;
}

export interface ColumnResult {
  quality: ColumnQuality;
  drift?: ColumnOutcome;
}

export type ColumnReply =
  | { index: number; result: ColumnResult }
  | { index: number; error: { name: string; message: string; stack?: string } };

/**
 * Everything computed per column, in one visit: data quality of both sides first, then drift, which finds
 * the numeric sides already sorted. The column's cached copies are dropped when it is done.
 */
export function analyseColumn({ plan, options, drift }: Omit<ColumnTask, 'index'>): ColumnResult {
  try {
    const quality = profileColumn(plan);
    return drift ? { quality, drift: scoreColumn(plan, options) } : { quality };
  } finally {
    releaseValues(plan.ref, plan.cur);
  }
}

function values(plan: ColumnPlan): number {
  return (plan.ref?.numbers.length ?? 0) + (plan.cur?.numbers.length ?? 0);
}

/**
 * Analyses columns on `threads` threads: this one and `threads - 1` workers, all taking the next column from
 * one queue, biggest (numeric, since they sort) first. Column arrays are shared memory, so a task carries no
 * data copy, and working here too saves a whole worker isolate (about 30 MB) against the memory budget.
 */
function analyseInWorkers(script: URL, tasks: Omit<ColumnTask, 'index'>[], threads: number): Promise<ColumnResult[]> {
  const order = tasks
    .map((task, index) => ({ task, index, cost: values(task.plan) * (task.plan.type === 'num' ? 2 : 1) }))
    .sort((a, b) => b.cost - a.cost);
  const results = new Array<ColumnResult>(tasks.length);
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
      else resolve(results);
    };
    const record = (index: number, result: ColumnResult) => {
      results[index] = result;
      if (++done === tasks.length) finish();
    };
    const feed = (worker: Worker) => {
      if (next < order.length) {
        const { index, task } = order[next++];
        worker.postMessage({ index, ...task } satisfies ColumnTask);
      }
    };
    for (let t = 1; t < threads; t++) {
      const worker = new Worker(script);
      workers.push(worker);
      worker.on('message', (reply: ColumnReply) => {
        if ('error' in reply) {
          const { name, message, stack } = reply.error;
          finish(name === 'UsageError' ? new UsageError(message) : Object.assign(new Error(message), { name, stack }));
          return;
        }
        record(reply.index, reply.result);
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      feed(worker);
    }
    // This thread's share: one column at a time, yielding between columns so worker replies get handled.
    const work = () => {
      if (failed || next >= order.length) return;
      const { index, task } = order[next++];
      try {
        record(index, analyseColumn(task));
      } catch (e) {
        finish(e as Error);
        return;
      }
      setImmediate(work);
    };
    setImmediate(work);
  });
}

/**
 * Data quality of every column and dataset drift, spread over worker threads when the data is big enough to
 * gain from it. `quality` is in plan order.
 */
export async function computeColumns(plans: ColumnPlan[], options: DriftOptions, { parallel = true }: { parallel?: boolean } = {}) {
  const driftPlans = driftColumns(plans);
  const scored = new Set(driftPlans);
  const tasks = plans.map((plan) => ({ plan, options, drift: scored.has(plan) }));
  const threads = Math.min(availableParallelism(), MAX_THREADS, plans.length);
  const total = plans.reduce((sum, p) => sum + values(p), 0);
  const script = parallel && threads >= 2 && total >= MIN_PARALLEL_VALUES ? workerScript(import.meta.url, './worker.js') : null;
  const results = script ? await analyseInWorkers(script, tasks, threads) : tasks.map(analyseColumn);
  const byPlan = new Map(plans.map((plan, k) => [plan, results[k]]));
  const outcomes = driftPlans.map((plan) => byPlan.get(plan)!.drift!);
  return { ...summarizeDrift(outcomes, options), quality: results.map((r) => r.quality), threads: script ? threads : 1 };
}
