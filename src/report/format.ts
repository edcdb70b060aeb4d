/** How a report's numbers and verdicts read: one place, so the terminal, HTML, PNG and Slack agree. */
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

/** A 0-1 fraction as a percent with one decimal. */
export const formatPercent = (x: number) => `${formatNumber(Math.round(x * 1000) / 10)}%`;

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
  /** Which way the change goes for the model; '' when the metric has no better side (mean error) or did not move. */
  direction: 'better' | 'worse' | '';
}

/** The headline metrics of each task, in the order a reader scans them, and whether higher is better. */
const QUALITY_METRICS: Record<ModelQuality['task'], [key: string, label: string, higherIsBetter: boolean | null][]> = {
  regression: [['rmse', 'RMSE', false], ['mean_abs_error', 'MAE', false], ['mean_abs_perc_error', 'MAPE (%)', false], ['mean_error', 'Mean error', null], ['r2_score', 'R²', true]],
  classification: [['accuracy', 'Accuracy', true], ['precision', 'Precision', true], ['recall', 'Recall', true], ['f1', 'F1', true], ['roc_auc', 'ROC AUC', true], ['log_loss', 'Log loss', false]],
};

function direction(reference: number, current: number, higherIsBetter: boolean | null): QualityChange['direction'] {
  const d = current - reference;
  if (higherIsBetter === null || !Number.isFinite(d) || d === 0) return '';
  return (d > 0) === higherIsBetter ? 'better' : 'worse';
}

/** The relative change, signed, as "+10.2%"; '' when it has no meaning (a side not finite, or a zero reference). */
function relativeChange(reference: number, current: number): string {
  if (!Number.isFinite(reference) || !Number.isFinite(current) || reference === 0) return '';
  return `${current >= reference ? '+' : ''}${Math.round(((current - reference) / Math.abs(reference)) * 1000) / 10}%`;
}

/** Reference → current of the headline metrics, where both sides have them. */
export function qualityChanges(mq: ModelQuality | undefined): QualityChange[] | undefined {
  const sides = mq && (mq.task === 'regression' ? mq.regression : mq.classification);
  if (!mq || !sides?.reference || !sides.current) return undefined;
  const [ref, cur] = [sides.reference, sides.current] as Record<string, unknown>[];
  return QUALITY_METRICS[mq.task]
    .filter(([key]) => ref[key] != null && cur[key] != null)
    .map(([key, metric, higherIsBetter]) => {
      const [reference, current] = [scoreFromJson(ref[key] as ScoreValue), scoreFromJson(cur[key] as ScoreValue)];
      return { metric, reference, current, direction: direction(reference, current, higherIsBetter) };
    });
}

/** " (+10.2%, worse)": the change and which way it goes for the model, or '' when neither means anything. */
export function changeNote(q: QualityChange): string {
  const parts = [relativeChange(q.reference, q.current), q.direction].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
