import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { planColumns, type ColumnPlan, type TypingResult } from './data/typing.js';
import { describeColumns } from './quality/columns.js';
import type { ColumnQuality } from './quality/profile.js';
import type { ColumnRoles } from './data/roles.js';
import { computeColumns, endWarmWorkers, startPool } from './drift/parallel.js';
import { explainColumn, SMALL_SAMPLE } from './drift/explain.js';
import { checkPerColumnNames, type DriftOptions } from './drift/options.js';
import { modelQuality, type ModelOptions } from './model_quality/index.js';
import { targetDrift } from './quality/correlations.js';
import { dataQuality, rowChecksInput, type RowChecks } from './quality/summary.js';
import { runSuite, type SuiteOptions } from './suite/run.js';
import type { CsvOptions, ParsedTable } from './io/csv/types.js';
import { readSources } from './sources/index.js';
import type { Origins } from './origins.js';
import { VERSION } from './version.js';
import { SCHEMA_VERSION, type EngineInfo, type Report } from './report/model.js';
import { runStatus } from './report/status.js';
import { readSource, type DatabaseSource } from './sources/database.js';
import type { PushdownColumns, PushdownWindows } from './sources/pushdown/index.js';
import { analyzeWindows, windowInputs, type WindowOptions } from './windows/index.js';
import { pinColumns } from './data/values.js';
import { computeColumnBatches } from './column_batches.js';
import { useColumnBatches, type EngineOptions } from './engine.js';
import { computeOverlapped } from './parquet_overlap.js';
import { isParquetSource } from './sources/parquet.js';

export interface ReportOptions {
  reference: string;
  current: string;
  roles: ColumnRoles;
  drift: DriftOptions;
  csv: CsvOptions;
  /** Read the files and compute drift on worker threads (default true). */
  parallel?: boolean;
  model?: ModelOptions;
  suite?: SuiteOptions;
  origins?: Origins;
  /** Query a database instead of reading the two files. */
  source?: DatabaseSource;
  /** A timestamp column, windows of the current data, a reference period. */
  windows?: WindowOptions;
  /** How Parquet inputs are read (`--engine`, `--memory-limit`); in memory when unset. */
  engine?: EngineOptions;
}

export interface AnalyzeOptions {
  roles: ColumnRoles;
  drift: DriftOptions;
  naValues: ReadonlyArray<string>;
  parallel?: boolean;
  model?: ModelOptions;
  suite?: SuiteOptions;
  /** Where the user set each option, for errors (`--ignore` or `columns.ignore in mlobs.yaml`). */
  origins?: Origins;
  /**
   * Set when the tables came from per-column aggregates (pushdown): their columns are not row-aligned, so the
   * row checks come counted by the engine and nothing that pairs the cells of a row across columns is computed.
   */
  pushdown?: {
    engine: EngineInfo;
    /** The row checks as the engine counted them (windowed runs, whose columns are expanded up front). */
    rowChecks?: RowChecks[];
    /** Columns fetched one at a time as they are analysed, the tables holding only what typing needs. */
    columns?: PushdownColumns;
  };
}

const seconds = (ms: number) => Math.round(ms) / 1000;

function inputInfo(t: ParsedTable) {
  return { path: t.path, bytes: t.bytes, sha256: t.sha256, rows: t.rowCount, columns: t.columns.length, format: t.format, delimiter: t.delimiter };
}

/** The sections a pushdown run leaves out because they pair cells of one row across columns. */
function withRowAlignedSections(engine: EngineInfo, plans: ColumnPlan[]): EngineInfo {
  const has = (...roles: ColumnPlan['role'][]) => plans.some((p) => roles.includes(p.role) && p.ref && p.cur);
  const notExact = [...engine.not_exact];
  const reason = 'pairs the target or prediction with other columns row by row; the engine sends per-column aggregates only';
  if (has('target', 'prediction')) notExact.push({ section: 'target_drift', reason: `left out: ${reason}` });
  if (has('target') && has('prediction', 'prediction_proba')) notExact.push({ section: 'model_quality', reason: `left out: ${reason}` });
  return { ...engine, not_exact: notExact };
}

/**
 * The pure part of a report: parsed tables in, report model out. Timing fields are filled by the caller
 * that knows what it measured.
 */
export async function analyze(
  reference: ParsedTable,
  current: ParsedTable,
  options: AnalyzeOptions,
): Promise<Omit<Report, 'run'> & { driftThreads: number }> {
  const typing = planColumns(reference, current, options.roles, options.origins);
  checkPerColumnNames(options.drift, new Set(typing.plans.map((p) => p.name)), options.origins);
  const pushdown = options.pushdown;
  const computed = await computeColumns(
    typing.plans,
    options.drift,
    (profiles) =>
      pushdown
        ? []
        : [
            rowChecksInput(reference, typing.plans, profiles.map((q) => q.ref)),
            rowChecksInput(current, typing.plans, profiles.map((q) => q.cur)),
          ],
    { parallel: options.parallel, load: pushdown?.columns?.load },
  );
  return assembleReport(reference, current, options, {
    typing,
    ...computed,
    rows: pushdown?.rowChecks ?? (await pushdown?.columns?.rowChecks()) ?? computed.rows,
    columns: computed.columns ?? describeColumns(typing.plans, computed.quality),
    targetDrift: pushdown ? undefined : targetDrift(typing.plans),
    modelQuality: pushdown ? undefined : modelQuality(typing.plans, typing.task, options.model ?? {}),
    engine: pushdown
      ? withRowAlignedSections(pushdown.engine, typing.plans)
      : { name: [reference, current].some((t) => t.format === 'parquet') ? 'duckdb' : 'csv', version: null, mode: 'in-memory', not_exact: [] },
  });
}

