import { Worker } from 'node:worker_threads';
import type { ColumnPlan } from '../data/typing.js';
import { releaseValues } from '../data/values.js';
import { UsageError } from '../errors.js';
import { describeColumns } from '../quality/columns.js';
import { profileColumn, type ColumnQuality } from '../quality/profile.js';
import type { ColumnInfo } from '../report/model.js';
import { rowChecks, type RowChecks, type RowChecksInput } from '../quality/summary.js';
import { poolThreads, settleOnce, workerScript } from '../workers.js';
import { driftColumns, scoreColumn, summarizeDrift, type ColumnOutcome } from './dataset.js';
import type { DriftOptions } from './options.js';

/** Below this many values in all columns together, starting threads costs more than it saves. */
const MIN_PARALLEL_VALUES = 1_000_000;

/**
 * Inputs this big usually hold the million values that make the analysis use workers (a CSV value takes 4 to 16
 * bytes); a worker started for fewer values is ended unused.
 */
const PRESTART_BYTES = 4 << 20;

/** Workers started while the inputs are read (prestartWorkers), for the next pool to take instead of new ones. */
let warm: Worker[] = [];

/**
 * Starts the analysis workers of the pool to come while inputs of `inputBytes` are still being read: loading a worker's
 * modules takes about 150 ms, which the reading threads' waits absorb instead of the analysis, whose first
 * columns would otherwise run on this thread alone. Unreferenced until taken, so they never keep the process
 * alive; a run that ends up needing no workers ends them (analysePlans).
 */
export function prestartWorkers(inputBytes: number): void {
  const script = inputBytes >= PRESTART_BYTES ? workerScript(import.meta.url, './worker.js') : null;
  if (!script) return;
  while (warm.length < poolThreads(Infinity) - 1) {
    const worker = new Worker(script);
    worker.unref();
    warm.push(worker);
  }
}

function takeWorker(script: URL): Worker {
  const worker = warm.pop();
  if (!worker) return new Worker(script);
  worker.ref();
  return worker;
}

function endWarmWorkers(): void {
  for (const worker of warm) void worker.terminate();
  warm = [];
}

export interface ColumnTask {
  plan: ColumnPlan;
  options: DriftOptions;
  /** Score drift too (the column is one of the dataset-drift columns), not only its data quality. */
  drift: boolean;
}

export interface ColumnResult {
  quality: ColumnQuality;
  drift?: ColumnOutcome;
}

/** What a worker is asked to do: analyse one column, or run the row checks of one file. */
export type WorkerTask = { kind: 'column'; index: number; task: ColumnTask } | { kind: 'rows'; index: number; input: RowChecksInput };

export type WorkerReply =
  | { kind: WorkerTask['kind']; index: number; result: ColumnResult | RowChecks }
  | { kind: WorkerTask['kind']; index: number; error: { name: string; message: string; stack?: string } };

export function runTask(t: WorkerTask): ColumnResult | RowChecks {
  return t.kind === 'column' ? analyseColumn(t.task) : rowChecks(t.input);
}

/**
 * Everything computed per column, in one visit: data quality of both sides first, then drift, which finds
 * the numeric sides already sorted. The column's cached copies are dropped when it is done.
 */
