import { scoreFromJson, type ColumnDrift, type DatasetStats, type Report, type ReportWindow, type ScoreValue } from '../../report/model.js';
import { VERSION } from '../../version.js';
import { mostDriftedFirst } from '../../report/format.js';
import { metricsOf } from '../../report/metrics.js';
import { STATUS_CODES } from '../../report/status.js';
import type { StatusCode } from '../../report/model.js';
import { parseSamples, renderExposition, renderOpenMetrics, type Family, type FamilySpec, type Sample } from './exposition.js';

/**
 * The report as Prometheus metrics. Every family carries a `monitor` label (never `job`, which Prometheus
 * sets itself), so the files of several monitors merge in one node_exporter; HELP texts are constants for the
 * same reason. docs/prometheus.md lists the families; the alert rules and the Grafana dashboard in
 * deploy/compose/ query them by these names.
 */

export interface PromOptions {
  monitor: string;
  /**
   * Columns that get per-column series, and tests that get an mlobs_test_failed series; the rest are counted
   * in mlobs_omitted_columns and mlobs_omitted_tests.
   */
  maxColumns: number;
}

const spec = (name: string, help: string, labels: string[] = []): FamilySpec => ({ name, help, labels: ['monitor', ...labels] });

/** Batch-job status: written on every run, failed ones included. */
const RUN = {
  buildInfo: spec('mlobs_build_info', 'mlobs build that wrote this file; always 1', ['version', 'node_version']),
  lastRun: spec('mlobs_last_run_timestamp_seconds', 'Unix time the last run ended, successful or not'),
  lastSuccess: spec('mlobs_last_success_timestamp_seconds', 'Unix time the last successful run ended; 0 if none has succeeded'),
  success: spec('mlobs_last_run_success', 'Whether the last run succeeded: 1 yes, 0 no'),
  duration: spec('mlobs_run_duration_seconds', 'Wall time of the last run, reading and scoring'),
  status: spec('mlobs_run_status', 'Run status of the last run, one series per status: 1 for the current one, else 0 (error when the run failed)', ['status']),
};

/**
 * What a successful run measured. A failed run carries these over from the previous file, so alerts and
 * panels keep the last known state instead of resolving.
 */
const REPORT_FAMILIES = {
  rows: spec('mlobs_rows', 'Data rows read, per dataset (reference or current)', ['dataset']),
  datasetDrift: spec('mlobs_dataset_drift_detected', 'Whether dataset drift was detected: 1 yes, 0 no'),
  comparedColumns: spec('mlobs_compared_columns', 'Columns compared for drift'),
  driftedColumns: spec('mlobs_drifted_columns', 'Columns whose drift test detected drift'),
  driftedRatio: spec('mlobs_drifted_columns_ratio', 'Drifted columns as a share of compared columns, 0-1'),
  driftShare: spec('mlobs_dataset_drift_threshold_ratio', 'Share of drifted columns at which the dataset counts as drifted, 0-1'),
  columnErrors: spec('mlobs_column_errors', 'Columns that could not be scored'),
  omittedColumns: spec('mlobs_omitted_columns', 'Columns left out of the per-column series by the column cap'),
  driftScore: spec(
    'mlobs_drift_score',
    'Drift score of a column in its test\'s own unit: a p-value (drift when low) or a distance (drift when high), per score_kind',
    ['column', 'role', 'stattest', 'score_kind'],
  ),
  driftThreshold: spec('mlobs_drift_threshold', 'Threshold the column\'s drift score is compared with', ['column', 'role', 'stattest', 'score_kind']),
  driftDetected: spec('mlobs_drift_detected', 'Whether drift was detected in a column: 1 yes, 0 no', ['column', 'role', 'stattest', 'score_kind']),
  missingRatio: spec(
    'mlobs_missing_ratio',
    'Share of a column\'s cells that are missing (missing-value tokens and text in numeric columns), 0-1, per dataset',
    ['column', 'dataset'],
  ),
  datasetMissing: spec(
    'mlobs_dataset_missing_ratio',
    'Share of all cells of a dataset that are missing (missing-value tokens and infinities, as Evidently counts them), 0-1',
    ['dataset'],
  ),
  rowsWithMissing: spec('mlobs_rows_with_missing_ratio', 'Share of a dataset\'s rows with at least one missing value, 0-1', ['dataset']),
  duplicatedRows: spec('mlobs_duplicated_rows', 'Rows of a dataset equal to an earlier row', ['dataset']),
  constantColumns: spec('mlobs_constant_columns', 'Columns of a dataset with at most one distinct value', ['dataset']),
  emptyColumns: spec('mlobs_empty_columns', 'Columns of a dataset with no value at all', ['dataset']),
  tests: spec('mlobs_tests', 'Tests of the monitor\'s test suite in the last run, per status', ['status']),
  testFailed: spec('mlobs_test_failed', 'Whether a test of the suite failed in the last run: 1 yes, 0 no', ['test', 'column', 'class']),
  omittedTests: spec('mlobs_omitted_tests', 'Tests left out of mlobs_test_failed by the cap'),
  modelQuality: spec(
    'mlobs_model_quality',
    'Model quality metric of the last run, per dataset (reference or current), in the metric\'s own unit; percentages as ratios 0-1',
    ['metric', 'dataset'],
  ),
} satisfies Record<string, FamilySpec>;

