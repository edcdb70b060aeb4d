import { scoreFromJson, type ColumnDrift, type Report } from '../report/model.js';

export interface SummaryStyle {
  color: boolean;
}

const paint = (on: boolean, code: string, s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** How far past (positive) or short of (negative) its threshold a score is, in log units, comparable across tests. */
export function severity(c: ColumnDrift): number {
  const score = scoreFromJson(c.score);
  if (Number.isNaN(score)) return -Infinity;
  const ratio = c.score_kind === 'p_value' ? c.threshold / Math.max(score, 1e-300) : Math.max(score, 1e-300) / c.threshold;
  return Math.log(ratio);
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-3 || a >= 1e6) return x.toExponential(2);
  return Number(x.toPrecision(4)).toString();
}

function table(rows: string[][], header: string[], color: boolean, highlight: (i: number) => boolean): string[] {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((cell, j) => cell.padEnd(widths[j])).join('  ').trimEnd();
  return [paint(color, '1', line(header)), ...rows.map((r, i) => (highlight(i) ? paint(color, '31', line(r)) : line(r)))];
}

/** The compact terminal view of a report: verdict, then the columns most past their thresholds first. */
export function formatSummary(report: Report, style: SummaryStyle): string {
  const d = report.drift;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  const verdict = d.dataset_drift ? paint(style.color, '1;31', 'Dataset drift: DETECTED') : paint(style.color, '1;32', 'Dataset drift: not detected');
  const out = [
    `${verdict}: ${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted (${pct(d.share_of_drifted_columns)}; dataset drift at ${pct(d.drift_share)})`,
    `reference: ${report.inputs.reference.path} (${report.inputs.reference.rows} rows)  current: ${report.inputs.current.path} (${report.inputs.current.rows} rows)`,
    '',
  ];
  const sorted = [...d.columns].sort((a, b) => Number(b.drift_detected) - Number(a.drift_detected) || severity(b) - severity(a));
  const rows = sorted.map((c) => [
    c.role === 'feature' ? c.column : `${c.column} (${c.role})`,
    c.type,
    c.stattest,
    formatNumber(scoreFromJson(c.score)),
    `${{ lt: '<', le: '<=', ge: '>=', gt: '>' }[c.drift_rule]} ${formatNumber(c.threshold)}`,
    `${c.n_reference}/${c.n_current}`,
    c.drift_detected ? 'DRIFT' : 'ok',
  ]);
  out.push(...table(rows, ['column', 'type', 'test', 'score', 'drift if', 'n ref/cur', 'drift'], style.color, (i) => sorted[i].drift_detected));
  for (const e of report.errors) out.push(paint(style.color, '33', `error: ${e.message}`));
  for (const w of report.warnings) out.push(paint(style.color, '33', `warning: ${w.message}`));
  return out.join('\n');
}
