import { normalSf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import { mwuExactCdf } from '../numeric/mwu_exact.js';
import { forEachMergedValue, numericSides, sortedCopy } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

/**
 * Σ(t³ − t) over tie groups as numpy computes it: in int64, which wraps for enormous tie groups (a constant
 * column of more than ~2.1 million values). Doubles are exact until the sum nears 2^53 and are only replaced
 * by the wrapped BigInt sum when it could have reached 2^63.
 */
function tieTerm(x: Float64Array, y: Float64Array): number {
  let approx = 0;
  forEachMergedValue(x, y, (_v, cx, cy) => {
    const t = cx + cy;
    if (t > 1) approx += t * t * t - t;
  });
  if (approx < 2 ** 62) return approx;
  let exact = 0n;
  forEachMergedValue(x, y, (_v, cx, cy) => {
    const t = BigInt(cx + cy);
    exact += t * t * t - t;
  });
  return Number(BigInt.asIntN(64, exact));
}

/**
 * Mann-Whitney U test as Evidently calls it: scipy.stats.mannwhitneyu(x=ref, y=cur, alternative='less')
 * with scipy 1.10's method='auto' (exact when one side has at most 8 values and nothing is tied, else the
 * normal approximation with tie correction and continuity correction). One-sided: a small p-value means the
 * reference tends to be smaller than the current data.
 */
export const mannWhitney: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'mannw');
  const n1 = ref.length;
  const n2 = cur.length;
  if (n1 === 0 || n2 === 0) throw new StatTestError('`x` and `y` must be of nonzero size.');
  const x = sortedCopy(ref);
  const y = sortedCopy(cur);

  let R1 = 0;
  let ties = false;
  forEachMergedValue(x, y, (_v, cx, cy, before) => {
    R1 += cx * (before + (cx + cy + 1) / 2);
    if (cx + cy > 1) ties = true;
  });
  const U1 = R1 - (n1 * (n1 + 1)) / 2;
  const U2 = n1 * n2 - U1;

  const method = (n1 > 8 && n2 > 8) || ties ? 'asymptotic' : 'exact';
  let p: number;
  if (method === 'exact') {
    // 'less' uses the survival function of U2, i.e. P(U <= U1) by symmetry.
    p = mwuExactCdf(U1, n1, n2);
  } else {
    const mu = (n1 * n2) / 2;
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm(x, y) / (n * (n - 1))));
    const z = (U2 - mu - 0.5) / s;
    p = normalSf(z);
  }
  p = Math.min(Math.max(p, 0), 1);
  return { score: p, details: { statistic_U: U1, method } };
};