const F = REPORT_FAMILIES;
const MODEL_ROLES = new Set(['target', 'prediction', 'prediction_proba']);
const DATASETS = ['reference', 'current'] as const;
/**
 * Every status a test can have, worst first: each is exported, 0 included, so a status that empties reads 0
 * rather than vanishing; the order is also the one in which tests get mlobs_test_failed series under the cap.
 */
const TEST_STATUSES = ['FAIL', 'ERROR', 'WARNING', 'SUCCESS'] as const;

type Suite = NonNullable<Report['tests']>;
type Quality = NonNullable<Report['model_quality']>;

const family = (s: FamilySpec, samples: Sample[]): Family => ({ ...s, samples });
const unixSeconds = (iso: string) => Date.parse(iso) / 1000;

type DriftVerdict = Pick<ColumnDrift, 'column' | 'role' | 'stattest' | 'score_kind' | 'score' | 'threshold' | 'drift_detected'>;

/** Target and prediction first (alerts watch them), then the most drifted. */
const modelColumnsFirst = (a: DriftVerdict, b: DriftVerdict) => Number(MODEL_ROLES.has(b.role)) - Number(MODEL_ROLES.has(a.role)) || mostDriftedFirst(a, b);

/** Dataset drift and the per-column drift series, of the whole report or of one window. */
function driftFamilies(m: { monitor: string }, d: Report['drift'] | NonNullable<ReportWindow['drift']>, columns: DriftVerdict[], errors: number, omitted: number): Family[] {
  const one = (s: FamilySpec, value: number) => family(s, [{ labels: m, value }]);
  const testLabels = (c: DriftVerdict) => ({ ...m, column: c.column, role: c.role, stattest: c.stattest, score_kind: c.score_kind });
  return [
    one(F.datasetDrift, Number(d.dataset_drift)),
    one(F.comparedColumns, d.number_of_columns),
    one(F.driftedColumns, d.number_of_drifted_columns),
    one(F.driftedRatio, d.share_of_drifted_columns),
    one(F.driftShare, d.drift_share),
    one(F.columnErrors, errors),
    one(F.omittedColumns, omitted),
    family(F.driftScore, columns.map((c) => ({ labels: testLabels(c), value: scoreFromJson(c.score) }))),
    family(F.driftThreshold, columns.map((c) => ({ labels: testLabels(c), value: c.threshold }))),
    family(F.driftDetected, columns.map((c) => ({ labels: testLabels(c), value: Number(c.drift_detected) }))),
  ];
}

/**
 * The columns that get per-column series, best first: target and prediction (alerts watch them), then drifted
 * columns, then the rest, each by how far past its threshold; columns that were not scored come last.
 */
function selectColumns(report: Report, max: number): { drift: ColumnDrift[]; names: string[]; omitted: number } {
  const ranked = [...report.drift.columns].sort(modelColumnsFirst);
  const scored = new Set(ranked.map((c) => c.column));
  const others = report.columns.filter((c) => c.role !== 'ignored' && !scored.has(c.name)).map((c) => c.name);
  const names = [...ranked.map((c) => c.column), ...others];
  const kept = new Set(names.slice(0, max));
  return { drift: ranked.filter((c) => kept.has(c.column)), names: names.filter((n) => kept.has(n)), omitted: names.length - kept.size };
}

/** The suite's tests, failed ones first (then errors, warnings, successes, each in report order), up to `max`. */
function selectTests(suite: Suite, max: number): { tests: Suite['tests']; omitted: number } {
  const ranked = [...suite.tests].sort((a, b) => TEST_STATUSES.indexOf(a.status) - TEST_STATUSES.indexOf(b.status));
  return { tests: ranked.slice(0, max), omitted: Math.max(0, ranked.length - max) };
}

