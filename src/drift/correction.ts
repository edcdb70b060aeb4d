import { CORRECTIONS, scoreFromJson, scoreToJson, type ColumnDrift } from '../report/model.js';
import { isDrift } from './registry.js';

/**
 * Multiple-testing correction across the columns of one report (`--correction`). Testing 50 columns at
 * p < 0.05 flags about 2.5 of them on identical data; a correction trades that for fewer detections.
 * Only p-value tests take part: a distance has no error rate to control.
 */
export type Correction = (typeof CORRECTIONS)[number];

export const CORRECTION_NAME: Record<Correction, string> = { bonferroni: 'Bonferroni', holm: 'Holm', bh: 'Benjamini-Hochberg' };

/**
 * Adjusted p-values as statsmodels' `multipletests` gives them (pvals_corrected for 'bonferroni', 'holm'
 * and 'fdr_bh'), with each value's rank (1 = smallest). A value is rejected at level α when its adjusted
 * p-value is at most α, which is the same as the step-down (Holm) and step-up (BH) procedures.
 */
export function adjustPValues(p: readonly number[], method: Correction): { adjusted: number[]; rank: number[] } {
  const m = p.length;
  const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b] || a - b);
  const rank = new Array<number>(m);
  order.forEach((i, k) => (rank[i] = k + 1));
  const adjusted = new Array<number>(m);
  if (method === 'bonferroni') {
    for (let i = 0; i < m; i++) adjusted[i] = Math.min(1, p[i] * m);
  } else if (method === 'holm') {
    let running = 0;
    order.forEach((i, k) => {
      running = Math.max(running, Math.min(1, (m - k) * p[i]));
      adjusted[i] = running;
    });
  } else {
    let running = 1;
    for (let k = m - 1; k >= 0; k--) {
      const i = order[k];
      running = Math.min(running, (p[i] * m) / (k + 1));
      adjusted[i] = Math.min(1, running);
    }
  }
  return { adjusted, rank };
}

/** The threshold the raw p-value of the column ranked `rank` of `m` meets under each method, for a level α. */
export function correctedThreshold(method: Correction, alpha: number, rank: number, m: number): number {
  if (method === 'bonferroni') return alpha / m;
  if (method === 'holm') return alpha / (m - rank + 1);
  return (rank * alpha) / m;
}

/**
 * The columns with corrected verdicts: each p-value column's test rule applied to its adjusted p-value and
 * its own threshold. Columns with a distance or no score (nan) keep their verdict and are not counted in
 * the family.
 */
export function applyCorrection(columns: ColumnDrift[], method: Correction): ColumnDrift[] {
  const family = columns.map((c, i) => ({ c, i, p: scoreFromJson(c.score) })).filter((x) => x.c.score_kind === 'p_value' && !Number.isNaN(x.p));
  const { adjusted, rank } = adjustPValues(
    family.map((x) => x.p),
    method,
  );
  const out = [...columns];
  family.forEach(({ c, i }, k) => {
    out[i] = {
      ...c,
      drift_detected: isDrift(c.drift_rule, adjusted[k], c.threshold),
      correction: {
        method,
        family_size: family.length,
        rank: rank[k],
        adjusted_score: scoreToJson(adjusted[k]),
        threshold: correctedThreshold(method, c.threshold, rank[k], family.length),
        drift_detected_uncorrected: c.drift_detected,
      },
    };
  });
  return out;
}
