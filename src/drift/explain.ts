import { formatNumber, formatPercent, formatScore, RULE_SYMBOL } from '../report/format.js';
import { CORRECTION_NAME } from './correction.js';
import type { ColumnDrift } from '../report/model.js';

/** Below this many values on a side, a verdict is flagged: Evidently happily reports drift from 8 rows. */
export const SMALL_SAMPLE = 30;

type Explanation = NonNullable<ColumnDrift['explanations']>[number];

/** The mark a row carries for each explanation, where there is room for two words only (table cells, Slack lines). */
export const EXPLANATION_FLAG: Record<Explanation['code'], string> = {
  small_sample: 'few values',
  one_file_levels: 'one-file levels',
  corrected_threshold: 'corrected threshold',
};

export const explanationFlags = (c: ColumnDrift) => (c.explanations ?? []).map((e) => EXPLANATION_FLAG[e.code]);
type OneFileSide = NonNullable<ColumnDrift['one_file_levels']>['current_only'];

/** A one-file level share worth a sentence even when the verdict does not hinge on it. */
const NOTABLE_SHARE = 0.05;

function sideText(s: OneFileSide, file: string): string {
  const names = s.examples.map((x) => JSON.stringify(String(x))).join(', ');
  const more = s.levels > s.examples.length ? ` and ${s.levels - s.examples.length} more` : '';
  return `${s.levels} ${s.levels === 1 ? 'level' : 'levels'} only in the ${file} file (${names}${more}: ${formatPercent(s.share)} of its rows)`;
}

/**
 * The sentences a drift row carries so nobody reads its verdict without them: a verdict on a handful of
 * values, and one made by categories that only one file has. Every channel shows these on the row itself.
 */
export function explainColumn(c: ColumnDrift): Explanation[] {
  const out: Explanation[] = [];
  const n = Math.min(c.n_reference, c.n_current);
  if (n < SMALL_SAMPLE) {
    const side = c.n_reference <= c.n_current ? 'reference' : 'current';
    out.push({ code: 'small_sample', message: `Only ${n} ${side} values: a verdict on fewer than ${SMALL_SAMPLE} values is weak evidence either way.` });
  }
  const k = c.correction;
  if (k && k.drift_detected_uncorrected !== c.drift_detected) {
    const adjusted = formatScore({ score: k.adjusted_score, score_kind: 'p_value' });
    out.push({
      code: 'corrected_threshold',
      message: `${CORRECTION_NAME[k.method]} correction over ${k.family_size} p-value columns: this column's p-value needs ${RULE_SYMBOL[c.drift_rule]} ${formatNumber(k.threshold)} (adjusted p-value ${adjusted}), so it ${c.drift_detected ? 'drifts' : 'does not drift'}; uncorrected it would ${k.drift_detected_uncorrected ? '' : 'not '}drift.`,
    });
  }
  const o = c.one_file_levels;
  if (o && c.drift_detected) {
    const sides = [o.current_only.levels && sideText(o.current_only, 'current'), o.reference_only.levels && sideText(o.reference_only, 'reference')]
      .filter(Boolean)
      .join('; ');
    const notable = Math.max(o.current_only.share, o.reference_only.share) >= NOTABLE_SHARE;
    if (o.drift_without === false) {
      out.push({
        code: 'one_file_levels',
        message: `The drift comes from levels seen in one file only: ${sides}. On the levels both files have, the score is ${formatScore({ score: o.score_without!, score_kind: c.score_kind })}, which is not drift.`,
      });
    } else if (notable) {
      const still =
        o.score_without === null ? '' : ` Without them the column still drifts (score ${formatScore({ score: o.score_without, score_kind: c.score_kind })}).`;
      out.push({ code: 'one_file_levels', message: `Part of the change is levels seen in one file only: ${sides}.${still}` });
    }
  }
  return out;
}
