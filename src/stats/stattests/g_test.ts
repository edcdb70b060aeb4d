import type { StatTestFn } from '../types.js';
import { goodnessOfFit } from './goodness_of_fit.js';

/**
 * G-test (log-likelihood ratio): `G = 2 Σ o·ln(o/e)`, as `scipy.stats.power_divergence(lambda_="log-likelihood")`.
 *
 * Deliberate deviation: Evidently passes the raw reference counts as expected frequencies, so scipy raises
 * whenever n_ref ≠ n_cur. Here the expected counts are scaled by n_cur/n_ref (as for chi-square), which is
 * the same test when the sizes are equal and a valid one when they are not.
 */
export const gTest: StatTestFn = (sample) =>
  // xlogy(0, ·) is 0: a level missing from current contributes nothing.
  goodnessOfFit(sample, (observed, expected) => (observed > 0 ? 2.0 * (observed * Math.log(observed / expected)) : 0));
