export interface CsvOptions {
  /** One of `,` `;` `\t` `|`; sniffed from the header line when undefined. */
  delimiter?: string;
  /** Cell texts (after unquoting) that mean "missing". */
  naValues: ReadonlyArray<string>;
}

/**
 * One column of a CSV file, built directly by the reader. Every cell is exactly one of: missing (an NA token),
 * numeric (parsed into `numbers`), or text (dictionary-encoded in `textCodes`/`texts`).
 */
export interface ParsedColumn {
  name: string;
  /** One entry per data row: the parsed number, or NaN where the cell is missing or text. */
  numbers: Float64Array;
  /** One entry per data row: an index into `texts` for text cells, -1 elsewhere. Null if the column has no text cell. */
  textCodes: Int32Array | null;
  /** Distinct text tokens in first-seen order. */
  texts: string[];
  /** Occurrences of each `texts` entry. */
  textCounts: number[];
  missingCount: number;
  numericCount: number;
  textCount: number;
  /** Every numeric cell was an integer literal (what pandas would read as int64, given no missing cells). */
  integerLiterals: boolean;
  /** Physical 1-based line of the first text cell, or 0 if none; for messages about junk tokens. */
  firstTextLine: number;
}

export interface ParsedTable {
  path: string;
  /** sql: a query's rows as a database sent them (aggregated, see src/sources/pushdown). */
  format: 'csv' | 'parquet' | 'sql';
  /** The CSV delimiter; null for Parquet. */
  delimiter: string | null;
  rowCount: number;
  bytes: number;
  sha256: string;
  columns: ParsedColumn[];
  /** Cells (header names included) whose bytes are not valid UTF-8, and where the first one is; null if none. */
  invalidUtf8: { cells: number; line: number; column: string } | null;
}