/** Everything a report is assembled from, however the columns were read and computed. */
export interface ComputedReport {
  typing: TypingResult;
  drift: Report['drift'];
  errors: Report['errors'];
  /** Each plan's data-quality profiles, in plan order. */
  quality: ColumnQuality[];
  rows: RowChecks[];
  threads: number;
  columns: Report['columns'];
  targetDrift: Report['target_drift'];
  modelQuality: Report['model_quality'];
  engine: EngineInfo;
}

/** The report model from the computed parts: warnings, explanations, suites and the run status. */
export function assembleReport(
  reference: ParsedTable,
  current: ParsedTable,
  options: AnalyzeOptions,
  computed: ComputedReport,
): Omit<Report, 'run'> & { driftThreads: number } {
  const { typing, drift, errors, threads, quality, rows } = computed;
  const warnings = [...typing.warnings];
  for (const t of [reference, current]) {
    if (t.invalidUtf8 === null) continue;
    const { cells, line, column } = t.invalidUtf8;
    warnings.push({
      code: 'invalid_utf8',
      message: `${t.path}: ${cells} ${cells === 1 ? 'cell is' : 'cells are'} not valid UTF-8 (the first at line ${line}, column "${column}"); their bad bytes read as U+FFFD`,
    });
  }
  for (const c of drift.columns) {
    const explanations = explainColumn(c);
    if (explanations.length) c.explanations = explanations;
    const n = Math.min(c.n_reference, c.n_current);
    if (n < SMALL_SAMPLE) {
      const side = c.n_reference <= c.n_current ? 'reference' : 'current';
      warnings.push({ code: 'small_sample', column: c.column, message: `column "${c.column}" has only ${n} ${side} values: its verdict rests on very little data` });
    }
  }
  if (drift.number_of_columns === 0) warnings.push({ code: 'no_columns', message: 'no column could be compared for drift' });
  const body: Omit<Report, 'run' | 'status'> = {
    schema_version: SCHEMA_VERSION,
    kind: 'mlobs.report',
    inputs: { reference: inputInfo(reference), current: inputInfo(current) },
    engine: computed.engine,
    options: {
      task: typing.task,
      drift_share: options.drift.driftShare,
      stattest: options.drift.stattest ?? null,
      stattest_threshold: options.drift.stattestThreshold ?? null,
      na_values: [...options.naValues],
      ...(options.drift.correction && { correction: options.drift.correction }),
    },
    columns: computed.columns,
    drift,
    quality: dataQuality(reference, current, typing.plans, quality, rows),
    target_drift: computed.targetDrift,
    model_quality: computed.modelQuality,
    errors,
    warnings,
  };
  const tests = runSuite(body, options.suite);
  return { ...body, status: runStatus({ ...body, tests }), tests, driftThreads: threads };
}

function runInfo(started: Date, t0: number, t1: number, t2: number, driftThreads: number): Report['run'] {
  return {
    mlobs_version: VERSION,
    node_version: process.version,
    started_at: started.toISOString(),
    finished_at: new Date().toISOString(),
    timings: { read_s: seconds(t1 - t0), drift_s: seconds(t2 - t1), total_s: seconds(t2 - t0) },
    peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
    drift_threads: driftThreads,
  };
}

/** What the analysis takes from a report's options, before a source adds its own drift settings and pushdown. */
function analyzeOptionsOf(options: ReportOptions): AnalyzeOptions {
  return {
    roles: options.roles,
    drift: options.drift,
    naValues: options.csv.naValues,
    parallel: options.parallel ?? true,
    model: options.model,
    suite: options.suite,
    origins: options.origins,
  };
}

/**
 * Inputs whose reading and computing interleave: larger than memory (`--engine`, Parquet or CSV), batch by batch, where
 * `read_s` sums the reads; or a Parquet pair in memory, each group of columns analysed while the next is read, where
 * `read_s` ends with the last read.
 */
async function reportInterleaved(
  options: ReportOptions,
  started: Date,
  t0: number,
  compute: (options: AnalyzeOptions) => Promise<{ reference: ParsedTable; current: ParsedTable; computed: ComputedReport; readMs: number }>,
): Promise<Report> {
  const analyzeOptions = analyzeOptionsOf(options);
  const { reference, current, computed, readMs } = await compute(analyzeOptions);
  const { schema_version, kind, status, driftThreads, ...rest } = assembleReport(reference, current, analyzeOptions, computed);
  return { schema_version, kind, status, run: runInfo(started, t0, t0 + readMs, performance.now(), driftThreads), ...rest };
}

