import { chi2Sf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import type { StatTestFn } from '../types.js';

/**
 * Evidently's chi-square: a goodness-of-fit test of current counts against reference shares
 * (`scipy.stats.chisquare(f_obs = cur counts, f_exp = ref counts · n_cur/n_ref)`), not a contingency test.
 * A level absent from the reference has expected count 0, so the statistic is inf and p = 0; a single
 * shared level leaves 0 degrees of freedom and p = nan. O(categories) once the counts exist.
 */
export const chiSquare: StatTestFn = (sample) => {
  const cat = sample.cat();
  const nRef = cat.ref.length;
  const nCur = cat.cur.length;
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
  const kNorm = nCur / nRef;
  let statistic = 0;
  for (let k = 0; k < cat.labels.length; k++) {
    const expected = cat.refCounts[k] * kNorm;
    const diff = cat.curCounts[k] - expected;
    statistic += (diff * diff) / expected;
  }
  const df = cat.labels.length - 1;
  return { score: chi2Sf(statistic, df), details: { statistic, df } };
};