function testFamilies(suite: Suite | undefined, m: { monitor: string }, max: number): Family[] {
  if (!suite) return [];
  const { tests, omitted } = selectTests(suite, max);
  // A test id names a kind of test; the column and class it ran on make it one series. The same test
  // configured twice on one column is one series too, failed if either failed (the renderer would keep
  // whichever came first).
  const failed = new Map<string, Sample>();
  for (const t of tests) {
    const labels = { ...m, test: t.id, column: t.column ?? '', class: t.label === null ? '' : String(t.label) };
    const key = JSON.stringify(labels);
    const value = Number(t.status === 'FAIL');
    failed.set(key, { labels, value: Math.max(value, failed.get(key)?.value ?? 0) });
  }
  return [
    family(F.tests, TEST_STATUSES.map((status) => ({ labels: { ...m, status: status.toLowerCase() }, value: suite.summary.by_status[status] ?? 0 }))),
    family(F.testFailed, [...failed.values()]),
    family(F.omittedTests, [{ labels: m, value: omitted }]),
  ];
}

function modelQualityFamily(quality: Quality | undefined, m: { monitor: string }): Family {
  const samples: Sample[] = [];
  // Which metrics are exported is the metric table's `prometheus`; per-class figures and the confusion matrix stay in the report.
  const add = (sides: { reference: object | null; current: object | null }, task: Quality['task']) => {
    for (const dataset of DATASETS) {
      const side = sides[dataset] as Record<string, ScoreValue | null> | null;
      if (!side) continue;
      for (const { key: metric, unit } of metricsOf(task).filter((x) => x.prometheus)) {
        // Classification metrics that need probabilities or a binary task are null otherwise: no series.
        const raw = side[metric];
        if (raw === null || raw === undefined) continue;
        const value = scoreFromJson(raw);
        // Percentages are exported as ratios (conventions D2).
        samples.push({ labels: { ...m, metric, dataset }, value: unit === 'percent' ? value / 100 : value });
      }
    }
  };
  if (quality?.regression) add(quality.regression, 'regression');
  if (quality?.classification) add(quality.classification, 'classification');
  return family(F.modelQuality, samples);
}

function dataQualityFamilies(quality: Report['quality'], m: { monitor: string }): Family[] {
  if (!quality) return [];
  const perDataset = (s: FamilySpec, value: (d: DatasetStats) => number) =>
    family(s, DATASETS.map((dataset) => ({ labels: { ...m, dataset }, value: value(quality[dataset]) })));
  return [
    perDataset(F.datasetMissing, (d) => d.missing_values.share_of_missing_values),
    perDataset(F.rowsWithMissing, (d) => d.missing_values.share_of_rows_with_missing_values),
    perDataset(F.duplicatedRows, (d) => d.number_of_duplicated_rows),
    perDataset(F.constantColumns, (d) => d.number_of_constant_columns),
    perDataset(F.emptyColumns, (d) => d.number_of_empty_columns),
  ];
}

function reportFamilies(report: Report, options: PromOptions): Family[] {
  const m = { monitor: options.monitor };
  const d = report.drift;
  const { drift, names, omitted } = selectColumns(report, options.maxColumns);
  const columnInfo = new Map(report.columns.map((c) => [c.name, c]));
  const missing: Sample[] = [];
  for (const name of names) {
    const info = columnInfo.get(name);
    for (const dataset of DATASETS) {
      const counts = info?.[dataset];
      if (counts && counts.rows > 0) missing.push({ labels: { ...m, column: name, dataset }, value: (counts.missing + counts.coerced) / counts.rows });
    }
  }
  return [
    family(F.rows, [
      { labels: { ...m, dataset: 'reference' }, value: report.inputs.reference.rows },
      { labels: { ...m, dataset: 'current' }, value: report.inputs.current.rows },
    ]),
    ...driftFamilies(m, d, drift, report.errors.length, omitted),
    family(F.missingRatio, missing),
    ...dataQualityFamilies(report.quality, m),
    ...testFamilies(report.tests, m, options.maxColumns),
    modelQualityFamily(report.model_quality, m),
  ];
}

