import type { ParsedColumn } from '../io/csv/types.js';

/** The numpy scalar type name pandas 1.5's read_csv gives a column (what Evidently's Column Types test compares). */
export type PandasDtype = 'int64' | 'float64' | 'bool_' | 'object_';

const BOOLEAN_TEXTS = new Set(['True', 'TRUE', 'true', 'False', 'FALSE', 'false']);

/**
 * pandas' dtype for one file's column: integers without a missing cell are int64, other numbers float64
 * (an all-missing column too), True/False text without a missing cell bool, any other text object.
 * `numeric` is mlobs' decision that the column is numerical: its stray text tokens are missing values, so
 * they make it float64 where pandas would read object (docs/compatibility.md).
 */
export function pandasDtype(col: ParsedColumn, numeric: boolean): PandasDtype {
  if (col.textCount === 0 || numeric) {
    return col.integerLiterals && col.missingCount === 0 && col.textCount === 0 && col.numericCount > 0 ? 'int64' : 'float64';
  }
  if (col.numericCount === 0 && col.missingCount === 0 && col.texts.every((t) => BOOLEAN_TEXTS.has(t))) return 'bool_';
  return 'object_';
}
