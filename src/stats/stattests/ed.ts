import { cdfDistance } from '../numeric/cdf_distance.js';
import { numericSides } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

/** scipy.stats.energy_distance(ref, cur) = √2 · (∫(F_ref − F_cur)²)^½, unnormalised, in data units. */
export const energyDistance: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'ed');
  return { score: Math.SQRT2 * cdfDistance(2, ref, cur) };
};
