import type { StatTestFn } from '../types.js';
import { binnedShares, binningDetails, relEntr, sum } from './binning.js';

/** `scipy.spatial.distance.jensenshannon(ref, cur)` (natural log) on unsmoothed shares. */
export const jensenShannon: StatTestFn = (sample) => {
  const b = binnedShares(sample);
  const sp = sum(b.ref);
  const sq = sum(b.cur);
  let left = 0;
  let right = 0;
  for (let k = 0; k < b.ref.length; k++) {
    const p = b.ref[k] / sp;
    const q = b.cur[k] / sq;
    const m = (p + q) / 2.0;
    left += relEntr(p, m);
    right += relEntr(q, m);
  }
  return { score: Math.sqrt((left + right) / 2.0), details: binningDetails(b) };
};
