import { cdfDistance } from '../numeric/cdf_distance.js';
import { npMean, npSumOf } from '../numeric/npsum.js';
import { numericSides } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

/** A windowed run compares every window with the same reference array: its spread is computed once. */
const stdCache = new WeakMap<Float64Array, number>();

/** Population standard deviation as pandas' Series.std(ddof=0) computes it (two pass, pairwise sums). */
function populationStd(a: Float64Array): number {
  let std = stdCache.get(a);
  if (std === undefined) {
    std = twoPassStd(a);
    stdCache.set(a, std);
  }
  return std;
}

/** The squared deviations are generated block by block (npSumOf), not stored: a column-long array per call. */
function twoPassStd(a: Float64Array): number {
  const avg = npMean(a);
  const squares = npSumOf(a.length, (block, start, count) => {
    for (let k = 0; k < count; k++) block[k] = (avg - a[start + k]) ** 2;
  });
  return Math.sqrt(squares / a.length);
}

/**
 * Evidently's normed Wasserstein distance: scipy.stats.wasserstein_distance(ref, cur) divided by
 * max(std(ref), 0.001), so the score is in units of the reference spread (and a constant reference does
 * not divide by zero).
 */
export const wasserstein: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'wasserstein');
  const norm = Math.max(populationStd(ref), 0.001);
  const distance = cdfDistance(1, ref, cur);
  return { score: distance / norm, details: { distance, norm } };
};
