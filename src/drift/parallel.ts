import { Worker } from 'node:worker_threads';
import type { ColumnPlan } from '../data/typing.js';
import { releaseValues } from '../data/values.js';
import { UsageError } from '../errors.js';
import { describeColumns } from '../quality/columns.js';
import { profileColumn, type ColumnQuality } from '../quality/profile.js';
import type { ColumnInfo } from '../report/model.js';
import { rowChecks, type RowChecks, type RowChecksInput } from '../quality/summary.js';
import { poolThreads, workerScript } from '../workers.js';
import { driftColumns, scoreColumn, summarizeDrift, type ColumnOutcome } from './dataset.js';
import type { DriftOptions } from './options.js';

/** Below this many values in all columns together, starting threads costs more than it saves. */
const MIN_PARALLEL_VALUES = 1_000_000;

/** Input bytes a value takes at least: a CSV value 4 to 16 bytes, a Parquet one (compressed) about 2. */
const BYTES_PER_VALUE = { csv: 4, parquet: 2 };

/** Workers started before the pool that takes them (startPool); the next TaskPool takes them instead of new ones. */
let warm: Worker[] = [];

/**
 * Starts the analysis workers of the pool to come while inputs of `inputBytes` are read (CSV) or DuckDB's library
 * loads (Parquet): loading a worker's modules takes about 150 ms, which the reading threads' waits absorb instead
 * of the analysis, whose first columns would otherwise run on this thread alone. Only inputs that usually hold
 * the million values that make the analysis use workers start them. Unreferenced until taken, so they never keep
 * the process alive; a pool needing fewer, or none, ends the rest (TaskPool, analysePlans, endWarmWorkers).
 */
export function startPool(inputBytes: number, format: keyof typeof BYTES_PER_VALUE, parallel: boolean): void {
  const script = parallel && inputBytes / BYTES_PER_VALUE[format] >= MIN_PARALLEL_VALUES ? workerScript(import.meta.url, './worker.js') : null;
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

/** Ends the started workers no pool took. */
export function endWarmWorkers(): void {
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
export type WorkerTask = { kind: 'column'; task: ColumnTask } | { kind: 'rows'; input: RowChecksInput };

/** A worker's answer to its oldest unanswered task (a worker answers in the order it was sent them). */
export type WorkerReply = { result: ColumnResult | RowChecks } | { error: { name: string; message: string; stack?: string } };

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

interface Queued {
  task: WorkerTask;
  cost: number;
  resolve: (result: ColumnResult | RowChecks) => void;
  reject: (error: Error) => void;
}

/**
 * Tasks handed out as they arrive, costliest (numeric columns, since they sort) first, to worker threads and,
 * once `helpHere()` is called, this thread too: for the columns of whole tables, and for columns analysed while
 * later ones are still being read. Column arrays are shared memory, so a task carries no data copy, and working
 * here too saves a whole worker isolate (about 30 MB) against the memory budget. Without workers this thread
 * takes the tasks from the start, between its other work. `close()` must be called (in a `finally`): it stops
 * the workers.
 */
export class TaskPool {
  private readonly workers: Worker[] = [];
  /** Each worker's tasks sent and not answered yet, oldest first. */
  private readonly sent = new Map<Worker, Queued[]>();
  /** Waiting tasks, costliest first. */
  private readonly queue: Queued[] = [];
  /** Waiting tasks kept for this thread (`run(task, true)`). */
  private readonly own: Queued[] = [];
  private here: boolean;
  private dispatching = false;
  private scheduled = false;
  private closed = false;

  /** `workers` threads besides this one; with `here`, this thread takes tasks from the start. */
  constructor(script: URL | null, workers: number, here = false) {
    this.here = here || script === null || workers === 0;
    for (let t = 0; script && t < workers; t++) {
      const worker = takeWorker(script);
      this.workers.push(worker);
      this.sent.set(worker, []);
      worker.on('message', (reply: WorkerReply) => {
        // None for a reply in flight when the pool failed or closed: its task was rejected already.
        const entry = this.sent.get(worker)?.shift();
        if (!entry) return;
        if ('error' in reply) {
          const { name, message, stack } = reply.error;
          entry.reject(name === 'UsageError' ? new UsageError(message) : Object.assign(new Error(message), { name, stack }));
        } else entry.resolve(reply.result);
        this.dispatch();
      });
      worker.on('error', (error) => {
        // A worker that died takes no more tasks; the others, and this thread once it helps, finish the queue.
        if (this.workers.includes(worker)) this.workers.splice(this.workers.indexOf(worker), 1);
        this.fail(error);
      });
    }
    endWarmWorkers();
  }

  /**
   * Queues `task`; `own` keeps it for this thread, which must help: the row checks, whose task would otherwise
   * go to a worker that already holds its next one, leaving this thread idle.
   */
  run(task: WorkerTask, own = false): Promise<ColumnResult | RowChecks> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('the analysis pool is closed'));
      const cost = task.kind === 'column' ? values(task.task.plan) * (task.task.plan.type === 'num' ? 2 : 1) : 0;
      const queue = own ? this.own : this.queue;
      const at = queue.findIndex((q) => q.cost < cost);
      queue.splice(at < 0 ? queue.length : at, 0, { task, cost, resolve, reject });
      // Once the tasks queued together are all in, so the costliest of them goes out first.
      if (!this.dispatching) {
        this.dispatching = true;
        queueMicrotask(() => {
          this.dispatching = false;
          this.dispatch();
        });
      }
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
    for (const entry of [...this.queue.splice(0), ...this.own.splice(0), ...[...this.sent.values()].flatMap((s) => s.splice(0))]) entry.reject(error);
  }

  private dispatch(): void {
    // With this thread working too, each worker holds its next task already: a reply waits while this thread
    // runs a task of its own, and a worker given its next task only then would sit idle meanwhile.
    const held = this.here ? 2 : 1;
    for (let k = 0; k < held; k++)
      for (const worker of this.workers) {
        const sent = this.sent.get(worker)!;
        if (sent.length > k || this.queue.length === 0) continue;
        const entry = this.queue.shift()!;
        sent.push(entry);
        worker.postMessage(entry.task);
      }
    if (this.here && !this.scheduled && this.own.length + this.queue.length > 0) {
      this.scheduled = true;
      // One task at a time, yielding between tasks so worker replies and reads get handled.
      setImmediate(() => {
        this.scheduled = false;
        const entry = this.own.shift() ?? this.queue.shift();
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

/**
 * Analyses columns on `threads` threads: this one (unless `offMainThread`) and workers. The row checks need
 * every column's profile, so they are queued once the last column is in, one task per file, and run on two
 * threads instead of leaving the workers idle while this one does them all.
 */
async function analyseInWorkers(
  script: URL,
  tasks: ColumnTask[],
  threads: number,
  rowInputs: (quality: ColumnQuality[]) => RowChecksInput[],
  offMainThread: boolean,
): Promise<{ columns: ColumnResult[]; rows: RowChecks[] }> {
  const pool = new TaskPool(script, offMainThread ? threads : threads - 1, !offMainThread);
  try {
    const columns = (await Promise.all(tasks.map((task) => pool.run({ kind: 'column', task })))) as ColumnResult[];
    const inputs = rowInputs(columns.map((c) => c.quality));
    const rows = (await Promise.all(inputs.map((input, k) => pool.run({ kind: 'rows', input }, !offMainThread && k === 0)))) as RowChecks[];
    return { columns, rows };
  } finally {
    pool.close();
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
    const { columns, rows } = await analyseInWorkers(script, tasks, threads, rowInputs, offMainThread);
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
