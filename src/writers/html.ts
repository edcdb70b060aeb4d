import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { direction, formatChange, formatDifference, formatNumber, formatPercent, mostDriftedFirst, RULE_SYMBOL } from '../report/format.js';
import { metricsOf, type MetricKey, type ModelMetric } from '../report/metrics.js';
import { STATUS_LOOK } from '../report/status.js';
import { writeFileAtomic } from '../io/atomic.js';
import {
  scoreFromJson,
  type ColumnDrift,
  type ColumnInfo,
  type ColumnStats,
  type DataQuality,
  type DatasetStats,
  type ModelQuality,
  type Report,
  type ScoreValue,
  type SideCounts,
  type TargetDrift,
  type TestSuite,
} from '../report/model.js';
import { distributionSeries, explainVerdict, largestShift } from './drift_view.js';
import { windowsSection } from './windows_view.js';

export const HTML_FILE = 'report.html';

/** The package ships templates/ beside dist/; this file sits two levels down in both src/ and dist/. */
const TEMPLATES = fileURLToPath(new URL('../../templates/html/', import.meta.url));

interface Assets {
  page: Handlebars.TemplateDelegate;
  css: string;
  boot: string;
  app: string;
  chartjs: string;
}

let assets: Assets | undefined;

/**
 * Chart.js's package exports no path to its UMD build, so it is found next to the CommonJS entry. The
 * source-map comment goes: it would make an open DevTools fetch a file that is not there.
 */
function readChartJs(): string {
  const entry = createRequire(import.meta.url).resolve('chart.js');
  return readFileSync(join(dirname(entry), 'chart.umd.min.js'), 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}

/** Handlebars is loaded on the first HTML report only, so no other command pays for it at startup. */
async function loadAssets(): Promise<Assets> {
  if (assets) return assets;
  const hbs = (await import('handlebars')).default.create();
  const partials = join(TEMPLATES, 'partials');
  for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
    hbs.registerPartial(basename(file, '.hbs'), readFileSync(join(partials, file), 'utf8'));
  }
  const read = (name: string) => readFileSync(join(TEMPLATES, name), 'utf8');
  assets = {
    page: hbs.compile(read('layout.hbs'), { strict: true }),
    css: read('report.css'),
    boot: "document.documentElement.className='js';",
    app: read('report.js'),
    chartjs: readChartJs(),
  };
  return assets;
}

/** Inline scripts are data to the HTML parser until `</script`; none of ours may contain it. */
function inlineScript(source: string): string {
  if (/<\/script/i.test(source)) throw new Error('an inline script contains "</script"');
  return source;
}

const sha256 = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;

/**
 * The page may run only its own inline scripts and styles and fetch nothing: with default-src 'none' the
 * browser itself enforces "no network request", whatever a future template or Chart.js version tries.
 */
