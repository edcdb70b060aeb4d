import { formatQualityChange, formatRule, formatScore, mostDriftedFirst, paint, qualityChanges, stripEmphasis } from '../report/format.js';
import type { Report } from '../report/model.js';
import { printable, PRINTED_MESSAGE_MAX } from '../printable.js';
import { STATUS_LOOK, statusLine } from '../report/status.js';
import { failuresByImportance, readableDescription } from '../suite/display.js';

export interface SummaryStyle {
  color: boolean;
  /** Characters per line; the drift table and the longer lines are fitted to it. */
  width?: number;
}

// eslint-disable-next-line no-control-regex -- ESC is what an ANSI colour code starts with
const ANSI = /\u001b\[[\d;]*m/g;

/**
 * Cuts a line to `width` visible characters with an ellipsis: colour codes take no columns and are kept
 * (the colour is reset after a cut), and code points are counted, so no emoji or accent is split.
 */
export function fit(line: string, width: number | undefined): string {
  if (width === undefined || [...line.replace(ANSI, '')].length <= width) return line;
  let out = '';
  let shown = 0;
  // eslint-disable-next-line no-control-regex -- as ANSI above, kept by the split's capture group
  for (const part of line.split(/(\u001b\[[\d;]*m)/)) {
    if (part.startsWith('\u001b')) {
      out += part;
      continue;
    }
    for (const ch of part) {
      if (shown === width - 1) return `${out}…${line.includes('\u001b[') ? '\u001b[0m' : ''}`;
      out += ch;
      shown++;
    }
  }
  return out;
}

/** The run status, the first line of both `mlobs report` and `mlobs test`. */
export const statusSummaryLine = (report: Report, style: SummaryStyle) =>
  // Wrapped rather than cut to the width: every count in it matters.
  wrap(statusLine(report.status), style.width, '  ').map((l) => paint(style.color, STATUS_LOOK[report.status.code].ansi, l)).join('\n');

/** Word-wraps prose to `width` (continuation lines indented), for sentences that must not be cut. */
function wrap(text: string, width: number | undefined, indent: string): string[] {
  if (width === undefined) return [text];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && [...line].length + 1 + [...word].length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** Columns of the drift table given up, in this order, when names alone cannot be cut enough: n, type, test. */
const DROP_ORDER = [5, 1, 2];
/** Shortest a column name is cut to (ellipsis included) before whole table columns are dropped instead. */
const MIN_NAME = 12;

/**
 * The drift table within `width`: long column names are cut with an ellipsis first, then the least needed
 * table columns go; the name, the score and the verdict always stay, so no row wraps.
 */
function table(rows: string[][], header: string[], style: SummaryStyle, highlight: (i: number) => boolean): string[] {
  const len = (s: string) => [...s].length;
  let keep = header.map((_, j) => j);
  const widthsOf = (names: number) => keep.map((j) => (j === 0 ? names : Math.max(len(header[j]), ...rows.map((r) => len(r[j])))));
  const natural = Math.max(len(header[0]), ...rows.map((r) => len(r[0])));
  const total = (w: number[]) => w.reduce((a, b) => a + b, 0) + 2 * (w.length - 1);
  let widths = widthsOf(natural);
  for (const drop of [undefined, ...DROP_ORDER]) {
    if (drop !== undefined) keep = keep.filter((j) => j !== drop);
    widths = widthsOf(natural);
    if (style.width === undefined || total(widths) <= style.width) break;
    widths[0] = Math.max(MIN_NAME, natural - (total(widths) - style.width));
    if (total(widths) <= style.width) break;
  }
  const line = (r: string[]) => keep.map((j, k) => fit(r[j], widths[k]).padEnd(widths[k])).join('  ').trimEnd();
  return [paint(style.color, '1', line(header)), ...rows.map((r, i) => (highlight(i) ? paint(style.color, '31', line(r)) : line(r)))];
}

/** Both inputs on one line when it fits, else one line each so neither path is cut. */
export function inputLines(report: Report, width: number | undefined): string[] {
  const [r, c] = [report.inputs.reference, report.inputs.current];
  const sides = [`reference: ${printable(r.path)} (${r.rows} rows)`, `current: ${printable(c.path)} (${c.rows} rows)`];
  const one = sides.join('  ');
  return width === undefined || [...one].length <= width ? [one] : [sides[0], `  ${sides[1]}`];
}

/** Failed tests shown by name; the rest are counted, and all are in report.json and the HTML. */
const TOP_FAILED_TESTS = 10;

function suiteLines(report: Report, color: boolean): string[] {
  const suite = report.tests;
  if (!suite) return [];
  const { failed_tests, total_tests, by_status } = suite.summary;
  const counts = Object.entries(by_status).map(([status, n]) => `${n} ${status}`).join(', ');
  const head = `Tests: ${failed_tests} of ${total_tests} failed (${counts})`;
  const failed = failuresByImportance(suite.tests);
  const lines = [failed.length ? paint(color, '1;31', head) : paint(color, '1;32', head)];
  // Evidently's descriptions carry Markdown emphasis, which a terminal shows as literal asterisks.
  for (const t of failed.slice(0, TOP_FAILED_TESTS)) lines.push(`  ${t.status.padEnd(5)}  ${printable(stripEmphasis(readableDescription(t, report.drift.columns)).replace(/\s+/g, ' '), PRINTED_MESSAGE_MAX)}`);
  if (failed.length > TOP_FAILED_TESTS) lines.push(`  ... and ${failed.length - TOP_FAILED_TESTS} more`);
  return ['', ...lines];
}

function qualityLine(report: Report): string[] {
  const mq = report.model_quality;
  if (mq?.classification?.error) return ['', `Model quality: not computed: ${printable(mq.classification.error, PRINTED_MESSAGE_MAX)}`];
  const changes = qualityChanges(mq)?.slice(0, 3);
  if (!mq || !changes?.length) return [];
  // One metric a line: at 80 columns a joined line would lose its last metrics to the cut.
  return ['', `Model quality (${mq.task}, reference → current):`, ...changes.map((q) => `  ${formatQualityChange(q)}`)];
}

/** The compact terminal view of a report: verdict, then the columns most past their thresholds first. */
export function formatSummary(report: Report, style: SummaryStyle): string {
  const d = report.drift;
  const out = [
    statusSummaryLine(report, style),
    ...inputLines(report, style.width),
    '',
  ];
  const sorted = [...d.columns].sort(mostDriftedFirst);
  const rows = sorted.map((c) => [
    c.role === 'feature' ? printable(c.column) : `${printable(c.column)} (${c.role})`,
    c.type,
    c.stattest,
    formatScore(c),
    formatRule(c),
    `${c.n_reference}/${c.n_current}`,
    // A mark on the verdict itself; the sentences follow the table.
    `${c.drift_detected ? 'DRIFT' : 'ok'}${c.explanations?.length ? '*' : ''}`,
  ]);
  out.push(...table(rows, ['column', 'type', 'test', 'score', 'drift if', 'n ref/cur', 'drift'], style, (i) => sorted[i].drift_detected));
  const notes = sorted.flatMap((c) => (c.explanations ?? []).flatMap((e) => wrap(`* ${printable(c.column)}: ${e.message}`, style.width, '  ')));
  if (notes.length) out.push('', ...notes);
  out.push(...suiteLines(report, style.color), ...qualityLine(report));
  for (const e of report.errors) out.push(paint(style.color, '33', `error: ${printable(e.message, PRINTED_MESSAGE_MAX)}`));
  for (const w of report.warnings) out.push(paint(style.color, '33', `warning: ${printable(w.message, PRINTED_MESSAGE_MAX)}`));
  return out.flatMap((l) => l.split('\n')).map((l) => fit(l, style.width)).join('\n');
}
