import { formatNumber, formatScore, RULE_SYMBOL } from '../report/format.js';
import type { ColumnDrift, TestSuite } from '../report/model.js';

type Test = TestSuite['tests'][number];

/**
 * How much a failed test matters to the person deciding whether to act, most first: the dataset's drift
 * verdict, then the model getting worse, then single columns drifting, then data quality and integrity.
 * Every channel that lists failures (HTML, Slack, terminal) orders them by this, not by preset order.
 */
export function testImportance(t: Pick<Test, 'id' | 'group'>): number {
  if (t.id === 'share_of_drifted_columns' || t.id === 'number_of_drifted_columns') return 0;
  if (t.group === 'regression' || t.group === 'classification') return 1;
  if (t.group === 'data_drift') return 2;
  return t.group === 'data_quality' ? 3 : 4;
}

export const isFailure = (t: Pick<Test, 'status'>) => t.status === 'FAIL' || t.status === 'ERROR';

/** Failed tests, most important first; within one importance, in suite order. */
export function failuresByImportance<T extends Pick<Test, 'id' | 'group' | 'status'>>(tests: T[]): T[] {
  return tests
    .map((t, i) => ({ t, i }))
    .filter(({ t }) => isFailure(t))
    .sort((a, b) => testImportance(a.t) - testImportance(b.t) || a.i - b.i)
    .map(({ t }) => t);
}

/**
 * Python's '.3g' writes 1000 as "1e+03" and 374 as "3.74e+02": in our own channels a number that our rule
 * writes plainly is written plainly ("eq=1000 ± 100"); tiny and huge ones keep their exponent.
 */
function plainNumbers(text: string): string {
  return text.replace(/(?<![\w.])-?\d+(?:\.\d+)?e[+-]\d+(?!\w|\.\d)/g, (token) => {
    const x = Number(token);
    return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? formatNumber(x) : token;
  });
}

/**
 * A test's description for people. report.json keeps Evidently's exact wording (compatibility), but its
 * drift-per-column text rounds the score to 3 decimals, so "the drift score is 0" would sit next to a
 * p-value of 1.61e-5: our channels say the score as the drift table shows it.
 */
export function readableDescription(t: Test, drift: ColumnDrift[]): string {
  // The quality model writes a missing most-common value as nan, as Evidently; people read "missing".
  if (t.id === 'most_common_value_share') return plainNumbers(t.description.replace(/ is nan\. Its share/, ' is a missing value (empty or NA). Its share'));
  if (t.id !== 'column_drift') return plainNumbers(t.description);
  const d = drift.find((c) => c.column === t.column);
  if (!d) return t.description;
  return `The drift score (${d.stattest_name}) for **${d.column}** is ${formatScore(d)}; drift if ${RULE_SYMBOL[d.drift_rule]} ${formatNumber(d.threshold)}.`;
}
