/**
 * What the binned distances share: Evidently's `get_binned_data` and `feel_zeroes` (jensenshannon, psi,
 * kl_div) and the both-sides check hellinger needs too. Not a stat test: see the file-name rule in
 * test/registry.test.ts.
 */
import { StatTestError } from '../errors.js';
import { histogramBinEdges, histogramCounts } from '../histogram.js';
import type { DriftSample } from '../types.js';

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

export function requireBothSides(nRef: number, nCur: number): void {
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

export function binningDetails(b: BinnedShares): Record<string, string | number> {
  return { binning: b.binning, n_bins: b.nBins };
}

export function sum(values: Float64Array): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += values[k];
  return s;
}

/** scipy's `rel_entr(x, y)`: x·ln(x/y), 0 when x is 0, inf when only y is 0. */
export function relEntr(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}