/** The size of the input files (0 for a directory, a glob or a missing file: their readers say what is wrong). */
async function bytesOnDisk(paths: string[]): Promise<number> {
  const sizes = await Promise.all(paths.map((p) => stat(p).then((s) => (s.isFile() ? s.size : 0), () => 0)));
  return sizes.reduce((a, b) => a + b, 0);
}

/** Reads both inputs (CSV or Parquet files, or a database's answers) and runs the drift report: the library entry point behind `mlobs report`. */
export async function runReport(options: ReportOptions): Promise<Report> {
  try {
    return await report(options);
  } finally {
    // Workers started early that no pool took, as when reading failed.
    endWarmWorkers();
  }
}

async function report(options: ReportOptions): Promise<Report> {
  const started = new Date();
  const t0 = performance.now();
  const parquetPair = !options.source && !options.windows && (await isParquetSource(options.reference)) && (await isParquetSource(options.current));
  // A reference period of the current log: the file is read once.
  const sameFile = options.reference === options.current && !!options.windows?.referenceRange;
  const paths = sameFile ? [options.current] : [options.reference, options.current];
  // The analysis workers load their modules while the files are read (and, for Parquet, DuckDB's library loads).
  if (!options.source) startPool(await bytesOnDisk(paths), parquetPair ? 'parquet' : 'csv', options.parallel ?? true);
  if (!options.source && options.engine && (await useColumnBatches(options.reference, options.current, options.engine, !!options.windows, options.csv))) {
    // Each batch's pool starts its own workers, with this thread free to read the next batch.
    endWarmWorkers();
    const engine = options.engine;
    return reportInterleaved(options, started, t0, (o) => computeColumnBatches(options.reference, options.current, o, engine, options.csv));
  }
  if (parquetPair) return reportInterleaved(options, started, t0, (o) => computeOverlapped(options.reference, options.current, o));
  let tables: ParsedTable[];
  let pushdown: AnalyzeOptions['pushdown'];
  let drift = options.drift;
  let engineWindows: PushdownWindows | undefined;
  let closeSource: (() => Promise<void>) | undefined;
  const w = options.windows;
  if (options.source) {
    const spec = w?.spec?.kind === 'calendar' ? w.spec : undefined;
    const data = await readSource(options.source, options.drift, spec && w?.timestamp ? { timestamp: w.timestamp, spec } : undefined);
    tables = [data.reference, data.current];
    pushdown = { rowChecks: data.rowChecks, columns: data.columns, engine: data.engine };
    drift = { ...drift, unordered: data.unordered };
    engineWindows = data.windows;
    closeSource = data.close;
  } else {
    tables = await readSources(paths, {
      csv: options.csv,
      parallel: options.parallel ?? true,
      ignore: options.roles.ignore,
    });
  }
  const t1 = performance.now();
  // A source's tables hold typing stubs, not rows: its windows, if any, come from the engine.
  const inputs = engineWindows
    ? { reference: tables[0], current: tables[1], ts: engineWindows.timestamps, referenceRows: null }
    : w && !options.source
      ? windowInputs(tables[0], tables[tables.length - 1], sameFile, w)
      : { reference: tables[0], current: tables[1], ts: null, referenceRows: null };
  const analyzeOptions = { ...analyzeOptionsOf(options), drift, pushdown };
  // Windowed: the reference stays prepared (sorted, profiled) from the whole report through every window.
  if (w?.spec) pinColumns(inputs.reference.columns, true);
  let body: Awaited<ReturnType<typeof analyze>>;
  let windowed: Awaited<ReturnType<typeof analyzeWindows>> | undefined;
  try {
    body = await analyze(inputs.reference, inputs.current, analyzeOptions);
    // Windows run here and, for big inputs, on worker threads that start from this thread's prepared reference.
    // The engine counted each window's row checks; its windows stay on this thread, which has them.
    const windowAnalysis = engineWindows ? { ...analyzeOptions, parallel: false } : analyzeOptions;
    windowed = w?.spec
      ? await analyzeWindows(inputs, { ...w, spec: w.spec }, started.getTime(), windowAnalysis, async (cur, slice, driftWorkers) => {
          const rowChecks = engineWindows && pushdown?.rowChecks && [pushdown.rowChecks[0], engineWindows.rowChecks(slice.start!, cur.columns)];
          const { driftThreads: _, ...window } = await analyze(inputs.reference, cur, {
            ...windowAnalysis,
            parallel: windowAnalysis.parallel !== false && driftWorkers,
            pushdown: pushdown && rowChecks ? { ...pushdown, rowChecks } : pushdown,
          });
          return window;
        })
      : undefined;
  } finally {
    if (w?.spec) pinColumns(inputs.reference.columns, false);
    await closeSource?.();
  }
  const { schema_version, kind, status, driftThreads, ...rest } = body;
  const t2 = performance.now();
  return {
    schema_version,
    kind,
    status,
    run: runInfo(started, t0, t1, t2, driftThreads),
    ...rest,
    ...(windowed && { warnings: [...rest.warnings, ...windowed.warnings], windowing: windowed.windowing, windows: windowed.windows }),
  };
}