export function analyseColumn({ plan, options, drift }: ColumnTask): ColumnResult {
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
 * The row checks need every column's profile, so they are queued once the last column is in, one task per
 * file, and run on two threads instead of leaving the workers idle while this one does them all.
 */
function analyseInWorkers(
  script: URL,
  tasks: ColumnTask[],
  threads: number,
  rowInputs: (quality: ColumnQuality[]) => RowChecksInput[],
  mainThread = true,
): Promise<{ columns: ColumnResult[]; rows: RowChecks[] }> {
  const queue: WorkerTask[] = tasks
    .map((task, index) => ({ task, index, cost: values(task.plan) * (task.plan.type === 'num' ? 2 : 1) }))
    .sort((a, b) => b.cost - a.cost)
    .map(({ task, index }) => ({ kind: 'column', index, task }));
  const columns = new Array<ColumnResult>(tasks.length);
  let rows: RowChecks[] = [];
  let pending = tasks.length;
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    const idle: Worker[] = [];
    let next = 0;
    let working = false;
    const pool = settleOnce(workers, () => ({ columns, rows }), resolve, reject);
    const { finish } = pool;
    const feed = (worker: Worker) => {
      if (next < queue.length) worker.postMessage(queue[next++]);
      else if (!idle.includes(worker)) idle.push(worker);
    };
    // This thread's row-check task, kept from the workers: one holding its next task already would take both.
    let reserved: WorkerTask | undefined;
    // This thread's share: one task at a time, yielding between tasks so worker replies get handled.
    const work = () => {
      working = false;
      const task = pool.over ? undefined : (reserved ?? (next < queue.length ? queue[next++] : undefined));
      reserved = undefined;
      if (!task) return;
      let result: ColumnResult | RowChecks;
      try {
        result = runTask(task);
      } catch (e) {
        finish(e as Error);
        return;
      }
      record(task.kind, task.index, result);
      schedule();
    };
    const schedule = () => {
      if (working || !mainThread) return;
      working = true;
      setImmediate(work);
    };
    const record = (kind: WorkerTask['kind'], index: number, result: ColumnResult | RowChecks) => {
      if (kind === 'column') columns[index] = result as ColumnResult;
      else rows[index] = result as RowChecks;
      if (--pending > 0) return;
      if (kind === 'rows') return finish();
      let inputs: RowChecksInput[];
      try {
        inputs = rowInputs(columns.map((c) => c.quality));
      } catch (e) {
        return finish(e as Error);
      }
      rows = new Array<RowChecks>(inputs.length);
      pending = inputs.length;
      if (pending === 0) return finish();
      const rowTasks = inputs.map((input, index): WorkerTask => ({ kind: 'rows', index, input }));
      if (mainThread) reserved = rowTasks.shift();
      queue.push(...rowTasks);
      for (const worker of idle.splice(0)) feed(worker);
      schedule();
    };
    for (let t = mainThread ? 1 : 0; t < threads; t++) {
      const worker = takeWorker(script);
      workers.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        if ('error' in reply) {
          const { name, message, stack } = reply.error;
          finish(name === 'UsageError' ? new UsageError(message) : Object.assign(new Error(message), { name, stack }));
          return;
        }
        record(reply.kind, reply.index, reply.result);
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      // With this thread working too, each worker holds its next task already: a reply waits while this thread
      // runs a column of its own, and a worker given its next task only then would sit idle meanwhile.
      for (let queued = 0; queued < (mainThread ? 2 : 1); queued++) feed(worker);
    }
    schedule();
  });
}

interface Queued {
  task: WorkerTask;
  cost: number;
  resolve: (result: ColumnResult | RowChecks) => void;
  reject: (error: Error) => void;
}

/**
 * Tasks handed out as they arrive, to worker threads and, once `helpHere()` is called, this thread too: for
 * columns analysed while later ones are still being read. Without workers this thread takes them from the
 * start, between its other work. `close()` must be called (in a `finally`): it stops the workers.
 */
export class TaskPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly running = new Map<Worker, Queued>();
  /** Waiting tasks, costliest (numeric, since they sort) first. */
  private readonly queue: Queued[] = [];
  private here: boolean;
  private scheduled = false;
  private closed = false;

  constructor(script: URL | null, workers: number) {
    this.here = script === null || workers === 0;
    for (let t = 0; script && t < workers; t++) {
      const worker = new Worker(script);
      this.workers.push(worker);
      this.idle.push(worker);
      worker.on('message', (reply: WorkerReply) => {
        const entry = this.running.get(worker);
        // A reply in flight when the pool failed or closed: its task was rejected already.
        if (!entry) return;
        this.running.delete(worker);
        if ('error' in reply) {
          const { name, message, stack } = reply.error;
          entry.reject(name === 'UsageError' ? new UsageError(message) : Object.assign(new Error(message), { name, stack }));
        } else entry.resolve(reply.result);
        this.idle.push(worker);
        this.dispatch();
      });
      worker.on('error', (error) => {
        // A worker that died takes no more tasks; the others, and this thread once it helps, finish the queue.
        for (const list of [this.workers, this.idle]) if (list.includes(worker)) list.splice(list.indexOf(worker), 1);
        this.fail(error);
      });
    }
  }

  run(task: WorkerTask): Promise<ColumnResult | RowChecks> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the analysis pool is closed'));
      const cost = task.kind === 'column' ? values(task.task.plan) * (task.task.plan.type === 'num' ? 2 : 1) : 0;
      const at = this.queue.findIndex((q) => q.cost < cost);
      this.queue.splice(at < 0 ? this.queue.length : at, 0, { task, cost, resolve, reject });
      this.dispatch();
    });
  }

  /** This thread is free: it takes tasks too from now on. */
  helpHere(): void {
    this.here = true;
    this.dispatch();
  }

  /** Threads that analyse once this one helps. */
  get threads(): number {
    return this.workers.length + 1;
  }

  close(): void {
    this.closed = true;
    for (const w of this.workers) void w.terminate();
    this.fail(new Error('the analysis pool is closed'));
  }

  private fail(error: Error): void {
    for (const entry of [...this.queue.splice(0), ...this.running.values()]) entry.reject(error);
    this.running.clear();
  }

  private dispatch(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const worker = this.idle.pop()!;
      const entry = this.queue.shift()!;
      this.running.set(worker, entry);
      worker.postMessage(entry.task);
    }
    if (this.here && !this.scheduled && this.queue.length > 0) {
      this.scheduled = true;
      // One task at a time, yielding between tasks so worker replies and reads get handled.
      setImmediate(() => {
        this.scheduled = false;
        const entry = this.queue.shift();
        if (!entry) return;
        try {
          entry.resolve(runTask(entry.task));
        } catch (e) {
          entry.reject(e as Error);
        }
        this.dispatch();
      });
    }
  }
}

