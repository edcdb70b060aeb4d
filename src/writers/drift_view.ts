import { capLabel } from '../printable.js';
import { formatNumber, formatScore, formatShare, RULE_SYMBOL } from '../report/format.js';
import { CORRECTION_NAME } from '../drift/correction.js';
import { scoreFromJson, type ColumnDrift, type Distribution } from '../report/model.js';

/**
 * What the visual writers (HTML, PNG) show about a drift column: the chart series and the sentences that
 * say why it drifted. Shared so the report page and the chart images can never tell different stories.
 */

export const OTHER_LABEL = '(other levels)';

export interface Series {
  /** Bin ranges or category labels; OTHER_LABEL last when the report lumped the rarer levels together. */
  labels: string[];
  /** Percent of each side's counted values per bin: the sides usually differ in size, so counts don't compare. */
  reference: number[];
  current: number[];
  counts: { reference: number[]; current: number[] };
  /** Top of the share axis: a little above the tallest bar so it does not touch the frame, but never past 100 %. */
  axisMax: number;
}

/**
 * A bin edge in plain digits with thousands separators ("618,500 – 35,800,000", never "3.58e+7"), four
 * significant digits; only the tiny and the astronomically large keep an exponent.
 */
function plainEdge(x: number): string {
  const a = Math.abs(x);
  if (a >= 1000 && a < 1e15) return x.toLocaleString('en-US', { maximumSignificantDigits: 4 });
  return formatNumber(x);
}

/** Bin edges to text with as few digits as keep neighbouring edges apart (narrow bins far from zero need more). */
function edgeLabels(edges: number[]): string[] {
  const distinct = (xs: string[]) => xs.every((x, i) => i === 0 || x !== xs[i - 1]);
  const short = edges.map(plainEdge);
  if (distinct(short)) return short;
  for (let digits = 5; digits < 17; digits++) {
    const labels = edges.map((x) => String(Number(x.toPrecision(digits))));
    if (distinct(labels)) return labels;
  }
  return edges.map(String);
}

function percents(counts: number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : Math.round((c / total) * 1e5) / 1e3));
}

/** Longest category label a chart shows whole; report.json keeps the label as it is. */
export const CHART_LABEL_MAX = 120;

export function distributionSeries(d: Distribution): Series {
  const reference = [...d.reference];
  const current = [...d.current];
  let labels: string[];
  if (d.kind === 'histogram') {
    const edges = edgeLabels(d.x as number[]);
    labels = reference.map((_, i) => `${edges[i]} – ${edges[i + 1]}`);
  } else {
    // A level one file lacks says so on the bar itself: it is often the whole story (a junk "." category).
    labels = d.x.map((x, i) => `${capLabel(String(x), CHART_LABEL_MAX)}${d.reference[i] === 0 ? ' (current only)' : d.current[i] === 0 ? ' (reference only)' : ''}`);
  }
  if (d.other) {
    labels.push(OTHER_LABEL);
    reference.push(d.other.reference);
    current.push(d.other.current);
  }
  const shares = { reference: percents(reference), current: percents(current) };
  const axisMax = Math.min(100, 1.05 * Math.max(...shares.reference, ...shares.current));
  return { labels, ...shares, counts: { reference, current }, axisMax };
}

const TEST_BINNING: Record<string, string> = {
  sturges: 'Sturges bins over both files',
  per_value: 'one bin per value',
};

/**
 * How the chart binned the values, and how the test did when that differs: a chart of reference deciles
 * next to a PSI over Sturges bins must not pass for the test's own view.
 */
export function binningNote(c: ColumnDrift): string {
  const d = c.distribution;
  if (d.kind !== 'histogram') {
    const o = c.one_file_levels;
    if (!o) return '';
    const side = (s: typeof o.current_only, file: string) => `${s.levels} only in the ${file} file (${formatShare(s.share * 100)} of its rows)`;
    return `Levels seen in one file only: ${side(o.current_only, 'current')}, ${side(o.reference_only, 'reference')}.`;
  }
  const chart = d.binning === 'reference_quantiles'
    ? `Bins are the reference's deciles: equal-width bins would have put most values in one bar.`
    : 'Bins are equal-width over both files.';
  const testBins = TEST_BINNING[String(c.details.binning)];
  const test = testBins ? ` The test itself (${c.stattest}) used ${c.details.n_bins} ${testBins}.` : ` The test itself (${c.stattest}) compares the values, not these bins.`;
  return chart + test;
}

/** The bin or level whose share moved most between the files: the first place to look. */
export function largestShift(s: Series): { label: string; reference: number; current: number } | undefined {
  let best = -1;
  let gap = 0;
  s.labels.forEach((_, i) => {
    const g = Math.abs(s.current[i] - s.reference[i]);
    if (g > gap) [best, gap] = [i, g];
  });
  return best < 0 ? undefined : { label: s.labels[best], reference: s.reference[best], current: s.current[best] };
}


const HOLDS: Record<ColumnDrift['drift_rule'], string> = { lt: 'below', le: 'at or below', ge: 'at or above', gt: 'above' };
const FAILS: Record<ColumnDrift['drift_rule'], string> = { lt: 'at or above', le: 'above', ge: 'below', gt: 'at or below' };

const SOURCE: Record<ColumnDrift['stattest_source'], (c: ColumnDrift) => string> = {
  auto: () => 'chosen automatically, as Evidently does',
  per_column: () => 'configured for this column',
  type: (c) => `configured for ${c.type === 'num' ? 'numerical' : 'categorical'} columns`,
  global: () => 'configured for every column',
};

/** One plain sentence: the score, the threshold, which side of it the score fell and what that means. */
export function explainVerdict(c: ColumnDrift): string {
  const score = scoreFromJson(c.score);
  const test = `${c.stattest_name} (${c.stattest}, ${SOURCE[c.stattest_source](c)})`;
  if (Number.isNaN(score)) return `${test} gave no score (nan), so the column is not counted as drifted.`;
  const k = c.correction;
  if (k) {
    const adjusted = formatScore({ score: k.adjusted_score, score_kind: 'p_value' });
    return `${test}: p-value ${formatScore(c)}; after ${CORRECTION_NAME[k.method]} correction over ${k.family_size} p-value columns the adjusted p-value ${adjusted} is ${(c.drift_detected ? HOLDS : FAILS)[c.drift_rule]} the threshold ${formatNumber(c.threshold)}.`;
  }
  const where = `${formatScore(c)} is ${(c.drift_detected ? HOLDS : FAILS)[c.drift_rule]} the threshold ${formatNumber(c.threshold)}`;
  if (c.score_kind === 'p_value') {
    return c.drift_detected
      ? `${test}: ${where}, so the current values are unlikely to come from the reference distribution.`
      : `${test}: ${where}; drift needs a p-value ${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)}.`;
  }
  return c.drift_detected
    ? `${test}: ${where}, so the distributions differ by more than the threshold allows.`
    : `${test}: ${where}; drift needs a distance ${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)}.`;
}
