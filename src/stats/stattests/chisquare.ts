import type { StatTestFn } from '../types.js';
import { goodnessOfFit } from './goodness_of_fit.js';

/**
 * Evidently's chi-square: a goodness-of-fit test of current counts against reference shares
 * (`scipy.stats.chisquare(f_obs = cur counts, f_exp = ref counts · n_cur/n_ref)`), not a contingency test.
 * A level absent from the reference has expected count 0, so the statistic is inf and p = 0; a single
 * shared level leaves 0 degrees of freedom and p = nan.
 */
export const chiSquare: StatTestFn = (sample) =>
  goodnessOfFit(sample, (observed, expected) => ((observed - expected) * (observed - expected)) / expected);
