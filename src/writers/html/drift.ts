import { formatCount, formatDifference, formatNumber, formatRule, formatScore, formatShare, RULE_SYMBOL } from '../../report/format.js';
import { CORRECTION_NAME } from '../../drift/correction.js';
import { scoreFromJson, type ColumnDrift, type ScoreValue, type TargetDrift } from '../../report/model.js';
import { binningNote, distributionSeries, explainVerdict, largestShift } from '../drift_view.js';
import { HTML_LABEL_MAX, num, score, TYPE_LABEL } from './common.js';
import { capLabel } from '../../printable.js';
import { explanationFlags } from '../../drift/explain.js';

export type DriftRow = ReturnType<typeof driftRow>;

export function driftRow(c: ColumnDrift, i: number) {
  const score = scoreFromJson(c.score);
  const series = distributionSeries(c.distribution);
  const shift = largestShift(series);
  const histogram = c.distribution.kind === 'histogram';
  const unit = histogram ? 'values' : 'rows';
  const binKind = histogram ? 'bin' : 'category';
  return {
    id: `drift-${i}`,
    column: capLabel(c.column, HTML_LABEL_MAX),
    role: c.role,
    // The verdict's list of drifted columns says when one is the target or a prediction: that drift means most.
    roleNote: c.role === 'feature' ? '' : ` (${c.role})`,
    type: TYPE_LABEL[c.type],
    stattest: c.stattest,
    stattestName: c.stattest_name,
    scoreKind: c.score_kind === 'p_value' ? 'p-value' : 'distance',
    score: formatScore(c),
    scoreExact: String(c.score),
    // Sorts NaN last whichever way: it has no place on the scale.
    scoreSort: Number.isNaN(score) ? '' : String(score),
    rule: formatRule(c),
    corrected: c.correction ? `${CORRECTION_NAME[c.correction.method]}; uncorrected ${RULE_SYMBOL[c.drift_rule]} ${formatNumber(c.threshold)}` : '',
    thresholdSort: c.correction?.threshold ?? c.threshold,
    drift: c.drift_detected,
    n: `${formatCount(c.n_reference)} / ${formatCount(c.n_current)}`,
    nSort: c.n_current,
    missing: `${formatCount(c.missing_reference)} / ${formatCount(c.missing_current)}`,
    missingSort: c.missing_reference + c.missing_current,
    explanation: explainVerdict(c),
    notes: (c.explanations ?? []).map((e) => e.message),
    flags: explanationFlags(c),
    binning: binningNote(c),
    shift:
      shift &&
      `Largest change: ${histogram ? `the bin ${shift.label}` : `"${shift.label}"`} holds ${formatShare(shift.reference)} of reference ${unit} and ${formatShare(shift.current)} of current ${unit}.`,
    details: Object.entries(c.details).map(([name, value]) => ({ name, value: typeof value === 'number' ? formatNumber(value) : String(value) })),
    chartLabel: `${capLabel(c.column, HTML_LABEL_MAX)}: share of reference and current ${unit} per ${binKind}`,
    bins: series.labels.map((label, b) => ({ label, reference: formatShare(series.reference[b]), current: formatShare(series.current[b]) })),
    binKind,
    series,
  };
}

const CORRELATION_LABEL: Record<TargetDrift['columns'][number]['correlations'][number]['kind'], string> = {
  pearson: 'Pearson',
  spearman: 'Spearman',
  kendall: 'Kendall',
  cramer_v: "Cramér's V",
};
const METHODS = Object.keys(CORRELATION_LABEL) as (keyof typeof CORRELATION_LABEL)[];

const gap = (c: { reference: ScoreValue; current: ScoreValue }) => {
  const d = Math.abs(scoreFromJson(c.current) - scoreFromJson(c.reference));
  return Number.isNaN(d) ? -1 : d;
};

/**
 * Each target or prediction column's correlations as one feature × method grid (reference → current in
 * each cell), features whose link moved most first: a feature whose link to the target moved is the lead
 * to follow, and one row per feature keeps four methods from quadrupling the table.
 */
export function targetView(t: TargetDrift, rows: DriftRow[]) {
  return {
    drift: rows.filter((r) => r.role === 'target' || r.role === 'prediction'),
    columns: t.columns.map((c) => {
      const methods = METHODS.filter((m) => c.correlations.some((k) => k.kind === m));
      const features = [...new Set(c.correlations.map((k) => k.feature))].map((feature) => {
        const mine = c.correlations.filter((k) => k.feature === feature);
        const cells = methods.map((m) => {
          const k = mine.find((x) => x.kind === m);
          return k ? { reference: num(k.reference), current: num(k.current), change: formatDifference(score(k.reference), score(k.current)) } : null;
        });
        return { feature, cells, moved: Math.max(...mine.map(gap)) };
      });
      features.sort((a, b) => b.moved - a.moved);
      return { column: c.column, role: c.role, methods: methods.map((m) => CORRELATION_LABEL[m]), features };
    }),
  };
}
