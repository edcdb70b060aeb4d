import { formatNumber, formatQualityChange, mostDriftedFirst, paint, qualityChanges, RULE_SYMBOL, stripEmphasis } from '../report/format.js';
import { scoreFromJson, type Report } from '../report/model.js';
import { driftSentence, windowLabel } from '../windows/view.js';
import { STATUS_LOOK, statusLine } from '../report/status.js';

export interface SummaryStyle {
  color: boolean;
}

/** The run status, the first line of both `mlobs report` and `mlobs test`. */
export const statusSummaryLine = (report: Report, style: SummaryStyle) => paint(style.color, STATUS_LOOK[report.status.code].ansi, statusLine(report.status));

function table(rows: string[][], header: string[], color: boolean, highlight: (i: number) => boolean): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd();
  return [paint(color, '1', line(header)), ...rows.map((r, i) => (highlight(i) ? paint(color, '31', line(r)) : line(r)))];
}

/** Failed tests shown by name; the rest are counted, and all are in report.json and the HTML. */
const TOP_FAILED_TESTS = 10;

function suiteLines(report: Report, color: boolean): string[] {
  const suite = report.tests;
  if (!suite) return [];
  const { failed_tests, total_tests, by_status } = suite.summary;
  const counts = Object.entries(by_status).map(([status, n]) => `${n} ${status}`).join(', ');
  const head = `Tests: ${failed_tests} of ${total_tests} failed (${counts})`;
  const failed = suite.tests.filter((t) => t.status === 'FAIL' || t.status === 'ERROR');
  const lines = [failed.length ? paint(color, '1;31', head) : paint(color, '1;32', head)];
  // Evidently's descriptions carry Markdown emphasis, which a terminal shows as literal asterisks.
  for (const t of failed.slice(0, TOP_FAILED_TESTS)) lines.push(`  ${t.status.padEnd(5)}  ${stripEmphasis(t.description).replace(/\s+/g, ' ')}`);
  if (failed.length > TOP_FAILED_TESTS) lines.push(`  ... and ${failed.length - TOP_FAILED_TESTS} more`);
  return ['', ...lines];
}

function qualityLine(report: Report): string[] {
  const mq = report.model_quality;
  if (mq?.classification?.error) return ['', `Model quality: not computed: ${mq.classification.error}`];
  const changes = qualityChanges(mq)?.slice(0, 3);
  if (!mq || !changes?.length) return [];
  return ['', `Model quality (${mq.task}, reference → current): ${changes.map(formatQualityChange).join(', ')}`];
}

/** One line per window under the summary: when it starts, its rows, drifted columns, failed tests. */
function windowLines(report: Report, color: boolean): string[] {
  const { windows, windowing } = report;
  if (!windows || !windowing) return [];
  const by = windowing.timestamp ? ` by ${windowing.timestamp}` : '';
  const ref = windowing.reference_range ? `, reference ${windowing.reference_range.start.slice(0, 10)}..${windowing.reference_range.end.slice(0, 10)}` : '';
  const head = `Windows (${windowing.window}${by}${ref}): ${windows.length}`;
  const labels = windows.map((w) => windowLabel(w, windowing));
  const width = Math.max(0, ...labels.map((l) => l.length));
  const rowsWidth = Math.max(0, ...windows.map((w) => String(w.rows).length));
  const lines = windows.map((w, i) => {
    const start = `  ${labels[i].padEnd(width)}  ${String(w.rows).padStart(rowsWidth)} rows  `;
    if (!w.judged) return `${start}not judged: ${w.not_judged_reason}`;
    const d = w.drift!;
    const drift = `${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted${d.dataset_drift ? ' (DRIFT)' : ''}`;
    const tests = w.tests ? `, ${w.tests.failed_tests} of ${w.tests.total_tests} tests failed` : '';
    const partial = w.complete ? '' : ' (incomplete)';
    const line = `${start}${drift}${tests}${partial}`;
    return d.dataset_drift ? paint(color, '31', line) : line;
  });
  const sentence = driftSentence(report);
  return ['', paint(color, '1', head), ...lines, ...(sentence ? [sentence.charAt(0).toUpperCase() + sentence.slice(1)] : [])];
}

/** The compact terminal view of a report: verdict, then the columns most past their thresholds first. */
export function formatSummary(report: Report, style: SummaryStyle): string {
  const d = report.drift;
  const out = [
    statusSummaryLine(report, style),
    `reference: ${report.inputs.reference.path} (${report.inputs.reference.rows} rows)  current: ${report.inputs.current.path} (${report.inputs.current.rows} rows)`,
    '',
  ];
  const sorted = [...d.columns].sort(mostDriftedFirst);
  const rows = sorted.map((c) => [
    c.role === 'feature' ? c.column : `${c.column} (${c.role})`,
    c.type,
    c.stattest,
    formatNumber(scoreFromJson(c.score)),
    `${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)}`,
    `${c.n_reference}/${c.n_current}`,
    c.drift_detected ? 'DRIFT' : 'ok',
  ]);
  out.push(...table(rows, ['column', 'type', 'test', 'score', 'drift if', 'n ref/cur', 'drift'], style.color, (i) => sorted[i].drift_detected));
  out.push(...suiteLines(report, style.color), ...qualityLine(report), ...windowLines(report, style.color));
  for (const e of report.errors) out.push(paint(style.color, '33', `error: ${e.message}`));
  for (const w of report.warnings) out.push(paint(style.color, '33', `warning: ${w.message}`));
  return out.join('\n');
}