function contentSecurityPolicy(scripts: string[], css: string): string {
  return [
    "default-src 'none'",
    `script-src ${scripts.map(sha256).join(' ')}`,
    `style-src ${sha256(css)}`,
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const count = (n: number) => n.toLocaleString('en-US');
/** Shares in prose: one decimal, or two significant digits below 1 % so a small share does not read as none. */
const share = (pct: number) => `${formatNumber(pct >= 1 || pct === 0 ? Math.round(pct * 10) / 10 : Number(pct.toPrecision(2)))}%`;

function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = n;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${formatNumber(x)} ${units[i]}`;
}

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

const TYPE_LABEL: Record<ColumnInfo['type'], string> = { num: 'numerical', cat: 'categorical', datetime: 'datetime', unknown: 'unknown' };
const TYPE_WHY: Record<ColumnInfo['type_source'], string> = {
  inferred: 'inferred from the values',
  declared: 'declared in the options',
  role: 'follows from its role',
};

function driftRow(c: ColumnDrift, i: number) {
  const score = scoreFromJson(c.score);
  const series = distributionSeries(c.distribution);
  const shift = largestShift(series);
  const histogram = c.distribution.kind === 'histogram';
  const unit = histogram ? 'values' : 'rows';
  const binKind = histogram ? 'bin' : 'category';
  return {
    id: `drift-${i}`,
    column: c.column,
    role: c.role,
    // The verdict's list of drifted columns says when one is the target or a prediction: that drift means most.
    roleNote: c.role === 'feature' ? '' : ` (${c.role})`,
    type: TYPE_LABEL[c.type],
    stattest: c.stattest,
    stattestName: c.stattest_name,
    scoreKind: c.score_kind === 'p_value' ? 'p-value' : 'distance',
    score: formatNumber(score),
    scoreExact: String(c.score),
    // Sorts NaN last whichever way: it has no place on the scale.
    scoreSort: Number.isNaN(score) ? '' : String(score),
    rule: `${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)}`,
    thresholdSort: c.threshold,
    drift: c.drift_detected,
    n: `${count(c.n_reference)} / ${count(c.n_current)}`,
    nSort: c.n_current,
    missing: `${count(c.missing_reference)} / ${count(c.missing_current)}`,
    missingSort: c.missing_reference + c.missing_current,
    explanation: explainVerdict(c),
    shift: shift && `Largest change: ${histogram ? `the bin ${shift.label}` : `"${shift.label}"`} holds ${share(shift.reference)} of reference ${unit} and ${share(shift.current)} of current ${unit}.`,
    details: Object.entries(c.details).map(([name, value]) => ({ name, value: typeof value === 'number' ? formatNumber(value) : String(value) })),
    chartLabel: `${c.column}: share of reference and current ${unit} per ${binKind}`,
    bins: series.labels.map((label, b) => ({ label, reference: share(series.reference[b]), current: share(series.current[b]) })),
    binKind,
    series,
  };
}

const sideCounts = (s: SideCounts | null, key: keyof SideCounts) => (s ? s[key] : null);

function columnRow(c: ColumnInfo, driftIds: Map<string, string>, notes: Map<string, string[]>) {
  const pair = (key: keyof SideCounts) => {
    const r = sideCounts(c.reference, key);
    const k = sideCounts(c.current, key);
    return { text: `${r === null ? '–' : count(r)} / ${k === null ? '–' : count(k)}`, some: (r ?? 0) + (k ?? 0) > 0 };
  };
  return {
    name: c.name,
    driftId: driftIds.get(c.name),
    role: c.role,
    type: TYPE_LABEL[c.type],
    why: TYPE_WHY[c.type_source],
    presence: c.in_reference && c.in_current ? 'both files' : c.in_reference ? 'reference only' : 'current only',
    oneFile: !(c.in_reference && c.in_current),
    missing: pair('missing'),
    coerced: pair('coerced'),
    infinite: pair('infinite'),
    tokens: c.coerced_tokens.map((t) => `"${t.token}" ×${count(t.reference + t.current)}`).join(', '),
    notes: notes.get(c.name) ?? [],
  };
}

function inputRow(side: string, x: Report['inputs']['reference']) {
  return { side, path: x.path, size: formatBytes(x.bytes), bytes: count(x.bytes), rows: count(x.rows), columns: count(x.columns), delimiter: JSON.stringify(x.delimiter), sha256: x.sha256 };
}

// ---- Test suite ----

type RocCurve = { fpr: number[]; tpr: number[] };
type TestStatus = TestSuite['tests'][number]['status'];

/** Failures first: a reader opens the suite to see what broke. Icons and words carry the status, not colour. */
const STATUS: Record<TestStatus, { order: number; word: string; icon: string; badge: string }> = {
  FAIL: { order: 0, word: 'Fail', icon: '✕', badge: 'badge-drift' },
  ERROR: { order: 1, word: 'Error', icon: '!', badge: 'badge-error' },
  WARNING: { order: 2, word: 'Warning', icon: '!', badge: 'badge-warn' },
  SUCCESS: { order: 3, word: 'Pass', icon: '✓', badge: 'badge-ok' },
};

const GROUP_LABEL: Record<TestSuite['tests'][number]['group'], string> = {
  data_integrity: 'data integrity',
  data_quality: 'data quality',
  data_drift: 'data drift',
  regression: 'regression',
  classification: 'classification',
};

/** Evidently's descriptions mark column names as **bold** Markdown; split so the template escapes each part. */
function markdownBold(text: string): { text: string; bold: boolean }[] {
  return text.split(/\*\*(.+?)\*\*/).flatMap((part, i) => (part ? [{ text: part, bold: i % 2 === 1 }] : []));
}

function suiteView(t: TestSuite) {
  const tests = t.tests
    .map((test, i) => ({ test, i }))
    .sort((a, b) => STATUS[a.test.status].order - STATUS[b.test.status].order || a.i - b.i)
    .map(({ test }) => ({
      ...STATUS[test.status],
      status: test.status,
      name: test.name,
      column: test.column ?? (test.label === null ? '' : `class ${test.label}`),
      group: GROUP_LABEL[test.group],
      description: markdownBold(test.description),
    }));
  const statuses = (Object.keys(STATUS) as TestStatus[])
    .map((status) => ({ status, ...STATUS[status], n: t.summary.by_status[status] ?? 0 }))
    .filter((s) => s.n > 0);
  return { tests, statuses, total: t.summary.total_tests, failed: t.summary.failed_tests, passed: t.summary.success_tests, presets: t.presets.join(', ') };
}

// ---- Numbers shared by the quality sections ----

/** A report number, NaN when missing. */
const score = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? NaN : scoreFromJson(x));
const num = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? '–' : formatNumber(scoreFromJson(x)));

// ---- Target and prediction drift ----

const CORRELATION_LABEL: Record<TargetDrift['columns'][number]['correlations'][number]['kind'], string> = {
  pearson: 'Pearson',
  spearman: 'Spearman',
  kendall: 'Kendall',
  cramer_v: "Cramér's V",
};

function targetView(t: TargetDrift, rows: ReturnType<typeof driftRow>[]) {
  const gap = (c: { reference: ScoreValue; current: ScoreValue }) => {
    const d = Math.abs(scoreFromJson(c.current) - scoreFromJson(c.reference));
    return Number.isNaN(d) ? -1 : d;
  };
  return {
    drift: rows.filter((r) => r.role === 'target' || r.role === 'prediction'),
    columns: t.columns.map((c) => ({
      column: c.column,
      role: c.role,
      // Largest change first: a feature whose link to the target moved is the lead to follow.
      correlations: [...c.correlations]
        .sort((a, b) => gap(b) - gap(a))
        .map((k) => ({ feature: k.feature, kind: CORRELATION_LABEL[k.kind], reference: num(k.reference), current: num(k.current), change: formatDifference(score(k.reference), score(k.current)) })),
    })),
  };
}

// ---- Data quality ----

/** Percentages in the quality model are already 0-100 and rounded; 2 decimals as Evidently shows them. */
const pct = (x: number | undefined) => (x === undefined ? '' : `${formatNumber(x)}%`);

function statsCells(s: ColumnStats) {
  return {
    count: count(s.count),
    missing: s.missing === 0 ? '0' : `${count(s.missing)} (${pct(s.missing_percentage)})`,
    someMissing: s.missing > 0,
    unique: `${count(s.unique)} (${pct(s.unique_percentage)})`,
    mostCommon: s.most_common === null ? '–' : `${typeof s.most_common === 'number' ? formatNumber(s.most_common) : s.most_common} (${pct(s.most_common_percentage)})`,
    min: num(s.min),
    max: num(s.max),
    mean: num(s.mean),
    std: num(s.std),
    p25: num(s.p25),
    p50: num(s.p50),
    p75: num(s.p75),
  };
}

function outside(c: DataQuality['columns'][number]): string {
  if (c.out_of_range && c.out_of_range.count > 0) return `${count(c.out_of_range.count)} of ${count(c.out_of_range.total)} outside ${num(c.out_of_range.left)} – ${num(c.out_of_range.right)}`;
  if (c.out_of_list && c.out_of_list.count > 0) return `${count(c.out_of_list.count)} of ${count(c.out_of_list.total)} not in the reference`;
  return '';
}

const DATASET_ROWS: [keyof DatasetStats, string][] = [
  ['number_of_rows', 'Rows'],
  ['number_of_columns', 'Columns'],
  ['number_of_numeric_columns', 'Numerical columns'],
  ['number_of_categorical_columns', 'Categorical columns'],
  ['number_of_datetime_columns', 'Datetime columns'],
  ['number_of_text_columns', 'Text columns'],
  ['number_of_missing_values', 'Missing values'],
  ['number_of_constant_columns', 'Constant columns'],
  ['number_of_almost_constant_columns', 'Almost constant columns'],
  ['number_of_duplicated_columns', 'Duplicated columns'],
  ['number_of_almost_duplicated_columns', 'Almost duplicated columns'],
  ['number_of_empty_rows', 'Empty rows'],
  ['number_of_empty_columns', 'Empty columns'],
  ['number_of_duplicated_rows', 'Duplicated rows'],
];

function qualityView(q: DataQuality, driftIds: Map<string, string>) {
  const dataset = DATASET_ROWS.map(([key, label]) => {
    const [r, c] = [q.reference[key] as number, q.current[key] as number];
    // The files' sizes differ by design; any other count that moved is worth a look.
    return { label, reference: count(r), current: count(c), changed: r !== c && key !== 'number_of_rows' };
  });
  const [r, c] = [q.reference.missing_values.number_of_rows_with_missing_values, q.current.missing_values.number_of_rows_with_missing_values];
  dataset.push({ label: 'Rows with missing values', reference: count(r), current: count(c), changed: r !== c });
  return {
    dataset,
    almostConstant: formatPercent(q.almost_constant_threshold),
    almostDuplicated: formatPercent(q.almost_duplicated_threshold),
    columns: q.columns.map((c) => ({
      column: c.column,
      driftId: driftIds.get(c.column),
      kind: c.role === 'feature' ? TYPE_LABEL[c.type] : `${TYPE_LABEL[c.type]}, ${c.role}`,
      reference: statsCells(c.reference),
      current: statsCells(c.current),
      outside: outside(c),
    })),
  };
}

// ---- Model quality ----

/** Reference → current of each metric the report has, with the change in words as well as by its sign. */
function metricRows(metrics: ModelMetric<MetricKey>[], reference: object | null, current: object | null) {
  return metrics.flatMap(({ key, label, better }) => {
    const r = (reference as Record<string, ScoreValue | null> | null)?.[key];
    const c = (current as Record<string, ScoreValue | null> | null)?.[key];
    if ((r === null || r === undefined) && (c === null || c === undefined)) return [];
    const [rv, cv] = [score(r), score(c)];
    return [{ label, reference: num(r), current: num(c), change: formatChange(rv, cv), direction: direction(better, rv, cv) }];
  });
}

const labelText = (l: string | number) => String(l);

function confusion(side: string, m: { labels: (string | number)[]; values: number[][] }) {
  return {
    side,
    labels: m.labels.map(labelText),
    rows: m.values.map((row, i) => ({ label: labelText(m.labels[i]), cells: row.map((n, j) => ({ n: count(n), hit: i === j })) })),
  };
}

function modelView(m: ModelQuality) {
  const c = m.classification;
  const r = m.regression;
  const byClass = c?.reference || c?.current
    ? c.labels.map((label) => {
        const find = (side: typeof c.reference) => side?.by_class.find((x) => x.label === label);
        const [ref, cur] = [find(c.reference), find(c.current)];
        const pair = (key: MetricKey & keyof NonNullable<typeof ref>) => ({ reference: num(ref?.[key]), current: num(cur?.[key]) });
        return { label: labelText(label), precision: pair('precision'), recall: pair('recall'), f1: pair('f1'), rocAuc: pair('roc_auc'), support: `${ref ? count(ref.support) : '–'} / ${cur ? count(cur.support) : '–'}` };
      })
    : [];
  return {
    task: m.task,
    target: m.target,
    prediction: m.prediction.join(', '),
    classification: c && {
      type: c.type,
      predictionType: c.prediction_type,
      posLabel: c.pos_label === null ? null : labelText(c.pos_label),
      threshold: c.probas_threshold,
      error: c.error,
      metrics: metricRows(metricsOf('classification'), c.reference, c.current),
      confusion: [c.reference && confusion('Reference', c.reference.confusion_matrix), c.current && confusion('Current', c.current.confusion_matrix)].filter((x) => !!x),
      byClass,
      hasRocAuc: byClass.some((b) => b.rocAuc.reference !== '–' || b.rocAuc.current !== '–'),
      roc: rocView(c.reference?.roc_curve, c.current?.roc_curve),
      rows: `${c.reference ? count(c.reference.rows) : '–'} / ${c.current ? count(c.current.rows) : '–'}`,
    },
    regression: r && {
      metrics: metricRows(metricsOf('regression'), r.reference, r.current),
      rows: `${r.reference ? count(r.reference.rows) : '–'} / ${r.current ? count(r.current.rows) : '–'}`,
    },
  };
}

/**
 * Both sides' ROC curves as SVG polylines in a 100 × 100 box (y up): drawn by the browser without script,
 * so they print and show with JavaScript off, and cost about 1 kB each.
 */
function rocView(reference: RocCurve | null | undefined, current: RocCurve | null | undefined) {
  const points = (c: RocCurve) => c.fpr.map((x, i) => `${(x * 100).toFixed(1)},${(100 - c.tpr[i] * 100).toFixed(1)}`).join(' ');
  const sides = [
    reference && { side: 'reference', points: points(reference) },
    current && { side: 'current', points: points(current) },
  ].filter((x) => !!x);
  return sides.length ? { sides } : null;
}

/** The verdict's one model line: accuracy for classification, MAE for regression (what Evidently leads with). */
function modelHeadline(m: ModelQuality) {
  const row = m.classification
    ? metricRows(metricsOf('classification').slice(0, 1), m.classification.reference, m.classification.current)[0]
    : m.regression && metricRows(metricsOf('regression').slice(0, 1), m.regression.reference, m.regression.current)[0];
  return row && { ...row, label: row.label.replace(/ \(.*\)$/, '').toLowerCase(), icon: row.direction === 'worse' ? '▼' : row.direction === 'better' ? '▲' : '' };
}

/**
 * Everything the templates show, computed here so they stay free of logic. Each section is rendered by
 * the partial it names, and only when it has something to show: a section for a new part of the report is
 * one partial in templates/html/partials/ and one entry below.
 */
export function htmlView(report: Report) {
  const d = report.drift;
  const look = STATUS_LOOK[report.status.code];
  const ordered = [...d.columns].sort(mostDriftedFirst);
  const rows = ordered.map(driftRow);
  const driftIds = new Map(rows.map((r) => [r.column, r.id]));
  const notes = new Map<string, string[]>();
  for (const w of report.warnings) if (w.column !== undefined) notes.set(w.column, [...(notes.get(w.column) ?? []), w.message]);
  for (const e of report.errors) notes.set(e.column, [...(notes.get(e.column) ?? []), `error: ${e.message}`]);
  const { reference, current } = report.inputs;
  const links = Object.entries({ Grafana: report.links?.grafana, Prometheus: report.links?.prometheus, Alertmanager: report.links?.alertmanager })
    .flatMap(([name, url]) => (url ? [{ name, url }] : []));

  const sections = [
    windowsSection(report),
    report.tests !== undefined && {
      id: 'tests',
      title: 'Test suite',
      partial: 'tests',
      ...suiteView(report.tests),
    },
    d.columns.length > 0 && {
      id: 'drift',
      title: 'Data drift',
      partial: 'drift',
      rows,
      total: rows.length,
    },
    (report.target_drift?.columns.length ?? 0) > 0 && {
      id: 'target',
      title: 'Target and prediction drift',
      partial: 'target',
      ...targetView(report.target_drift!, rows),
    },
    report.quality !== undefined && {
      id: 'quality',
      title: 'Data quality',
      partial: 'quality',
      ...qualityView(report.quality, driftIds),
    },
    report.model_quality !== undefined && {
      id: 'model',
      title: 'Model quality',
      partial: 'model',
      ...modelView(report.model_quality),
    },
    {
      id: 'columns',
      title: 'Columns',
      partial: 'columns',
      rows: report.columns.map((c) => columnRow(c, driftIds, notes)),
    },
    (report.errors.length > 0 || report.warnings.length > 0) && {
      id: 'issues',
      title: 'Errors and warnings',
      partial: 'issues',
      errors: report.errors,
      warnings: report.warnings.map((w) => ({ ...w, column: w.column ?? null })),
    },
    {
      id: 'run',
      title: 'Run',
      partial: 'run',
      inputs: [inputRow('reference', reference), inputRow('current', current)],
      run: report.run,
      started: utc(report.run.started_at),
      finished: utc(report.run.finished_at),
      peakRss: formatBytes(report.run.peak_rss_bytes),
      threadsWord: plural(report.run.drift_threads, 'thread'),
      options: report.options,
      driftShare: formatPercent(report.options.drift_share),
      naValues: report.options.na_values.map((v) => JSON.stringify(v)).join(' '),
    },
  ].filter((s) => s !== false);

  return {
    title: `${look.word}: ${basename(current.path)} vs ${basename(reference.path)} · mlobs`,
    version: report.run.mlobs_version,
    verdict: {
      tone: look.colour,
      icon: look.icon,
      word: look.word,
      // The headline without its leading word, which the banner's title shows.
      detail: report.status.headline.slice(look.word.length + 2),
      drifted: d.number_of_drifted_columns,
      threshold: formatPercent(d.drift_share),
      notDrifted: d.number_of_columns - d.number_of_drifted_columns,
      errors: report.errors.length,
      errorsWord: plural(report.errors.length, 'error'),
      warnings: report.warnings.length,
      warningsWord: plural(report.warnings.length, 'warning'),
      hasIssues: report.errors.length + report.warnings.length > 0,
      tests: report.tests && { failed: report.tests.summary.failed_tests, total: report.tests.summary.total_tests },
      model: report.model_quality && modelHeadline(report.model_quality),
      top: rows.filter((r) => r.drift).slice(0, 5),
      more: Math.max(0, d.number_of_drifted_columns - 5),
      reference: { name: basename(reference.path), rows: count(reference.rows) },
      current: { name: basename(current.path), rows: count(current.rows) },
      when: utc(report.run.finished_at),
    },
    links,
    sections,
    charts: rows.map((r) => ({ kind: r.binKind, ...r.series })),
  };
}

/** The whole report as one HTML document: styles, scripts, Chart.js and the pre-binned chart data inline. */
export async function renderHtml(report: Report): Promise<string> {
  const a = await loadAssets();
  const view = htmlView(report);
  // `<` is escaped so no label can close the data block early; JSON.parse reads \u003c back as `<`.
  const chartData = JSON.stringify(view.charts).replace(/</g, '\\u003c');
  const scripts = [a.boot, a.chartjs, a.app].map(inlineScript);
  return a.page({
    ...view,
    css: a.css,
    boot: scripts[0],
    chartjs: scripts[1],
    app: scripts[2],
    chartData,
    csp: contentSecurityPolicy(scripts, a.css),
  });
}

export async function writeHtml(report: Report, dir: string): Promise<string> {
  const path = join(dir, HTML_FILE);
  await writeFileAtomic(path, await renderHtml(report));
  return path;
}
