import { StatTestError } from '../errors.js';
import { kstwoSf } from '../numeric/kolmogorov.js';
import { outerProbInsideMethod, probOutsideSquare } from '../numeric/ks_exact.js';
import { gcd, roundHalfEven } from '../numeric/round.js';
import { forEachMergedValue, numericSides, sortedCopy } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

/** scipy's ks_2samp `method='auto'` switches to the asymptotic distribution above this sample size. */
const MAX_EXACT_N = 10000;

/** Asymptotic two-sided p-value: kstwo with the effective sample size n·m/(n+m), rounded half-to-even. */
export function ksAsymptoticP(d: number, n1: number, n2: number): number {
  const en = (Math.max(n1, n2) * Math.min(n1, n2)) / (n1 + n2);
  return kstwoSf(d, roundHalfEven(en));
}

/**
 * Two-sample Kolmogorov-Smirnov test, two-sided, as scipy.stats.ks_2samp(ref, cur) with method='auto':
 * exact path counting when both sides have at most 10000 values (falling back to the asymptotic
 * distribution if that fails), kstwo otherwise. The score is the p-value.
 */
export const ks: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'ks');
  const n1 = ref.length;
  const n2 = cur.length;
  if (n1 === 0 || n2 === 0) throw new StatTestError('Data passed to ks_2samp must not be empty');

  // The ECDF difference is formed exactly as numpy does (i/n1 - j/n2), so the rounding to a lattice step
  // below lands on the same integer as scipy's.
  let maxDiff = -Infinity;
  let minDiff = Infinity;
  let i = 0;
  let j = 0;
  forEachMergedValue(sortedCopy(ref), sortedCopy(cur), (_v, cx, cy) => {
    i += cx;
    j += cy;
    const diff = i / n1 - j / n2;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  });
  const minS = Math.min(Math.max(-minDiff, 0), 1);
  let d = minS > maxDiff ? minS : maxDiff;

  let method: 'exact' | 'asymptotic' = Math.max(n1, n2) <= MAX_EXACT_N ? 'exact' : 'asymptotic';
  let p = NaN;
  if (method === 'exact') {
    const g = gcd(n1, n2);
    const lcm = (n1 / g) * n2;
    const h = roundHalfEven(d * lcm);
    d = h / lcm;
    if (h === 0) p = 1;
    else p = n1 === n2 ? probOutsideSquare(n1, h) : outerProbInsideMethod(n1, n2, g, h);
    if (!(p >= 0 && p <= 1)) method = 'asymptotic';
  }
  if (method === 'asymptotic') p = ksAsymptoticP(d, n1, n2);
  if (p < 0) p = 0;
  if (p > 1) p = 1;
  return { score: p, details: { statistic: d, method } };
};