/** A window's metrics: the families a run over only that window's rows would export, as far as windows[] carries them. */
function windowFamilies(report: Report, w: ReportWindow, options: PromOptions): Family[] {
  const m = { monitor: options.monitor };
  const one = (s: FamilySpec, value: number) => family(s, [{ labels: m, value }]);
  const rows = family(F.rows, [
    { labels: { ...m, dataset: 'reference' }, value: report.inputs.reference.rows },
    { labels: { ...m, dataset: 'current' }, value: w.rows },
  ]);
  if (!w.judged || !w.drift) return [rows];
  const d = w.drift;
  const ranked = [...d.columns].sort(modelColumnsFirst);
  const drift = ranked.slice(0, options.maxColumns);
  const failed = (w.tests?.failed ?? []).slice(0, options.maxColumns);
  return [
    rows,
    ...driftFamilies(m, d, drift, w.errors.length, ranked.length - drift.length),
    family(F.datasetMissing, [{ labels: { ...m, dataset: 'current' }, value: w.quality.missing_share }]),
    ...(w.tests
      ? [
          family(F.tests, TEST_STATUSES.map((status) => ({ labels: { ...m, status: status.toLowerCase() }, value: w.tests!.by_status[status] ?? 0 }))),
          family(F.testFailed, failed.map((t) => ({ labels: { ...m, test: t.id, column: t.column ?? '', class: '' }, value: Number(t.status === 'FAIL') }))),
          one(F.omittedTests, (w.tests.failed.length) - failed.length),
        ]
      : []),
  ];
}

/** The window the textfile reports for a windowed run: the latest complete, judged one (as a daily run would). */
function latestWindow(report: Report): ReportWindow | undefined {
  const latest = report.windowing?.latest_complete;
  return latest === null || latest === undefined ? undefined : report.windows?.[latest];
}

/** When a window's point sits in Prometheus: its start (row windows: their earliest timestamp). */
const windowTime = (w: ReportWindow) => (w.start === null ? null : unixSeconds(w.start));

/**
 * `--format openmetrics`: every window's metrics at the window's time, for `promtool tsdb create-blocks-from
 * openmetrics`; the whole report's metrics are the textfile's business.
 */
export function renderWindowsOpenMetrics(report: Report, options: PromOptions): string {
  const points = (report.windows ?? []).flatMap((w) => {
    const timestamp = windowTime(w);
    return timestamp === null || w.rows === 0 ? [] : [{ timestamp, families: windowFamilies(report, w, options) }];
  });
  return renderOpenMetrics(points);
}

interface RunStatus {
  status: StatusCode;
  endedAt: number;
  lastSuccessAt: number;
  success: boolean;
  durationSeconds: number;
  mlobsVersion: string;
  nodeVersion: string;
}

function runFamilies(monitor: string, run: RunStatus): Family[] {
  const m = { monitor };
  return [
    family(RUN.buildInfo, [{ labels: { ...m, version: run.mlobsVersion, node_version: run.nodeVersion }, value: 1 }]),
    family(RUN.lastRun, [{ labels: m, value: run.endedAt }]),
    family(RUN.lastSuccess, [{ labels: m, value: run.lastSuccessAt }]),
    family(RUN.success, [{ labels: m, value: Number(run.success) }]),
    family(RUN.duration, [{ labels: m, value: run.durationSeconds }]),
    // A state set: every status exported, so `mlobs_run_status{status="tests_failing"} == 1` alerts and a 0 never vanishes.
    family(RUN.status, STATUS_CODES.map((status) => ({ labels: { ...m, status }, value: Number(status === run.status) }))),
  ];
}

/** The metrics of a successful run: the text of both metrics.prom and the textfile. */
export function renderReportMetrics(report: Report, options: PromOptions): string {
  const ended = unixSeconds(report.run.finished_at);
  const run: RunStatus = {
    status: report.status.code,
    endedAt: ended,
    lastSuccessAt: ended,
    success: true,
    durationSeconds: report.run.timings.total_s,
    mlobsVersion: report.run.mlobs_version,
    nodeVersion: report.run.node_version,
  };
  const latest = latestWindow(report);
  return renderExposition([...runFamilies(options.monitor, run), ...(latest ? windowFamilies(report, latest, options) : reportFamilies(report, options))]);
}

/**
 * The metrics of a failed run: success 0 and this run's time, with the last success and the last successful
 * run's measurements read back from the file it replaces (`previous`, the text of that file if there is one).
 */
export function renderFailedRunMetrics(monitor: string, failed: { endedAt: Date; durationSeconds: number }, previous?: string): string {
  const before = parseSamples(previous ?? '');
  const lastSuccess = before.get(RUN.lastSuccess.name)?.find((s) => s.labels.monitor === monitor)?.value ?? 0;
  const run: RunStatus = {
    status: 'error',
    endedAt: failed.endedAt.getTime() / 1000,
    lastSuccessAt: lastSuccess,
    success: false,
    durationSeconds: failed.durationSeconds,
    mlobsVersion: VERSION,
    nodeVersion: process.version,
  };
  const carried = Object.values(REPORT_FAMILIES).map((s) =>
    family(s, (before.get(s.name) ?? []).filter((x) => x.labels.monitor === monitor)),
  );
  return renderExposition([...runFamilies(monitor, run), ...carried]);
}