/** Worker threads for analysing `plans` besides this one: none when parallel is off or the data is too small to gain. */
export function poolWorkers(columns: number, cells: number, parallel: boolean): { script: URL | null; workers: number } {
  const threads = poolThreads(columns);
  const script = parallel && threads >= 2 && cells >= MIN_PARALLEL_VALUES ? workerScript(import.meta.url, './worker.js') : null;
  return { script, workers: script ? threads - 1 : 0 };
}

/**
 * Columns whose values are fetched only now (from a database): one column at a time, in this thread, the next
 * one's query already running while this one is analysed, so at most two columns' values are alive. The columns
 * section is described while the values are at hand; afterwards only the results are kept.
 */
async function analyseLoaded(tasks: ColumnTask[], load: (plan: ColumnPlan) => Promise<ColumnPlan>) {
  const results: ColumnResult[] = [];
  const described: ColumnInfo[] = [];
  const prefetch = (k: number) => {
    const next = k < tasks.length ? load(tasks[k].plan) : undefined;
    // Awaited in the next round; a failure while this column is analysed must not be an unhandled rejection.
    next?.catch(() => undefined);
    return next;
  };
  let next = prefetch(0);
  for (let k = 0; k < tasks.length; k++) {
    const plan = (await next)!;
    next = prefetch(k + 1);
    const result = analyseColumn({ ...tasks[k], plan });
    results.push(result);
    described.push(...describeColumns([plan], [result.quality]));
  }
  return { results, described };
}

/** One task per plan; the dataset-drift columns are scored too. */
export function columnTasks(plans: ColumnPlan[], options: DriftOptions): ColumnTask[] {
  const scored = new Set(driftColumns(plans));
  return plans.map((plan) => ({ plan, options, drift: scored.has(plan) }));
}

/**
 * Data quality of every column, the row checks of the files `rowInputs` describes from those profiles, and
 * each drift column's outcome, spread over worker threads when the data is big enough to gain from it.
 * `offMainThread` leaves this thread free (for reading the next batch of columns meanwhile). `results` is in plan order.
 */
export async function analysePlans(
  plans: ColumnPlan[],
  options: DriftOptions,
  rowInputs: (quality: ColumnQuality[]) => RowChecksInput[],
  { parallel = true, offMainThread = false }: { parallel?: boolean; offMainThread?: boolean } = {},
): Promise<{ results: ColumnResult[]; rows: RowChecks[]; threads: number }> {
  const tasks = columnTasks(plans, options);
  const threads = poolThreads(plans.length);
  const total = plans.reduce((sum, p) => sum + values(p), 0);
  const script = parallel && (offMainThread || (threads >= 2 && total >= MIN_PARALLEL_VALUES)) ? workerScript(import.meta.url, './worker.js') : null;
  if (script) {
    const pool = analyseInWorkers(script, tasks, threads, rowInputs, !offMainThread);
    endWarmWorkers();
    const { columns, rows } = await pool;
    return { results: columns, rows, threads };
  }
  endWarmWorkers();
  const results = tasks.map(analyseColumn);
  return { results, rows: rowInputs(results.map((r) => r.quality)).map(rowChecks), threads: 1 };
}

/** Dataset drift from every plan's result (in plan order), in Evidently's column order. */
export function summarizeColumns(plans: ColumnPlan[], results: ColumnResult[], options: DriftOptions) {
  const byPlan = new Map(plans.map((plan, k) => [plan, results[k]]));
  return summarizeDrift(
    driftColumns(plans).map((plan) => byPlan.get(plan)!.drift!),
    options,
  );
}

/** `analysePlans` and the dataset drift of its results; `quality` is in plan order. */
export async function computeColumns(
  plans: ColumnPlan[],
  options: DriftOptions,
  rowInputs: (quality: ColumnQuality[]) => RowChecksInput[],
  { parallel = true, load }: { parallel?: boolean; load?: (plan: ColumnPlan) => Promise<ColumnPlan> } = {},
) {
  if (load) {
    const { results, described } = await analyseLoaded(columnTasks(plans, options), load);
    const rows = rowInputs(results.map((r) => r.quality)).map(rowChecks);
    return { ...summarizeColumns(plans, results, options), quality: results.map((r) => r.quality), columns: described, rows, threads: 1 };
  }
  const { results, rows, threads } = await analysePlans(plans, options, rowInputs, { parallel });
  return {
    ...summarizeColumns(plans, results, options),
    quality: results.map((r) => r.quality),
    columns: undefined as ColumnInfo[] | undefined,
    rows,
    threads,
  };
}
