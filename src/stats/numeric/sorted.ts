import { StatTestError } from '../errors.js';
import type { DriftSample, NumericSample } from '../types.js';

/** The numeric view of a sample; the numeric tests are never registered for categorical-only columns. */
export function numericSides(sample: DriftSample, test: string): NumericSample {
  if (!sample.num) throw new StatTestError(`${test} needs numeric data`);
  return sample.num;
}

const sortedCache = new WeakMap<Float64Array, Float64Array>();

/**
 * Ascending copy via the engine's native numeric typed-array sort (no boxing, O(n log n)). Sorting dominates
 * every rank/ECDF test on large columns, so the copy is remembered for as long as the input array lives and
 * shared by all tests run on the same column. Callers must treat it as read-only.
 */
export function sortedCopy(a: Float64Array): Float64Array {
  let sorted = sortedCache.get(a);
  if (!sorted) {
    sorted = new Float64Array(a).sort();
    sortedCache.set(a, sorted);
  }
  return sorted;
}

/** The k-th smallest (0-based) value of the union of two ascending arrays, by binary search on the split. */
export function kthOfSortedPair(x: Float64Array, y: Float64Array, k: number): number {
  // Take i values from x and k + 1 − i from y so that together they are the k + 1 smallest.
  let lo = Math.max(0, k + 1 - y.length);
  let hi = Math.min(k + 1, x.length);
  while (lo < hi) {
    const i = (lo + hi) >>> 1;
    const j = k + 1 - i;
    if (j > 0 && i < x.length && y[j - 1] > x[i]) lo = i + 1;
    else hi = i;
  }
  const i = lo;
  const j = k + 1 - i;
  const fromX = i > 0 ? x[i - 1] : -Infinity;
  const fromY = j > 0 ? y[j - 1] : -Infinity;
  return Math.max(fromX, fromY);
}

/**
 * Walks two ascending arrays in merged order, one call per distinct value, with how many times that value
 * occurs on each side and how many pooled values precede it. This gives pooled average ranks, ECDFs and tie
 * counts without materialising the pooled sample.
 */
export function forEachMergedValue(
  x: Float64Array,
  y: Float64Array,
  visit: (value: number, countX: number, countY: number, before: number) => void,
): void {
  let i = 0;
  let j = 0;
  const nx = x.length;
  const ny = y.length;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    visit(v, i - i0, j - j0, i0 + j0);
  }
}
