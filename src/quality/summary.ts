import type { ColumnPlan } from '../data/typing.js';
import type { ParsedColumn, ParsedTable } from '../io/csv/types.js';
import type { PandasDtype } from './dtype.js';
import { scoreToJson, type ColumnStats, type DataQuality, type DatasetStats } from '../report/model.js';
import { roundHalfEven } from '../stats/numeric/round.js';
import type { ColumnQuality, SideProfile } from './profile.js';
import { cellColumns, duplicatedColumns, duplicatedRows, missingRows } from './rows.js';
import { pinnedMemo } from '../data/values.js';

export const ALMOST_CONSTANT_THRESHOLD = 0.95;
export const ALMOST_DUPLICATED_THRESHOLD = 0.95;

/** numpy's `np.round(x, decimals)`: scale, round half to even, scale back (not correctly rounded, on purpose). */
export function npRound(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** decimals;
  return roundHalfEven(x * scale) / scale;
}

const percent = (part: number, whole: number) => npRound((100 * part) / whole, 2);

/** Evidently's ColumnSummary characteristics of one side. */
export function columnStats(p: SideProfile, type: ColumnPlan['type'], current: ColumnQuality | null): ColumnStats {
  const rows = p.rows;
  const numeric = p.numeric;
  let mostCommon: ColumnStats['most_common'] = p.mostCommon ?? 'nan';
  if (typeof mostCommon === 'number' && numeric) mostCommon = scoreToJson(p.dtype === 'int64' ? mostCommon : npRound(mostCommon, 5));
  const stats: ColumnStats = {
    number_of_rows: rows,
    count: rows - p.missing,
    missing: p.missing,
    missing_percentage: percent(p.missing, rows),
    unique: p.unique,
    unique_percentage: percent(p.unique, rows),
    most_common: mostCommon,
    most_common_percentage: percent(p.mostCommonCount, rows),
  };
  if (numeric) {
    const inf = p.posInf + p.negInf;
    Object.assign(stats, {
      infinite_count: inf,
      infinite_percentage: percent(inf, rows),
      min: scoreToJson(npRound(numeric.min, 2)),
      max: scoreToJson(npRound(numeric.max, 2)),
      mean: scoreToJson(npRound(numeric.mean, 2)),
      std: scoreToJson(npRound(numeric.std, 2)),
      p25: scoreToJson(npRound(numeric.p25, 2)),
      p50: scoreToJson(npRound(numeric.p50, 2)),
      p75: scoreToJson(npRound(numeric.p75, 2)),
    });
  } else if (type === 'datetime') {
    Object.assign(stats, { first: p.first ?? null, last: p.last ?? null });
  } else {
    // Evidently sets these on the current side only, and only when a reference exists.
    stats.new_in_current_values_count = current?.newInCurrent ?? null;
    stats.unused_in_current_values_count = current?.unusedInCurrent ?? null;
  }
  return stats;
}

const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

/** One side's profiled columns in the file's column order (ignored ones too, as Evidently sees the whole frame). */
function sideColumns(table: ParsedTable, plans: ColumnPlan[], profiles: (SideProfile | undefined)[]) {
  const order = new Map(table.columns.map((c, i) => [c.name, i]));
  const side = plans.map((plan, k) => ({ plan, profile: profiles[k]! })).filter((e) => e.profile);
  side.sort((a, b) => order.get(a.plan.name)! - order.get(b.plan.name)!);
  return side.map((e) => ({ ...e, col: table.columns[order.get(e.plan.name)!] }));
}

/** What the cross-column row checks of one file need: its columns and a few counts from their profiles. */
export interface RowChecksInput {
  rows: number;
  columns: { col: ParsedColumn; dtype: PandasDtype; numeric: boolean; missing: number; infinite: number; unique: number }[];
}

export interface RowChecks {
  empty: number;
  withMissing: number;
  duplicated: number;
  almost: number;
  duplicatedRows: number;
}

export function rowChecksInput(table: ParsedTable, plans: ColumnPlan[], profiles: (SideProfile | undefined)[]): RowChecksInput {
  return {
    rows: table.rowCount,
    columns: sideColumns(table, plans, profiles).map(({ plan, profile, col }) => ({
      col,
      dtype: profile.dtype,
      numeric: plan.coerceText,
      missing: profile.missing,
      infinite: profile.posInf + profile.negInf,
      unique: profile.unique,
    })),
  };
}

/** The checks that look across the columns of every row: kept apart as they can run on a worker thread. */
export function rowChecks(input: RowChecksInput): RowChecks {
  const { rows, columns } = input;
  if (columns.length === 0) return rowChecksOf(input);
  const key = `rows ${columns.map((c) => `${c.col.name}\u0000${c.dtype}\u0000${c.numeric}`).join('\u0000')}`;
  return pinnedMemo(columns[0].col, key, () => rowChecksOf({ rows, columns }));
}

function rowChecksOf({ rows, columns }: RowChecksInput): RowChecks {
  const cells = cellColumns(columns);
  const { empty, withMissing } = missingRows(cells, rows, columns.map((c) => c.missing), columns.map((c) => c.infinite));
  const { duplicated, almost } = duplicatedColumns(cells, rows, ALMOST_DUPLICATED_THRESHOLD);
  return { empty, withMissing, duplicated, almost, duplicatedRows: duplicatedRows(cells, rows, columns.map((c) => c.unique)) };
}

