import { studentTwoSidedP } from '../distributions.js';
import { npMean, npVar } from '../numeric/npsum.js';
import { numericSides } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

/**
 * Student's two-sample t-test with pooled variance, two-sided: scipy.stats.ttest_ind(ref, cur). Degenerate
 * inputs follow numpy's arithmetic: equal constant samples give t = 0/0 = NaN (p NaN), different constant
 * samples give t = ±∞ (p 0), and a single value per side gives NaN.
 */
export const tTest: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 't_test');
  const n1 = ref.length;
  const n2 = cur.length;
  if (n1 === 0 || n2 === 0) return { score: NaN, details: { statistic: NaN, df: NaN } };
  const v1 = npVar(ref, 1);
  const v2 = npVar(cur, 1);
  const df = n1 + n2 - 2;
  const svar = ((n1 - 1) * v1 + (n2 - 1) * v2) / df;
  const denom = Math.sqrt(svar * (1 / n1 + 1 / n2));
  const t = (npMean(ref) - npMean(cur)) / denom;
  return { score: studentTwoSidedP(t, df), details: { statistic: t, df } };
};
