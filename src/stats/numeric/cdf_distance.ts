import { StatTestError } from '../errors.js';
import { npSum } from './npsum.js';
import { forEachMergedValue, sortedCopy } from './sorted.js';

/**
 * scipy.stats._stats_py._cdf_distance for p = 1 or 2 without weights: Σ |F_u − F_v|^p · Δx over the merged
 * sorted support (p = 2 returns the square root). numpy forms one term per gap between consecutive pooled
 * values (zero-width gaps between ties included) and sums them pairwise; the terms are laid out the same way
 * here so the sum is bit-identical.
 */
export function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  if (u.length === 0 || v.length === 0) throw new StatTestError("Distribution can't be empty.");
  const nu = u.length;
  const nv = v.length;
  const terms = new Float64Array(nu + nv - 1);
  let cu = 0;
  let cv = 0;
  let lastIndex = -1;
  let lastValue = 0;
  let lastDiff = 0;
  forEachMergedValue(sortedCopy(u), sortedCopy(v), (value, countU, countV, before) => {
    if (lastIndex >= 0) terms[lastIndex] = p === 1 ? Math.abs(lastDiff) * (value - lastValue) : lastDiff * lastDiff * (value - lastValue);
    cu += countU;
    cv += countV;
    lastDiff = cu / nu - cv / nv;
    lastValue = value;
    lastIndex = before + countU + countV - 1;
  });
  const sum = npSum(terms);
  return p === 1 ? sum : Math.sqrt(sum);
}
