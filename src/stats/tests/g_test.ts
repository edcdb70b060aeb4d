import { chi2Sf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import type { StatTestFn } from '../types.js';

/**
 * G-test (log-likelihood ratio) of current counts against reference counts:
 * `G = 2 Σ o·ln(o/e)`, df = categories − 1, as `scipy.stats.power_divergence(lambda_="log-likelihood")`.
 *
 * Deliberate deviation: Evidently passes the raw reference counts as expected frequencies, so scipy raises
 * whenever n_ref ≠ n_cur. Here the expected counts are scaled by n_cur/n_ref (as for chi-square), which is
 * the same test when the sizes are equal and a valid one when they are not.
 */
export const gTest: StatTestFn = (sample) => {
  const cat = sample.cat();
  const nRef = cat.ref.length;
  const nCur = cat.cur.length;
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
  const kNorm = nCur / nRef;
  let statistic = 0;
  for (let k = 0; k < cat.labels.length; k++) {
    const observed = cat.curCounts[k];
    // xlogy(0, ·) is 0: a level missing from current contributes nothing.
    if (observed > 0) statistic += 2.0 * (observed * Math.log(observed / (cat.refCounts[k] * kNorm)));
  }
  const df = cat.labels.length - 1;
  return { score: chi2Sf(statistic, df), details: { statistic, df } };
};
