import { performance } from 'node:perf_hooks';
import { planColumns } from './data/typing.js';
import { describeColumns } from './quality/columns.js';
import type { ColumnRoles } from './data/roles.js';
import { computeColumns } from './drift/parallel.js';
import type { DriftOptions } from './drift/options.js';
import { readCsvFiles } from './io/csv/index.js';
import { modelQuality, type ModelOptions } from './model_quality/index.js';
import { targetDrift } from './quality/correlations.js';
import { dataQuality, rowChecksInput } from './quality/summary.js';
import { runSuite, type SuiteOptions } from './suite/run.js';
import type { CsvOptions, ParsedTable } from './io/csv/types.js';
import { UsageError } from './errors.js';
import { originOf, type Origins } from './origins.js';
import { VERSION } from './version.js';
import { SCHEMA_VERSION, type Report } from './report/model.js';
import { runStatus } from './report/status.js';

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
}

/** A per-column setting for a column no file has is a typo; ignoring it would silently test the wrong way. */
function checkPerColumnNames(drift: DriftOptions, names: Set<string>, origins: Origins | undefined): void {
  const settings = [['drift.per_column_stattest', drift.perColumnStattest], ['drift.per_column_threshold', drift.perColumnThreshold]] as const;
  for (const [path, map] of settings) {
    for (const name of Object.keys(map)) {
      if (!names.has(name)) throw new UsageError(`${originOf(origins, path)} names column "${name}", which is in neither file`);
    }
  }
}

/** Below this many values on a side, a verdict is flagged: Evidently happily reports drift from 8 rows. */
export const SMALL_SAMPLE = 30;

const seconds = (ms: number) => Math.round(ms) / 1000;

function inputInfo(t: ParsedTable) {
  return { path: t.path, bytes: t.bytes, sha256: t.sha256, rows: t.rowCount, columns: t.columns.length, delimiter: t.delimiter };
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
  const { drift, errors, threads, quality, rows } = await computeColumns(
    typing.plans,
    options.drift,
    (profiles) => [
      rowChecksInput(reference, typing.plans, profiles.map((q) => q.ref)),
      rowChecksInput(current, typing.plans, profiles.map((q) => q.cur)),
    ],
    { parallel: options.parallel },
  );
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
    options: {
      task: typing.task,
      drift_share: options.drift.driftShare,
      stattest: options.drift.stattest ?? null,
      stattest_threshold: options.drift.stattestThreshold ?? null,
      na_values: [...options.naValues],
    },
    columns: describeColumns(typing.plans, quality),
    drift,
    quality: dataQuality(reference, current, typing.plans, quality, rows),
    target_drift: targetDrift(typing.plans),
    model_quality: modelQuality(typing.plans, typing.task, options.model ?? {}),
    errors,
    warnings,
  };
  const tests = runSuite(body, options.suite);
  return { ...body, status: runStatus({ ...body, tests }), tests, driftThreads: threads };
}

/** Reads both CSV files and runs the drift report: the library entry point behind `mlobs report`. */
export async function runReport(options: ReportOptions): Promise<Report> {
  const started = new Date();
  const t0 = performance.now();
  const [reference, current] = await readCsvFiles([options.reference, options.current], options.csv, {
    parallel: options.parallel ?? true,
  });
  const t1 = performance.now();
  const { schema_version, kind, status, driftThreads, ...body } = await analyze(reference, current, {
    roles: options.roles,
    drift: options.drift,
    naValues: options.csv.naValues,
    parallel: options.parallel ?? true,
    model: options.model,
    suite: options.suite,
    origins: options.origins,
  });
  const t2 = performance.now();
  return {
    schema_version,
    kind,
    status,
    run: {
      mlobs_version: VERSION,
      node_version: process.version,
      started_at: started.toISOString(),
      finished_at: new Date().toISOString(),
      timings: { read_s: seconds(t1 - t0), drift_s: seconds(t2 - t1), total_s: seconds(t2 - t0) },
      peak_rss_bytes: process.resourceUsage().maxRSS * 1024,
      drift_threads: driftThreads,
    },
    ...body,
  };
}
