import { StatTestError } from '../errors.js';
import { npSum } from './npsum.js';
import { sortedCopy } from './sorted.js';

/** One terms buffer per thread, grown to the largest pair so far: windowed runs call this hundreds of times. */
let scratch = new Float64Array(0);

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
  const n = nu + nv - 1;
  if (scratch.length < n) scratch = new Float64Array(n);
  const terms = scratch;
  terms.fill(0, 0, n);
  const x = sortedCopy(u);
  const y = sortedCopy(v);
  // forEachMergedValue's walk, inlined: this loop runs over the whole reference for every window.
  let i = 0;
  let j = 0;
  let lastIndex = -1;
  let lastValue = 0;
  let lastDiff = 0;
  while (i < nu || j < nv) {
    const value = j >= nv || (i < nu && x[i] <= y[j]) ? x[i] : y[j];
    if (lastIndex >= 0) terms[lastIndex] = p === 1 ? Math.abs(lastDiff) * (value - lastValue) : lastDiff * lastDiff * (value - lastValue);
    while (i < nu && x[i] === value) i++;
    while (j < nv && y[j] === value) j++;
    lastDiff = i / nu - j / nv;
    lastValue = value;
    lastIndex = i + j - 1;
  }
  const sum = npSum(terms, 0, n);
  return p === 1 ? sum : Math.sqrt(sum);
}
