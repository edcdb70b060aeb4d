import { normalCdf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import type { StatTestFn } from '../types.js';

/**
 * Evidently's two-proportion z-test: the first level in sorted order against all other levels pooled,
 * two-sided p = 2·(1 − Φ(|z|)) (kept in that form rather than 2·sf(|z|) so tiny p-values round as
 * Evidently's do). When both samples hold the same single value, p = 1 by definition.
 */
export const zTest: StatTestFn = (sample) => {
  const cat = sample.cat();
  const n1 = cat.ref.length;
  const n2 = cat.cur.length;
  if (n1 === 0 || n2 === 0) throw new StatTestError('reference and current must both have at least one value');
  if (cat.labels.length === 1) return { score: 1 };
  // Labels are sorted and only levels that occur are kept, so code 0 is the smallest key of the union.
  const p1 = (n1 - cat.refCounts[0]) / n1;
  const p2 = (n2 - cat.curCounts[0]) / n2;
  const pooled = (p1 * n1 + p2 * n2) / (n1 + n2);
  const z = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2));
  return { score: 2 * (1 - normalCdf(Math.abs(z))), details: { statistic: z } };
};
