import { basename, join } from 'node:path';
import { formatBytes, formatCount as count, formatPercent as percent, mostDriftedFirst } from '../../report/format.js';
import { writeFileAtomic } from '../../io/atomic.js';
import type { Report } from '../../report/model.js';
import { STATUS_LOOK } from '../../report/status.js';
import { DEFAULT_MONITOR } from '../../config/monitors.js';
import { contentSecurityPolicy, inlineScript, loadAssets } from './assets.js';
import { columnRow, inputRow } from './columns.js';
import { HTML_MAX_COLUMNS, plural, utc } from './common.js';
import { driftRow, targetView } from './drift.js';
import { modelHeadline, modelView } from './model.js';
import { qualityView } from './quality.js';
import { suiteView } from './tests.js';

export const HTML_FILE = 'report.html';

/**
 * Everything the templates show, computed here so they stay free of logic. Each section is rendered by
 * the partial it names, and only when it has something to show: a section for a new part of the report is
 * one partial in templates/html/partials/ and one entry below. The order is the order of questions a
 * reader has: did it drift, what drifted, what else broke, is the model worse, then the detail.
 */
export function htmlView(report: Report) {
  const d = report.drift;
  const look = STATUS_LOOK[report.status.code];
  // Wide data: the page shows the most drifted columns (report.json has all of them), so it opens quickly.
  const ordered = [...d.columns].sort(mostDriftedFirst).slice(0, HTML_MAX_COLUMNS);
  const rows = ordered.map(driftRow);
  const driftIds = new Map(ordered.map((c, i) => [c.column, rows[i].id]));
  const notes = new Map<string, string[]>();
  for (const w of report.warnings) if (w.column !== undefined) notes.set(w.column, [...(notes.get(w.column) ?? []), w.message]);
  for (const e of report.errors) notes.set(e.column, [...(notes.get(e.column) ?? []), `error: ${e.message}`]);
  const { reference, current } = report.inputs;
  const links = Object.entries({ Grafana: report.links?.grafana, Prometheus: report.links?.prometheus, Alertmanager: report.links?.alertmanager }).flatMap(
    ([name, url]) => (url ? [{ name, url }] : []),
  );
  // The implicit monitor of a config without `monitors:` is no name worth a title.
  const monitor = report.monitor === DEFAULT_MONITOR ? undefined : report.monitor;

  const sections = [
    d.columns.length > 0 && {
      id: 'drift',
      title: 'Data drift',
      partial: 'drift',
      rows,
      total: rows.length,
      omitted: d.columns.length - rows.length,
    },
    (report.target_drift?.columns.length ?? 0) > 0 && {
      id: 'target',
      title: 'Target and prediction drift',
      partial: 'target',
      ...targetView(report.target_drift!, rows),
    },
    report.tests !== undefined && {
      id: 'tests',
      title: 'Test suite',
      partial: 'tests',
      ...suiteView(report.tests, d.columns),
    },
    report.model_quality !== undefined && {
      id: 'model',
      title: 'Model quality',
      partial: 'model',
      ...modelView(report.model_quality),
    },
    report.quality !== undefined && {
      id: 'quality',
      title: 'Data quality',
      partial: 'quality',
      ...qualityView(report.quality, driftIds),
    },
    {
      id: 'columns',
      title: 'Columns',
      partial: 'columns',
      rows: report.columns.slice(0, HTML_MAX_COLUMNS).map((c) => columnRow(c, driftIds, notes)),
      omitted: Math.max(0, report.columns.length - HTML_MAX_COLUMNS),
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
    title: `${monitor ? `${monitor}: ` : ''}${look.word}: ${basename(current.path)} vs ${basename(reference.path)} · mlobs`,
    version: report.run.mlobs_version,
    verdict: {
      monitor: monitor ?? null,
      tone: look.colour,
      icon: look.icon,
      word: look.word,
      // The headline without its leading word, which the banner's title shows.
      detail: report.status.headline.slice(look.word.length + 2),
      drifted: d.number_of_drifted_columns,
      threshold: percent(d.drift_share),
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
