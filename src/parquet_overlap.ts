/**
 * Two Parquet inputs read whole, in memory, with the analysis overlapping the reading (docs/sources.md "Speed"):
 * Parquet is columnar, so both inputs are read a group of columns at a time, and a group's columns are typed and
 * analysed on worker threads while this thread files the next group's vectors. What looks across columns (row
 * checks, correlations, model quality) waits for the last group. The report is the one `analyze` gives on the
 * whole tables: they are typed again once complete, and a column whose early plan differs is analysed anew.
 */
import { performance } from 'node:perf_hooks';
import { planColumns, type ColumnPlan } from './data/typing.js';
import { columnTasks, poolWorkers, summarizeColumns, TaskPool, type ColumnResult, type ColumnTask } from './drift/parallel.js';
import { checkPerColumnNames } from './drift/options.js';
import type { ParsedColumn, ParsedTable } from './io/csv/types.js';
import { modelQuality } from './model_quality/index.js';
import type { AnalyzeOptions, ComputedReport } from './pipeline.js';
import { describeColumns } from './quality/columns.js';
import { targetDrift } from './quality/correlations.js';
import { rowChecksInput, type RowChecks } from './quality/summary.js';
import { openDuckDb } from './sources/duckdb/connection.js';
import { openParquet, parquetTable, readColumns, readingsOf, type ParquetSource } from './sources/parquet.js';
import { RESIDENT, rolesFor, schemaTable } from './column_batches.js';

/**
 * Columns a group: small enough that the workers start early and the last group's analysis, which nothing
 * overlaps, is short; big enough that the queries' overhead (each reads the files' metadata) stays small.
 */
const GROUP_COLUMNS = 4;

const NO_HASH = { bytes: 0, sha256: '' };

/** The promises' values in order once all have settled (no query is left running on a failure), the first failure in order. */
async function inOrder<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  return settled.map((s) => {
    if (s.status === 'rejected') throw s.reason;
    return s.value;
  });
}

const samePlan = (a: ColumnPlan, b: ColumnPlan) =>
  a.role === b.role && a.type === b.type && a.typeSource === b.typeSource && a.coerceText === b.coerceText && a.ref === b.ref && a.cur === b.cur;

/** Reads two Parquet inputs whole and computes their report's parts, analysing each group of columns as soon as both sides have it. */
export async function computeOverlapped(
  referencePath: string,
  currentPath: string,
  options: AnalyzeOptions,
  { groupColumns = GROUP_COLUMNS }: { groupColumns?: number } = {},
): Promise<{ reference: ParsedTable; current: ParsedTable; computed: ComputedReport; readMs: number }> {
  const t0 = performance.now();
  const parallel = options.parallel !== false;
  const readOptions = { naValues: options.naValues, ignore: options.roles.ignore };
  const db = await openDuckDb(parallel ? {} : { threads: 1 });
  let pool: TaskPool | undefined;
  let sources: ParquetSource[];
  let columns: ParsedColumn[][];
  const early = new Map<string, { plan: ColumnPlan; task: ColumnTask; result: Promise<ColumnResult> }>();
  try {
    const conns = [db.connection, await db.connect()];
    sources = await inOrder([openParquet(conns[0], referencePath, { parallel }), openParquet(conns[1], currentPath, { parallel })]);
    for (const source of sources)
      readingsOf(
        source,
        source.schema.map(([name]) => name),
        readOptions,
      );
    // Every name check of the whole tables' typing, on the schemas alone, before a column is read.
    const schemaPlans = planColumns(schemaTable(sources[0], NO_HASH), schemaTable(sources[1], NO_HASH), options.roles, options.origins).plans;
    checkPerColumnNames(options.drift, new Set(schemaPlans.map((p) => p.name)), options.origins);
    // The target and predictions first: every other column's typing needs them (the task, their names).
    const resident = schemaPlans.filter((p) => RESIDENT.has(p.role)).map((p) => p.name);
    const others = schemaPlans.filter((p) => !RESIDENT.has(p.role)).map((p) => p.name);
    const groups = resident.length > 0 ? [resident] : [];
    for (let at = 0; at < others.length; at += groupColumns) groups.push(others.slice(at, at + groupColumns));
    const { script, workers } = poolWorkers(schemaPlans.length, schemaPlans.length * (sources[0].rows + sources[1].rows), parallel);
    pool = new TaskPool(script, workers);
    columns = [[], []];
    const residentColumns: ParsedColumn[][] = [[], []];
    for (const names of groups) {
      const read = (await inOrder(sources.map((source, s) => readColumns(conns[s], source, names, readOptions)))).map((r) => r.columns);
      read.forEach((cols, s) => columns[s].push(...cols));
      const tables = read.map((cols, s) => parquetTable(sources[s], names === resident ? cols : [...cols, ...residentColumns[s]], NO_HASH));
      if (names === resident) read.forEach((cols, s) => residentColumns[s].push(...cols));
      let plans: ColumnPlan[];
      try {
        plans = planColumns(tables[0], tables[1], rolesFor(options.roles, new Set([...names, ...resident])), options.origins).plans;
      } catch {
        // The whole tables' typing below reports it; these columns are analysed after it.
        continue;
      }
      const group = new Set(names);
      for (const task of columnTasks(
        plans.filter((p) => group.has(p.name)),
        options.drift,
      )) {
        const result = pool.run({ kind: 'column', task }) as Promise<ColumnResult>;
        void result.catch(() => {});
        early.set(task.plan.name, { plan: task.plan, task, result });
      }
    }
  } catch (e) {
    pool?.close();
    throw e;
  } finally {
    await db.close();
  }
  const readMs = performance.now() - t0;
  try {
    const fingerprints = await inOrder(sources.map((s) => s.fingerprint()));
    // The files' column order, as reading them whole in one query gives.
    const [reference, current] = sources.map((source, s) => {
      const position = new Map(source.schema.map(([name], k) => [name, k]));
      return parquetTable(
        source,
        columns[s].sort((a, b) => position.get(a.name)! - position.get(b.name)!),
        fingerprints[s],
      );
    });
    pool.helpHere();
    const typing = planColumns(reference, current, options.roles, options.origins);
    const plans = typing.plans;
    const results = await Promise.all(
      columnTasks(plans, options.drift).map((task) => {
        const e = early.get(task.plan.name);
        return e && e.task.drift === task.drift && samePlan(e.plan, task.plan) ? e.result : (pool.run({ kind: 'column', task }) as Promise<ColumnResult>);
      }),
    );
    const quality = results.map((r) => r.quality);
    const rowInputs = [reference, current].map((t, s) =>
      rowChecksInput(
        t,
        plans,
        quality.map((q) => (s === 0 ? q.ref : q.cur)),
      ),
    );
    const rows = (await Promise.all(rowInputs.map((input) => pool.run({ kind: 'rows', input })))) as RowChecks[];
    return {
      reference,
      current,
      readMs,
      computed: {
        typing,
        ...summarizeColumns(plans, results, options.drift),
        quality,
        rows,
        threads: pool.threads,
        columns: describeColumns(plans, quality),
        targetDrift: targetDrift(plans),
        modelQuality: modelQuality(plans, typing.task, options.model ?? {}),
        engine: { name: 'duckdb', version: null, mode: 'in-memory', not_exact: [] },
      },
    };
  } finally {
    pool.close();
  }
}
