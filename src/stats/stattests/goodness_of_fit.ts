import { chi2Sf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import type { DriftSample, StatResult } from '../types.js';

/**
 * scipy's power_divergence family as Evidently uses it: current counts observed against reference counts
 * scaled to the current size, the statistic summed per category, p from chi-square with categories − 1
 * degrees of freedom. O(categories) once the counts exist.
 */
export function goodnessOfFit(sample: DriftSample, term: (observed: number, expected: number) => number): StatResult {
  const cat = sample.cat();
  const nRef = cat.ref.length;
  const nCur = cat.cur.length;
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
  const scale = nCur / nRef;
  let statistic = 0;
  for (let k = 0; k < cat.labels.length; k++) statistic += term(cat.curCounts[k], cat.refCounts[k] * scale);
  const df = cat.labels.length - 1;
  return { score: chi2Sf(statistic, df), details: { statistic, df } };
}
