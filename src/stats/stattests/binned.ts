import { StatTestError } from '../errors.js';
import { type DataRange, histogramBinEdges, histogramCounts, toDensity, uniformBinsFromRange } from '../histogram.js';
import type { DriftSample, StatResult, StatTestFn } from '../types.js';

export interface BinnedShares {
  ref: Float64Array;
  cur: Float64Array;
  binning: 'sturges' | 'per_value';
  nBins: number;
}

/** Whether `values` has more than `limit` distinct values; stops scanning as soon as it knows. */
function hasMoreDistinctThan(values: Float64Array, limit: number): boolean {
  const seen = new Float64Array(limit);
  let k = 0;
  outer: for (let i = 0; i < values.length; i++) {
    const v = values[i];
    for (let j = 0; j < k; j++) if (seen[j] === v) continue outer;
    if (k === limit) return true;
    seen[k++] = v;
  }
  return false;
}

function requireBothSides(nRef: number, nCur: number): void {
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
}

/**
 * Evidently's `get_binned_data`: Sturges histogram shares over ref+cur when the feature is numerical and
 * the reference has more than 20 distinct values, otherwise one share per category of the union (a level
 * absent from one side has share 0 there).
 */
export function binnedShares(sample: DriftSample): BinnedShares {
  const num = sample.num;
  if (sample.type === 'num' && num && hasMoreDistinctThan(num.ref, 20)) {
    requireBothSides(num.ref.length, num.cur.length);
    const edges = histogramBinEdges([num.ref, num.cur], 'sturges');
    const ref = histogramCounts(num.ref, edges);
    const cur = histogramCounts(num.cur, edges);
    for (let k = 0; k < ref.length; k++) {
      ref[k] /= num.ref.length;
      cur[k] /= num.cur.length;
    }
    return { ref, cur, binning: 'sturges', nBins: ref.length };
  }
  const cat = sample.cat();
  requireBothSides(cat.ref.length, cat.cur.length);
  const ref = new Float64Array(cat.labels.length);
  const cur = new Float64Array(cat.labels.length);
  for (let k = 0; k < ref.length; k++) {
    ref[k] = cat.refCounts[k] / cat.ref.length;
    cur[k] = cat.curCounts[k] / cat.cur.length;
  }
  return { ref, cur, binning: 'per_value', nBins: ref.length };
}

/**
 * Evidently's `feel_zeroes`, in place: each zero share becomes 1e-4, or the smallest non-zero share / 1e6
 * when that share is itself at most 1e-4. The array is not renormalised.
 */
export function fillZeroes(shares: Float64Array): void {
  let min = Infinity;
  for (let k = 0; k < shares.length; k++) if (shares[k] !== 0 && shares[k] < min) min = shares[k];
  const fill = min <= 0.0001 ? min / 1e6 : 0.0001;
  for (let k = 0; k < shares.length; k++) if (shares[k] === 0) shares[k] = fill;
}

function binningDetails(b: BinnedShares): Record<string, string | number> {
  return { binning: b.binning, n_bins: b.nBins };
}

function sum(values: Float64Array): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k];
  return s;
}

/** scipy's `rel_entr(x, y)`: x·ln(x/y), 0 when x is 0, inf when only y is 0. */
function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** `scipy.spatial.distance.jensenshannon(ref, cur)` (natural log) on unsmoothed shares. */
export const jensenShannon: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  const sp = sum(b.ref);
  const sq = sum(b.cur);
  let left = 0;
  let right = 0;
  for (let k = 0; k < b.ref.length; k++) {
    const p = b.ref[k] / sp;
    const q = b.cur[k] / sq;
    const m = (p + q) / 2.0;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  return { score: Math.sqrt((left + right) / 2.0), details: binningDetails(b) };
};

/** Population stability index, Σ (ref − cur)·ln(ref/cur), on zero-filled shares that are not renormalised. */
export const psi: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  fillZeroes(b.ref);
  fillZeroes(b.cur);
  let score = 0;
  for (let k = 0; k < b.ref.length; k++) score += (b.ref[k] - b.cur[k]) * Math.log(b.ref[k] / b.cur[k]);
  return { score, details: binningDetails(b) };
};

/** `scipy.stats.entropy(ref, cur)`: KL(ref ‖ cur) after zero filling, which entropy() renormalises. */
export const klDiv: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  fillZeroes(b.ref);
  fillZeroes(b.cur);
  const sp = sum(b.ref);
  const sq = sum(b.cur);
  let score = 0;
  for (let k = 0; k < b.ref.length; k++) score += relEntr(b.ref[k] / sp, b.cur[k] / sq);
  return { score, details: binningDetails(b) };
};

function hellingerFromCoefficient(bc: number): number {
  return Math.sqrt(1 - Math.min(Math.max(bc, 0), 1));
}

/** Number of distinct values in ref ∪ cur, with their min and max (what Sturges edges of the keys need). */
function distinctKeys(ref: Float64Array, cur: Float64Array): DataRange {
  const pooled = new Float64Array(ref.length + cur.length);
  pooled.set(ref);
  pooled.set(cur, ref.length);
  pooled.sort();
  let size = pooled.length > 0 ? 1 : 0;
  for (let i = 1; i < pooled.length; i++) if (pooled[i] !== pooled[i - 1]) size++;
  return { min: pooled[0], max: pooled[pooled.length - 1], size };
}

/**
 * Hellinger distance. Categorical: over the shares of each level. Numerical: over density histograms whose
 * Sturges edges come from the distinct values of ref ∪ cur (not from the data), times the bin width.
 */
export const hellinger: StatTestFn = (sample): StatResult => {
  const num = sample.num;
  if (sample.type === 'num') {
    if (!num) throw new StatTestError('hellinger on a numerical feature needs numeric values');
    requireBothSides(num.ref.length, num.cur.length);
    const edges = uniformBinsFromRange(distinctKeys(num.ref, num.cur), 'sturges').edges;
    const h1 = toDensity(histogramCounts(num.ref, edges), edges);
    const h2 = toDensity(histogramCounts(num.cur, edges), edges);
    const binWidth = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
    let bc = 0;
    for (let k = 0; k < h1.length; k++) bc += Math.sqrt(h1[k] * h2[k]) * binWidth;
    return { score: hellingerFromCoefficient(bc), details: { n_bins: h1.length } };
  }
  const cat = sample.cat();
  requireBothSides(cat.ref.length, cat.cur.length);
  let bc = 0;
  for (let k = 0; k < cat.labels.length; k++) {
    bc += Math.sqrt((cat.refCounts[k] / cat.ref.length) * (cat.curCounts[k] / cat.cur.length));
  }
  return { score: hellingerFromCoefficient(bc) };
};
