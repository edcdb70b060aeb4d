import type { StatTestFn } from '../types.js';
import { binnedShares, binningDetails, fillZeroes, relEntr, sum } from './binning.js';

/** `scipy.stats.entropy(ref, cur)`: KL(ref ‖ cur) after zero filling, which entropy() renormalises. */
export const klDiv: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  fillZeroes(b.ref);
  fillZeroes(b.cur);
  const sp = sum(b.ref);
  const sq = sum(b.cur);
  let score = 0;
  for (let k = 0; k < b.ref.length; k++) score += relEntr(b.ref[k] / sp, b.cur[k] / sq);
  return { score, details: binningDetails(b) };
};
