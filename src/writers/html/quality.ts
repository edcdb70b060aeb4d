import { formatCount as count, formatNumber, formatPercent as percent } from '../../report/format.js';
import type { ColumnStats, DataQuality, DatasetStats } from '../../report/model.js';
import { HTML_LABEL_MAX, HTML_MAX_COLUMNS, num, TYPE_LABEL } from './common.js';
import { capLabel } from '../../printable.js';

/** Percentages in the quality model are already 0-100 and rounded; 2 decimals as Evidently shows them. */
const pct = (x: number | undefined) => (x === undefined ? '' : `${formatNumber(x)}%`);

/** The quality model writes a missing most-common value as "nan", as Evidently does; people read "missing". */
const mostCommonText = (v: string | number) => (v === 'nan' ? 'missing (empty or NA)' : typeof v === 'number' ? formatNumber(v) : v);

function statsCells(s: ColumnStats) {
  return {
    count: count(s.count),
    missing: s.missing === 0 ? '0' : `${count(s.missing)} (${pct(s.missing_percentage)})`,
    someMissing: s.missing > 0,
    unique: `${count(s.unique)} (${pct(s.unique_percentage)})`,
    mostCommon: s.most_common === null ? '–' : `${mostCommonText(s.most_common)} (${pct(s.most_common_percentage)})`,
    min: num(s.min),
    max: num(s.max),
    mean: num(s.mean),
    std: num(s.std),
    p25: num(s.p25),
    p50: num(s.p50),
    p75: num(s.p75),
  };
}

function outside(c: DataQuality['columns'][number]): string {
  if (c.out_of_range && c.out_of_range.count > 0)
    return `${count(c.out_of_range.count)} of ${count(c.out_of_range.total)} outside ${num(c.out_of_range.left)} – ${num(c.out_of_range.right)}`;
  if (c.out_of_list && c.out_of_list.count > 0) return `${count(c.out_of_list.count)} of ${count(c.out_of_list.total)} not in the reference`;
  return '';
}

const DATASET_ROWS: [keyof DatasetStats, string][] = [
  ['number_of_rows', 'Rows'],
  ['number_of_columns', 'Columns'],
  ['number_of_numeric_columns', 'Numerical columns'],
  ['number_of_categorical_columns', 'Categorical columns'],
  ['number_of_datetime_columns', 'Datetime columns'],
  ['number_of_text_columns', 'Text columns'],
  ['number_of_missing_values', 'Missing values'],
  ['number_of_constant_columns', 'Constant columns'],
  ['number_of_almost_constant_columns', 'Almost constant columns'],
  ['number_of_duplicated_columns', 'Duplicated columns'],
  ['number_of_almost_duplicated_columns', 'Almost duplicated columns'],
  ['number_of_empty_rows', 'Empty rows'],
  ['number_of_empty_columns', 'Empty columns'],
  ['number_of_duplicated_rows', 'Duplicated rows'],
];

export function qualityView(q: DataQuality, driftIds: Map<string, string>) {
  const dataset = DATASET_ROWS.map(([key, label]) => {
    const [r, c] = [q.reference[key] as number, q.current[key] as number];
    // The files' sizes differ by design; any other count that moved is worth a look.
    return { label, reference: count(r), current: count(c), changed: r !== c && key !== 'number_of_rows' };
  });
  const [r, c] = [q.reference.missing_values.number_of_rows_with_missing_values, q.current.missing_values.number_of_rows_with_missing_values];
  dataset.push({ label: 'Rows with missing values', reference: count(r), current: count(c), changed: r !== c });
  return {
    dataset,
    almostConstant: percent(q.almost_constant_threshold),
    almostDuplicated: percent(q.almost_duplicated_threshold),
    columns: q.columns.slice(0, HTML_MAX_COLUMNS).map((c) => ({
      column: capLabel(c.column, HTML_LABEL_MAX),
      driftId: driftIds.get(c.column),
      kind: c.role === 'feature' ? TYPE_LABEL[c.type] : `${TYPE_LABEL[c.type]}, ${c.role}`,
      reference: statsCells(c.reference),
      current: statsCells(c.current),
      outside: outside(c),
    })),
  };
}
