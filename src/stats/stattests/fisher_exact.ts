import gammaln from '@stdlib/math-base-special-gammaln';
import { StatTestError } from '../errors.js';
import type { StatTestFn } from '../types.js';

/** Relative tolerance scipy uses to decide that a table is "as extreme" as the observed one. */
const EPSILON = 1e-14;

/**
 * ln of 1/(a!·b!·c!·d!), the part of a hypergeometric probability that varies with the table. The four
 * arguments are summed in sorted order so that mirror-image tables (which have the same multiset of
 * arguments) get bit-identical values: scipy counts such exact ties as "as extreme", and an unsorted sum
 * could break them by a rounding error.
 */
function logWeight(a: number, b: number, c: number, d: number): number {
  let lo1 = Math.min(a, b);
  let hi1 = Math.max(a, b);
  let lo2 = Math.min(c, d);
  let hi2 = Math.max(c, d);
  if (lo2 < lo1) [lo1, lo2] = [lo2, lo1];
  if (hi2 < hi1) [hi1, hi2] = [hi2, hi1];
  const mid1 = Math.min(lo2, hi1);
  const mid2 = Math.max(lo2, hi1);
  return -(((gammaln(lo1 + 1) + gammaln(mid1 + 1)) + gammaln(mid2 + 1)) + gammaln(hi2 + 1));
}

/**
 * Two-sided p-value of Fisher's exact test on [[c00, c01], [c10, c11]], as `scipy.stats.fisher_exact`:
 * the total probability of all tables with the same margins whose probability is at most
 * p(observed)·(1 + 1e-14), and exactly 1 when the observed table is (within that tolerance) the mode.
 * Probabilities are handled relative to the mode in log space, so huge tables neither overflow nor underflow
 * before the final scaling.
 */
export function fisherExactTwoSided(c00: number, c01: number, c10: number, c11: number): number {
  if (c00 + c01 === 0 || c10 + c11 === 0 || c00 + c10 === 0 || c01 + c11 === 0) return 1.0;
  const n1 = c00 + c01;
  const n2 = c10 + c11;
  const n = c00 + c10;
  const lw = (x: number) => logWeight(x, n1 - x, n - x, n2 - n + x);
  const mode = Math.trunc(((n + 1) * (n1 + 1)) / (n1 + n2 + 2));
  const lo = Math.max(0, n - n2);
  const hi = Math.min(n, n1);
  const lwObserved = lw(c00);
  const lwMode = lw(mode);
  if (lwObserved === lwMode || Math.abs(Math.exp(lwObserved - lwMode) - 1) <= EPSILON) return 1.0;
  const threshold = lwObserved + Math.log1p(EPSILON);
  let total = 0;
  let extreme = 0;
  for (let x = lo; x <= hi; x++) {
    const l = lw(x);
    const w = Math.exp(l - lwMode);
    total += w;
    if (l <= threshold) extreme += w;
  }
  return Math.min(extreme / total, 1.0);
}

/**
 * Fisher's exact test on a two-level feature: table [[ones_cur, zeros_cur], [ones_ref, zeros_ref]].
 * A side with a single level is padded with a placeholder level, as Evidently does.
 *
 * Deliberate deviations from Evidently: samples of different sizes are scored (a 2×2 table has no
 * equal-size requirement; Evidently refuses them), and more than 2 levels across both samples together is
 * an error (Evidently then maps the extra levels to NaN and returns a hash-order-dependent number).
 */
export const fisherExact: StatTestFn = (sample) => {
  const cat = sample.cat();
  const nRef = cat.ref.length;
  const nCur = cat.cur.length;
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
  let refLevels = 0;
  let curLevels = 0;
  for (let k = 0; k < cat.labels.length; k++) {
    if (cat.refCounts[k] > 0) refLevels++;
    if (cat.curCounts[k] > 0) curLevels++;
  }
  if (refLevels > 2 || curLevels > 2) {
    throw new StatTestError('Expects binary data for both reference and current, but found unique categories > 2');
  }
  if (cat.labels.length > 2) {
    throw new StatTestError('fisher_exact needs at most 2 categories across reference and current together');
  }
  // With one level the other is Evidently's placeholder, which has count 0 on both sides.
  const onesRef = cat.labels.length === 2 ? cat.refCounts[1] : 0;
  const onesCur = cat.labels.length === 2 ? cat.curCounts[1] : 0;
  const score = fisherExactTwoSided(onesCur, nCur - onesCur, onesRef, nRef - onesRef);
  return { score };
};
