import { StatTestError } from '../errors.js';
import { type DataRange, histogramCounts, toDensity, uniformBinsFromRange } from '../histogram.js';
import type { StatResult, StatTestFn } from '../types.js';
import { requireBothSides } from './binning.js';

function hellingerFromCoefficient(bc: number): number {
  return Math.sqrt(1 - Math.min(Math.max(bc, 0), 1));
}

/** Number of distinct values in ref ∪ cur, with their min and max (what Sturges edges of the keys need). */
function distinctKeys(ref: Float64Array, cur: Float64Array): DataRange {
  const pooled = new Float64Array(ref.length + cur.length);
  pooled.set(ref);
  pooled.set(cur, ref.length);
  pooled.sort();
  let size = pooled.length > 0 ? 1 : 0;
  for (let i = 1; i < pooled.length; i++) if (pooled[i] !== pooled[i - 1]) size++;
  return { min: pooled[0], max: pooled[pooled.length - 1], size };
}

/**
 * Hellinger distance. Categorical: over the shares of each level. Numerical: over density histograms whose
 * Sturges edges come from the distinct values of ref ∪ cur (not from the data), times the bin width.
 */
export const hellinger: StatTestFn = (sample): StatResult => {
  const num = sample.num;
  if (sample.type === 'num') {
    if (!num) throw new StatTestError('hellinger on a numerical feature needs numeric values');
    requireBothSides(num.ref.length, num.cur.length);
    const edges = uniformBinsFromRange(distinctKeys(num.ref, num.cur), 'sturges').edges;
    const h1 = toDensity(histogramCounts(num.ref, edges), edges);
    const h2 = toDensity(histogramCounts(num.cur, edges), edges);
    const binWidth = (edges[edges.length - 1] - edges[0]) / (edges.length - 1);
    let bc = 0;
    for (let k = 0; k < h1.length; k++) bc += Math.sqrt(h1[k] * h2[k]) * binWidth;
    return { score: hellingerFromCoefficient(bc), details: { n_bins: h1.length } };
  }
  const cat = sample.cat();
  requireBothSides(cat.ref.length, cat.cur.length);
  let bc = 0;
  for (let k = 0; k < cat.labels.length; k++) {
    bc += Math.sqrt((cat.refCounts[k] / cat.ref.length) * (cat.curCounts[k] / cat.cur.length));
  }
  return { score: hellingerFromCoefficient(bc) };
};