/**
 * Evidently's DatasetSummary and DatasetMissingValues of one file, over all its columns (ignored ones too,
 * as Evidently sees the whole frame). Column counts by type cover features only, as its legacy typing does.
 */
function datasetStats(table: ParsedTable, plans: ColumnPlan[], profiles: (SideProfile | undefined)[], checks: RowChecks): DatasetStats {
  const side = sideColumns(table, plans, profiles);
  const rows = table.rowCount;
  const { empty, withMissing, duplicated, almost } = checks;
  const missingBy = side.map((e) => e.profile.missing);
  const features = side.filter((e) => e.plan.role === 'feature');
  const byColumn = <T>(f: (p: SideProfile) => T) => Object.fromEntries(side.map((e) => [e.plan.name, f(e.profile)]));
  const kinds = byColumn((p) => ({ '': 0, '-Infinity': p.negInf, null: p.missing, Infinity: p.posInf }));
  const missingByColumn = byColumn((p) => p.missing + p.posInf + p.negInf);
  const totals = { '': 0, '-Infinity': 0, null: 0, Infinity: 0 };
  for (const k of Object.values(kinds)) for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += k[key];
  const totalMissing = Object.values(missingByColumn).reduce((a, b) => a + b, 0);
  const withMissingColumns = side.filter((e) => missingByColumn[e.plan.name] > 0).map((e) => e.plan.name).sort();
  const nulls = missingBy.reduce((a, b) => a + b, 0);
  return {
    number_of_columns: side.length,
    number_of_rows: rows,
    number_of_missing_values: nulls,
    number_of_numeric_columns: features.filter((e) => e.plan.type === 'num').length,
    number_of_categorical_columns: features.filter((e) => e.plan.type === 'cat').length,
    number_of_datetime_columns: side.filter((e) => e.plan.type === 'datetime' && e.plan.role !== 'ignored').length,
    number_of_text_columns: 0,
    number_of_constant_columns: side.filter((e) => e.profile.unique <= 1).length,
    number_of_almost_constant_columns: side.filter((e) => rows > 0 && e.profile.maxValueCount / rows >= ALMOST_CONSTANT_THRESHOLD).length,
    number_of_duplicated_columns: duplicated,
    number_of_almost_duplicated_columns: almost,
    number_of_empty_rows: empty,
    number_of_empty_columns: side.filter((e) => e.profile.missing === rows).length,
    number_of_duplicated_rows: checks.duplicatedRows,
    nans_by_columns: byColumn((p) => p.missing),
    number_uniques_by_columns: byColumn((p) => p.unique),
    columns_type: byColumn((p) => p.dtype),
    missing_values: {
      different_missing_values: totals,
      number_of_different_missing_values: Object.values(totals).filter((n) => n > 0).length,
      different_missing_values_by_column: kinds,
      number_of_different_missing_values_by_column: byColumn((p) => [p.missing, p.posInf, p.negInf].filter((n) => n > 0).length),
      number_of_missing_values: totalMissing,
      share_of_missing_values: share(totalMissing, side.length * rows),
      number_of_missing_values_by_column: missingByColumn,
      share_of_missing_values_by_column: byColumn((p) => share(p.missing + p.posInf + p.negInf, rows)),
      number_of_rows: rows,
      number_of_rows_with_missing_values: withMissing,
      share_of_rows_with_missing_values: share(withMissing, rows),
      number_of_columns: side.length,
      columns_with_missing_values: withMissingColumns,
      number_of_columns_with_missing_values: withMissingColumns.length,
      share_of_columns_with_missing_values: share(withMissingColumns.length, side.length),
    },
  };
}

/**
 * Roles whose columns get a column summary: Evidently's DataDefinition columns. Its DataQualityPreset report
 * leaves the id column out, but its DataQualityTestPreset tests the id column's most common value share,
 * which needs the summary.
 */
const SUMMARISED = new Set<ColumnPlan['role']>(['feature', 'target', 'prediction', 'prediction_proba', 'datetime', 'id']);

/**
 * The report's data-quality section from the per-column profiles (one per plan, in plan order) and the row
 * checks of each file.
 */
export function dataQuality(
  reference: ParsedTable,
  current: ParsedTable,
  plans: ColumnPlan[],
  quality: ColumnQuality[],
  [refChecks, curChecks]: RowChecks[],
): DataQuality {
  const columns: DataQuality['columns'] = [];
  plans.forEach((plan, k) => {
    const q = quality[k];
    if (!SUMMARISED.has(plan.role) || !q.ref || !q.cur) return;
    const entry: DataQuality['columns'][number] = {
      column: plan.name,
      role: plan.role,
      type: plan.type,
      reference: columnStats(q.ref, plan.type, null),
      current: columnStats(q.cur, plan.type, q),
    };
    if (q.outOfRange) {
      const { left, right, count, total } = q.outOfRange;
      entry.out_of_range = { left: scoreToJson(left), right: scoreToJson(right), count, total, share: scoreToJson(count / total) };
    }
    if (q.outOfList) entry.out_of_list = { ...q.outOfList, share: scoreToJson(q.outOfList.count / q.outOfList.total) };
    columns.push(entry);
  });
  return {
    almost_constant_threshold: ALMOST_CONSTANT_THRESHOLD,
    almost_duplicated_threshold: ALMOST_DUPLICATED_THRESHOLD,
    reference: datasetStats(reference, plans, quality.map((q) => q.ref), refChecks),
    current: datasetStats(current, plans, quality.map((q) => q.cur), curChecks),
    columns,
  };
}
