import { direction, formatChange, formatCount as count, formatNumber } from '../../report/format.js';
import { metricsOf, type MetricKey, type ModelMetric } from '../../report/metrics.js';
import type { ModelQuality, ScoreValue } from '../../report/model.js';
import { num, score } from './common.js';

type RocCurve = { fpr: number[]; tpr: number[] };

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

export function modelView(m: ModelQuality) {
  const c = m.classification;
  const r = m.regression;
  const byClass =
    c?.reference || c?.current
      ? c.labels.map((label) => {
          const find = (side: typeof c.reference) => side?.by_class.find((x) => x.label === label);
          const [ref, cur] = [find(c.reference), find(c.current)];
          const pair = (key: MetricKey & keyof NonNullable<typeof ref>) => ({ reference: num(ref?.[key]), current: num(cur?.[key]) });
          return {
            label: labelText(label),
            precision: pair('precision'),
            recall: pair('recall'),
            f1: pair('f1'),
            rocAuc: pair('roc_auc'),
            support: `${ref ? count(ref.support) : '–'} / ${cur ? count(cur.support) : '–'}`,
          };
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
      confusion: [c.reference && confusion('Reference', c.reference.confusion_matrix), c.current && confusion('Current', c.current.confusion_matrix)].filter(
        (x) => !!x,
      ),
      byClass,
      hasRocAuc: byClass.some((b) => b.rocAuc.reference !== '–' || b.rocAuc.current !== '–'),
      roc: rocView(c.reference?.roc_curve, c.current?.roc_curve),
      rows: `${c.reference ? count(c.reference.rows) : '–'} / ${c.current ? count(c.current.rows) : '–'}`,
    },
    regression: r && {
      metrics: metricRows(metricsOf('regression'), r.reference, r.current),
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
  const sides = [reference && { side: 'reference', points: points(reference) }, current && { side: 'current', points: points(current) }].filter((x) => !!x);
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
    rects: shares[side].map((s, b) => ({
      x: (b * width + (k * width) / 2).toFixed(2),
      w: (width / 2).toFixed(2),
      y: (100 - (s / top) * 100).toFixed(1),
      h: ((s / top) * 100).toFixed(1),
    })),
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
    ? metricRows(metricsOf('classification').slice(0, 1), m.classification.reference, m.classification.current)[0]
    : m.regression && metricRows(metricsOf('regression').slice(0, 1), m.regression.reference, m.regression.current)[0];
  return (
    row && { ...row, label: row.label.replace(/ \(.*\)$/, '').toLowerCase(), icon: row.direction === 'worse' ? '▼' : row.direction === 'better' ? '▲' : '' }
  );
}
