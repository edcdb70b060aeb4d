import { normalPpf } from '../stats/distributions.js';
import { npMean, npSum, npVar } from '../stats/numeric/npsum.js';
import { linearQuantile } from '../stats/numeric/sorted.js';

export interface RegressionQuality {
  rows: number;
  r2_score: number;
  rmse: number;
  mean_error: number;
  mean_abs_error: number;
  mean_abs_perc_error: number;
  abs_error_max: number;
  error_std: number;
  abs_error_std: number;
  abs_perc_error_std: number;
  underperformance: Record<'majority' | 'underestimation' | 'overestimation', { mean_error: number; std_error: number }>;
  error_normality: { slope: number; intercept: number; r: number };
}

/** Most points per side in the predicted-vs-actual chart: enough to see the shape, small enough to ship. */
const MAX_POINTS = 300;
const ERROR_BINS = 20;

/**
 * What the report's regression charts draw: [target, prediction] pairs (every k-th finite row, so the
 * chart keeps the data's order and spread) and both sides' errors over one set of bins.
 */
export function regressionCharts(sides: { y: Float64Array; p: Float64Array }[]) {
  const points = ({ y, p }: { y: Float64Array; p: Float64Array }) => {
    const step = Math.max(1, Math.ceil(y.length / MAX_POINTS));
    const out: [number, number][] = [];
    for (let i = 0; i < y.length; i += step) out.push([y[i], p[i]]);
    return out;
  };
  const errors = sides.map(({ y, p }) => map(p, (x, i) => x - y[i]));
  let min = Math.min(...errors.map((e) => e.reduce((a, b) => Math.min(a, b), Infinity)));
  let max = Math.max(...errors.map((e) => e.reduce((a, b) => Math.max(a, b), -Infinity)));
  if (!Number.isFinite(min)) [min, max] = [0, 0];
  if (min === max) [min, max] = [min - 0.5, max + 0.5];
  const x = Array.from({ length: ERROR_BINS + 1 }, (_, i) => (i === ERROR_BINS ? max : min + ((max - min) * i) / ERROR_BINS));
  const counts = (e: Float64Array) => {
    const out = new Array<number>(ERROR_BINS).fill(0);
    for (const v of e) out[Math.min(ERROR_BINS - 1, Math.floor(((v - min) / (max - min)) * ERROR_BINS))]++;
    return out;
  };
  return {
    predicted_vs_actual: { reference: points(sides[0]), current: points(sides[1]) },
    errors: { x, reference: counts(errors[0]), current: counts(errors[1]) },
  };
}

/** The rows where both target and prediction are finite (Evidently drops NaN and ±inf in either). */
export function finitePairs(target: Float64Array, prediction: Float64Array): { y: Float64Array; p: Float64Array } {
  let n = 0;
  for (let i = 0; i < target.length; i++) if (Number.isFinite(target[i]) && Number.isFinite(prediction[i])) n++;
  const y = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0, k = 0; i < target.length; i++) {
    if (!Number.isFinite(target[i]) || !Number.isFinite(prediction[i])) continue;
    y[k] = target[i];
    p[k++] = prediction[i];
  }
  return { y, p };
}

/** `f` over `a` in a loop: `Float64Array.from(a, f)` gathers a typed array into a list first (~1 GB at 50M rows). */
function map(a: Float64Array, f: (x: number, i: number) => number): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = f(a[i], i);
  return out;
}
const std1 = (a: Float64Array) => Math.sqrt(npVar(a, 1));

/**
 * scipy's probplot(e, dist="norm") fit: Filliben's order-statistic medians through the normal quantile
 * against the sorted errors, then a least-squares line and its correlation (scipy's linregress).
 */
function normality(errors: Float64Array): RegressionQuality['error_normality'] {
  const n = errors.length;
  const last = 0.5 ** (1 / n);
  const osm = Float64Array.from({ length: n }, (_, i) => normalPpf(i === n - 1 ? last : i === 0 ? 1 - last : (i + 1 - 0.3175) / (n + 0.365)));
  const osr = Float64Array.from(errors).sort();
  const mx = npMean(osm);
  const my = npMean(osr);
  const sxy = npSum(map(osm, (x, i) => (x - mx) * (osr[i] - my))) / n;
  const sxx = npSum(map(osm, (x) => (x - mx) ** 2)) / n;
  const syy = npSum(map(osr, (y) => (y - my) ** 2)) / n;
  const slope = sxy / sxx;
  const r = sxx === 0 || syy === 0 ? 0 : Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { slope, intercept: my - slope * mx, r };
}

/**
 * Evidently's RegressionQualityMetric on one side (spec §7.2) with e = prediction − target. MAPE divides by
 * max(target, ε), not |target|, as Evidently does, and its standard deviation stays a fraction.
 */
export function regressionQuality(target: Float64Array, prediction: Float64Array): RegressionQuality {
  const { y, p } = finitePairs(target, prediction);
  const n = y.length;
  const e = map(p, (x, i) => x - y[i]);
  const abs = map(e, Math.abs);
  const perc = map(abs, (a, i) => a / Math.max(y[i], Number.EPSILON));
  const sorted = Float64Array.from(e).sort();
  const q5 = linearQuantile(n, 0.05, (k) => sorted[k]);
  const q95 = linearQuantile(n, 0.95, (k) => sorted[k]);
  const group = (keep: (x: number) => boolean) => {
    const part = e.filter(keep);
    return { mean_error: npMean(part), std_error: std1(part) };
  };
  const yMean = npMean(y);
  const residual = npSum(map(e, (x) => x * x));
  const total = npSum(map(y, (x) => (x - yMean) ** 2));
  return {
    rows: n,
    // sklearn keeps r2 finite for a constant target: 1 for a perfect fit, else 0.
    r2_score: total === 0 ? (residual === 0 ? 1 : 0) : 1 - residual / total,
    rmse: Math.sqrt(residual / n),
    mean_error: npMean(e),
    mean_abs_error: npMean(abs),
    mean_abs_perc_error: 100 * npMean(perc),
    abs_error_max: abs.reduce((a, b) => Math.max(a, b), -Infinity),
    error_std: std1(e),
    abs_error_std: std1(abs),
    abs_perc_error_std: std1(perc),
    underperformance: {
      majority: group((x) => x > q5 && x < q95),
      underestimation: group((x) => x <= q5),
      overestimation: group((x) => x >= q95),
    },
    error_normality: normality(e),
  };
}
