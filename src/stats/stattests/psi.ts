import type { StatTestFn } from '../types.js';
import { binnedShares, binningDetails, fillZeroes } from './binning.js';

/** Population stability index, Σ (ref − cur)·ln(ref/cur), on zero-filled shares that are not renormalised. */
export const psi: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  fillZeroes(b.ref);
  fillZeroes(b.cur);
  let score = 0;
  for (let k = 0; k < b.ref.length; k++) score += (b.ref[k] - b.cur[k]) * Math.log(b.ref[k] / b.cur[k]);
  return { score, details: binningDetails(b) };
};
