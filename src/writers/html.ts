import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { formatNumber, mostDriftedFirst, RULE_SYMBOL } from '../report/format.js';
import { writeFileAtomic } from '../io/atomic.js';
import { scoreFromJson, type ColumnDrift, type ColumnInfo, type Report, type SideCounts } from '../report/model.js';
import { distributionSeries, explainVerdict, largestShift } from './drift-view.js';

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
const percent = (x: number) => `${formatNumber(Math.round(x * 1000) / 10)}%`;
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

/**
 * Everything the templates show, computed here so they stay free of logic. Each section is rendered by
 * the partial it names, and only when it has something to show: a section for a new part of the report is
 * one partial in templates/html/partials/ and one entry below.
 */
export function htmlView(report: Report) {
  const d = report.drift;
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
    d.columns.length > 0 && {
      id: 'drift',
      title: 'Data drift',
      partial: 'drift',
      rows,
      total: rows.length,
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
      driftShare: percent(report.options.drift_share),
      naValues: report.options.na_values.map((v) => JSON.stringify(v)).join(' '),
    },
  ].filter((s) => s !== false);

  return {
    title: `${d.dataset_drift ? 'Drift detected' : 'No drift'}: ${basename(current.path)} vs ${basename(reference.path)} · mlobs`,
    version: report.run.mlobs_version,
    verdict: {
      drift: d.dataset_drift,
      headline: d.dataset_drift ? 'Dataset drift detected' : 'No dataset drift',
      drifted: d.number_of_drifted_columns,
      total: d.number_of_columns,
      share: percent(d.share_of_drifted_columns),
      threshold: percent(d.drift_share),
      notDrifted: d.number_of_columns - d.number_of_drifted_columns,
      errors: report.errors.length,
      errorsWord: plural(report.errors.length, 'error'),
      warnings: report.warnings.length,
      warningsWord: plural(report.warnings.length, 'warning'),
      hasIssues: report.errors.length + report.warnings.length > 0,
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
