/**
 * What the pushdown plan needs from a SQL engine: the result columns of a query, and its rows streamed.
 * Adapters (ClickHouse over HTTP, embedded DuckDB) map their types onto these kinds and their failures onto
 * SourceError; the plan and the reduction never see an engine-specific type or error.
 */

/** How a result column's values reach mlobs: numbers (integer or not, as pandas' int64/float64) or text. */
export type ValueKind = 'integer' | 'float' | 'text';

export interface ResultColumn {
  name: string;
  /** The engine's own type name, for messages. */
  engineType: string;
  /** null: a type mlobs cannot map (arrays, maps, tuples, ...). */
  kind: ValueKind | null;
}

/** One cell: a number for numeric kinds (NaN and ±Infinity included), a string for text, null for SQL NULL. */
export type Cell = number | string | null;

export interface Engine {
  /** `clickhouse`, `duckdb`. */
  readonly name: string;
  /** Where the data lives, safe to print (no password). */
  readonly location: string;
  version(): Promise<string>;
  columns(sql: string): Promise<ResultColumn[]>;
  /**
   * Rows of `sql`, whose result columns have the given kinds, in the order the engine returns them, in
   * batches: one await per batch, not per row, is what keeps a million-value column fast.
   */
  rows(sql: string, kinds: readonly ValueKind[]): AsyncIterable<Cell[][]>;
  /**
   * The dialect of time: SQL giving a date/time result column's seconds since the Unix epoch (UTC), or its
   * calendar month as year * 12 + month - 1; null when the column's type is not a date or date-time. Calendar
   * windows are cut from these with plain arithmetic (plan.ts), the same in every engine.
   */
  epochSeconds(column: ResultColumn, ident: string): string | null;
  /** SQL true where a float cell is NaN: `NOT (x = x)` is not portable, DuckDB holds NaN = NaN. */
  isNaN(ident: string): string;
  monthNumber(column: ResultColumn, ident: string): string | null;
  close(): Promise<void>;
}
