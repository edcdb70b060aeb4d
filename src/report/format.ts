/** How a report's numbers and verdicts read: one place, so the terminal, HTML, PNG and Slack agree. */
import { headlineMetrics, type ModelMetric } from './metrics.js';
import { scoreFromJson, type ColumnDrift, type ModelQuality, type ScoreValue } from './model.js';

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

/** Below every double but zero: a p-value that underflowed to 0 is this small, not nothing. */
const P_FLOOR = '< 1e-300';

/** A column's drift score as every channel shows it: a p-value of exactly 0 (underflow) reads as "< 1e-300". */
export function formatScore(c: Pick<ColumnDrift, 'score' | 'score_kind'>): string {
  const x = scoreFromJson(c.score);
  return c.score_kind === 'p_value' && x === 0 ? P_FLOOR : formatNumber(x);
}

/** The "drift if" of a column: its test's rule and threshold, the corrected one under --correction. */
export function formatRule(c: Pick<ColumnDrift, 'drift_rule' | 'threshold' | 'correction'>): string {
  return `${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.correction?.threshold ?? c.threshold)}`;
}

/** Whole counts with thousands separators. */
export const formatCount = (n: number) => n.toLocaleString('en-US');

/** A 0-100 share in prose: one decimal, or two significant digits below 1 % so a small share does not read as none. */
export const formatShare = (pct: number) => `${formatNumber(pct >= 1 || pct === 0 ? Math.round(pct * 10) / 10 : Number(pct.toPrecision(2)))}%`;

export function formatBytes(n: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let x = n;
  while (x >= 1000 && i < units.length - 1) {
    x /= 1000;
    i++;
  }
  return i === 0 ? `${n} bytes` : `${formatNumber(x)} ${units[i]}`;
}

/** A share 0-1 as a percentage with one decimal: `0.447` → `44.7%`. */
export function formatPercent(ratio: number): string {
  return `${formatNumber(Math.round(ratio * 1000) / 10)}%`;
}

/**
 * A metric's change from reference to current, the same in every channel: relative to the reference
 * (`+44.7%`), or the signed difference (`+0.1`) when the reference is 0 and a ratio means nothing.
 * Empty when either side is missing or not finite.
 */
export function formatChange(reference: number, current: number): string {
  if (reference === 0) return formatDifference(reference, current);
  const d = current - reference;
  return Number.isFinite(d) ? `${d > 0 ? '+' : ''}${formatPercent(d / Math.abs(reference))}` : '';
}

/** Current minus reference with its sign (`+0.1`), for values whose ratio means nothing (correlations); '' when not finite. */
export function formatDifference(reference: number, current: number): string {
  const d = current - reference;
  return Number.isFinite(d) ? `${d > 0 ? '+' : ''}${formatNumber(d)}` : '';
}

/** `better`, `worse`, or '' when the metric has no better direction or did not move. */
export function direction(better: ModelMetric['better'], reference: number, current: number): '' | 'better' | 'worse' {
  const d = current - reference;
  if (better === null || !Number.isFinite(d) || d === 0) return '';
  return (d > 0) === (better === 'higher') ? 'better' : 'worse';
}

/** " (+44.7%, worse)": the change and which way it goes for the model, or '' when neither means anything. */
export function changeNote(q: QualityChange): string {
  const parts = [formatChange(q.reference, q.current), direction(q.better, q.reference, q.current)].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** `RMSE 578.9 → 837.7 (+44.7%, worse)`: a headline metric on one line, for the terminal. */
export function formatQualityChange(q: QualityChange): string {
  return `${q.metric} ${formatNumber(q.reference)} → ${formatNumber(q.current)}${changeNote(q)}`;
}

/** ANSI colour for the terminal: `code` is an SGR sequence such as `1;31` (bold red). */
export function paint(on: boolean, code: string, s: string): string {
  return on ? `\u001b[${code}m${s}\u001b[0m` : s;
}

/** Evidently's descriptions mark names **like this**; plain-text channels drop the markers. */
export function stripEmphasis(s: string): string {
  return s.replace(/\*\*/g, '');
}

/** Drifted columns first, then by how far past (or short of) their threshold: the terminal summary's order. */
export function mostDriftedFirst(a: ColumnDrift, b: ColumnDrift): number {
  return Number(b.drift_detected) - Number(a.drift_detected) || severity(b) - severity(a);
}

/** Drift when `score <symbol> threshold`. */
export const RULE_SYMBOL: Record<ColumnDrift['drift_rule'], string> = { lt: '<', le: '≤', ge: '≥', gt: '>' };

export interface QualityChange {
  metric: string;
  reference: number;
  current: number;
  better: ModelMetric['better'];
}

/** Reference → current of the headline metrics, where both sides have them. */
export function qualityChanges(mq: ModelQuality | undefined): QualityChange[] | undefined {
  const sides = mq && (mq.task === 'regression' ? mq.regression : mq.classification);
  if (!mq || !sides?.reference || !sides.current) return undefined;
  const [ref, cur] = [sides.reference, sides.current] as Record<string, unknown>[];
  return headlineMetrics(mq.task)
    .filter(({ key }) => ref[key] != null && cur[key] != null)
    .map(({ key, short, better }) => ({ metric: short, reference: scoreFromJson(ref[key] as ScoreValue), current: scoreFromJson(cur[key] as ScoreValue), better }));
}
