import { formatCount as count, formatNumber } from '../../report/format.js';
import { scoreFromJson, type ModelQuality, type ScoreValue } from '../../report/model.js';
import { change, num } from './common.js';

type RocCurve = { fpr: number[]; tpr: number[] };

/** Which way is better for each metric, so the change can be read in words as well as by its sign. */
type Metric<T> = { key: keyof T; label: string; higherIsBetter: boolean | null };

const CLASSIFICATION_METRICS: Metric<NonNullable<NonNullable<ModelQuality['classification']>['reference']>>[] = [
  { key: 'accuracy', label: 'Accuracy', higherIsBetter: true },
  { key: 'precision', label: 'Precision', higherIsBetter: true },
  { key: 'recall', label: 'Recall', higherIsBetter: true },
  { key: 'f1', label: 'F1', higherIsBetter: true },
  { key: 'roc_auc', label: 'ROC AUC', higherIsBetter: true },
  { key: 'log_loss', label: 'Log loss', higherIsBetter: false },
  { key: 'tpr', label: 'True positive rate', higherIsBetter: true },
  { key: 'tnr', label: 'True negative rate', higherIsBetter: true },
  { key: 'fpr', label: 'False positive rate', higherIsBetter: false },
  { key: 'fnr', label: 'False negative rate', higherIsBetter: false },
];

const REGRESSION_METRICS: Metric<NonNullable<NonNullable<ModelQuality['regression']>['reference']>>[] = [
  { key: 'mean_abs_error', label: 'Mean absolute error (MAE)', higherIsBetter: false },
  { key: 'rmse', label: 'Root mean square error (RMSE)', higherIsBetter: false },
  { key: 'mean_error', label: 'Mean error (ME), prediction − target', higherIsBetter: null },
  { key: 'mean_abs_perc_error', label: 'Mean absolute percentage error (MAPE, %)', higherIsBetter: false },
  { key: 'r2_score', label: 'R²', higherIsBetter: true },
  { key: 'abs_error_max', label: 'Largest absolute error', higherIsBetter: false },
  { key: 'error_std', label: 'Error standard deviation', higherIsBetter: false },
  { key: 'abs_error_std', label: 'Absolute error standard deviation', higherIsBetter: false },
];

function metricRows<T extends object>(metrics: Metric<T>[], reference: T | null, current: T | null) {
  return metrics.flatMap(({ key, label, higherIsBetter }) => {
    const r = reference?.[key] as ScoreValue | null | undefined;
    const c = current?.[key] as ScoreValue | null | undefined;
    if ((r === null || r === undefined) && (c === null || c === undefined)) return [];
    const d = r === null || r === undefined || c === null || c === undefined ? NaN : scoreFromJson(c) - scoreFromJson(r);
    const direction = higherIsBetter === null || !Number.isFinite(d) || d === 0 ? '' : (d > 0) === higherIsBetter ? 'better' : 'worse';
    return [{ label, reference: num(r), current: num(c), change: change(r, c), direction }];
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

export function modelView(m: ModelQuality) {
  const c = m.classification;
  const r = m.regression;
  const byClass = c?.reference || c?.current
    ? c.labels.map((label) => {
        const find = (side: typeof c.reference) => side?.by_class.find((x) => x.label === label);
        const [ref, cur] = [find(c.reference), find(c.current)];
        const pair = (key: 'precision' | 'recall' | 'f1' | 'roc_auc') => ({ reference: num(ref?.[key]), current: num(cur?.[key]) });
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
      metrics: metricRows(CLASSIFICATION_METRICS, c.reference, c.current),
      confusion: [c.reference && confusion('Reference', c.reference.confusion_matrix), c.current && confusion('Current', c.current.confusion_matrix)].filter((x) => !!x),
      byClass,
      hasRocAuc: byClass.some((b) => b.rocAuc.reference !== '–' || b.rocAuc.current !== '–'),
      roc: rocView(c.reference?.roc_curve, c.current?.roc_curve),
      rows: `${c.reference ? count(c.reference.rows) : '–'} / ${c.current ? count(c.current.rows) : '–'}`,
    },
    regression: r && {
      metrics: metricRows(REGRESSION_METRICS, r.reference, r.current),
      charts: r.charts && regressionChartsView(r.charts),
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

type RegressionCharts = NonNullable<NonNullable<ModelQuality['regression']>['charts']>;
const SIDES = ['reference', 'current'] as const;

/**
 * Predicted against actual (both sides on one scale, the diagonal a perfect model) and the error
 * distribution of both sides over shared bins, as SVG in a 100 × 100 box (y up): no script needed.
 */
function regressionChartsView(c: RegressionCharts) {
  const all = SIDES.flatMap((s) => c.predicted_vs_actual[s].flat());
  const [lo, hi] = [Math.min(...all), Math.max(...all)];
  const span = hi - lo || 1;
  const at = (v: number) => (((v - lo) / span) * 100).toFixed(1);
  const points = SIDES.map((side) => ({ side, dots: c.predicted_vs_actual[side].map(([y, p]) => ({ x: at(y), y: (100 - Number(at(p))).toFixed(1) })) }));
  const bins = c.errors.reference.length;
  const share = (counts: number[]) => {
    const total = counts.reduce((a, b) => a + b, 0) || 1;
    return counts.map((n) => n / total);
  };
  const shares = { reference: share(c.errors.reference), current: share(c.errors.current) };
  const top = Math.max(...shares.reference, ...shares.current) || 1;
  const width = 100 / bins;
  const bars = SIDES.map((side, k) => ({
    side,
    rects: shares[side].map((s, b) => ({ x: (b * width + (k * width) / 2).toFixed(2), w: (width / 2).toFixed(2), y: (100 - (s / top) * 100).toFixed(1), h: ((s / top) * 100).toFixed(1) })),
  }));
  const zero = c.errors.x[0] < 0 && c.errors.x[bins] > 0 ? ((-c.errors.x[0] / (c.errors.x[bins] - c.errors.x[0])) * 100).toFixed(1) : null;
  return {
    points,
    low: formatNumber(lo),
    high: formatNumber(hi),
    bars,
    zero,
    errorLow: formatNumber(c.errors.x[0]),
    errorHigh: formatNumber(c.errors.x[bins]),
  };
}

/** The verdict's one model line: accuracy for classification, MAE for regression (what Evidently leads with). */
export function modelHeadline(m: ModelQuality) {
  const row = m.classification
    ? metricRows(CLASSIFICATION_METRICS.slice(0, 1), m.classification.reference, m.classification.current)[0]
    : m.regression && metricRows(REGRESSION_METRICS.slice(0, 1), m.regression.reference, m.regression.current)[0];
  return row && { ...row, label: row.label.replace(/ \(.*\)$/, '').toLowerCase(), icon: row.direction === 'worse' ? '▼' : row.direction === 'better' ? '▲' : '' };
}

