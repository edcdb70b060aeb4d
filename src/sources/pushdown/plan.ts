/**
 * The pushdown plan: engine-neutral SQL over the user's query (a subquery aliased `s`), using only what
 * ClickHouse 18.16, current ClickHouse, DuckDB and PostgreSQL all accept: double-quoted identifiers,
 * GROUP BY / ORDER BY, count, sum, CASE. No window functions, no engine statistical functions: every test
 * statistic is computed by mlobs from these counts.
 */
import { InputError } from '../../errors.js';
import type { ValueKind } from './engine.js';

export function quoteIdent(name: string, side: string): string {
  // Engines disagree on escaping inside quoted identifiers (doubling vs backslash), so such names are refused.
  if (/["\\]/.test(name))
    throw new InputError(
      { file: side, column: name },
      'column names with a double quote or backslash cannot be queried portably; rename the column in the SQL',
    );
  return `"${name}"`;
}

const from = (sql: string) => `FROM (${sql}) AS s`;

/** Every distinct value of one column with its count (NULL one of them), ordered by value. */
export function valueCountsSql(sql: string, column: string): string {
  return `SELECT ${column} AS v, count(*) AS n ${from(sql)} GROUP BY ${column} ORDER BY ${column}`;
}

/** One column in the order the user's query returns its rows (for the tests that permute rows). */
export function columnSql(sql: string, column: string): string {
  return `SELECT ${column} ${from(sql)}`;
}

export interface PlannedColumn {
  /** Quoted identifier. */
  ident: string;
  kind: ValueKind;
}

// NOT (x = x) is how NaN is found without an engine function; a NULL makes it NULL, which CASE treats as false.
const missing = (c: PlannedColumn) => (c.kind === 'text' ? `${c.ident} IS NULL` : `(${c.ident} IS NULL OR NOT (${c.ident} = ${c.ident}))`);
const infinite = (c: PlannedColumn) => `(${c.ident} > 1.7976931348623157e308 OR ${c.ident} < -1.7976931348623157e308)`;
const countIf = (condition: string) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/**
 * The row checks of one side in one scan: rows, empty rows, rows with a missing or infinite cell, and for
 * each listed column pair the rows where both are equal or both missing (identical) and where both are equal
 * (almost duplicated: missing never equals).
 */
export function rowChecksSql(sql: string, columns: PlannedColumn[], pairs: [number, number][]): string {
  const exprs = [
    'count(*)',
    countIf(columns.map(missing).join(' AND ')),
    countIf(columns.map((c) => (c.kind === 'float' ? `(${missing(c)} OR ${infinite(c)})` : missing(c))).join(' OR ')),
  ];
  for (const [a, b] of pairs) {
    const x = columns[a].ident;
    const y = columns[b].ident;
    exprs.push(countIf(`${x} = ${y} OR (${missing(columns[a])} AND ${missing(columns[b])})`), countIf(`${x} = ${y}`));
  }
  return `SELECT ${exprs.join(', ')} ${from(sql)}`;
}

/** Rows equal to an earlier row (GROUP BY puts NULLs of a column together, as pandas' duplicated() does). */
export function duplicatedRowsSql(sql: string, columns: PlannedColumn[]): string {
  const keys = columns.map((c) => c.ident).join(', ');
  return `SELECT sum(n) - count(*) FROM (SELECT count(*) AS n ${from(sql)} GROUP BY ${keys}) AS g`;
}
