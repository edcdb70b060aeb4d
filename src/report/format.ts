/** How a report's numbers and verdicts read: one place, so the terminal, HTML, PNG and Slack agree. */
import { scoreFromJson, type ColumnDrift, type ModelQuality, type ScoreValue } from './model.js';

/** What ranking a column's drift needs: whole reports and windows both have it. */
type Verdict = Pick<ColumnDrift, 'score' | 'score_kind' | 'threshold' | 'drift_detected'>;

/** How far past (positive) or short of (negative) its threshold a score is, in log units, comparable across tests. */
export function severity(c: Verdict): number {
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

/** Drifted columns first, then by how far past (or short of) their threshold: the terminal summary's order. */
export function mostDriftedFirst(a: Verdict, b: Verdict): number {
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
