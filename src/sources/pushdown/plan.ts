/**
 * The pushdown plan: engine-neutral SQL over the user's query (a subquery aliased `s`), using only what
 * ClickHouse 18.16, current ClickHouse, DuckDB and PostgreSQL all accept: double-quoted identifiers,
 * GROUP BY / ORDER BY, count, sum, CASE. No window functions, no engine statistical functions: every test
 * statistic is computed by mlobs from these counts.
 */
import { InputError, UsageError } from '../../errors.js';
import type { WindowSpec } from '../../windows/spec.js';
import type { Engine, ResultColumn, ValueKind } from './engine.js';

export function quoteIdent(name: string, side: string): string {
  // Engines disagree on escaping inside quoted identifiers (doubling vs backslash), so such names are refused.
  if (/["\\]/.test(name))
    throw new InputError(
      { file: side, column: name },
      'column names with a double quote or backslash cannot be queried portably; rename the column in the SQL',
    );
  return `"${name}"`;
}

/**
 * `--table` with a WHERE clause as a query. The condition is the user's own SQL, run as written (they can
 * query the database anyway); the table name is quoted part by part, so it can only name a table.
 */
export function tableSql(table: string, where: string): string {
  if (/["\\]/.test(table)) throw new UsageError(`--table "${table}": a name with a double quote or backslash cannot be quoted portably`);
  const name = table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
  return `SELECT * FROM ${name} WHERE (${where})`;
}

const from = (sql: string) => `FROM (${sql}) AS s`;

/** Every distinct value of one column with its count (NULL one of them), ordered by value. */
export function valueCountsSql(sql: string, column: string): string {
  return `SELECT ${column} AS v, count(*) AS n ${from(sql)} GROUP BY ${column} ORDER BY ${column}`;
}

const HOUR_S = 3600;
const DAY_S = 24 * HOUR_S;

export type CalendarSpec = Extract<WindowSpec, { kind: 'calendar' }>;

/**
 * A calendar window's key for each row of `column` (NULL: no time): the window's start in epoch seconds, or
 * for month windows its first month number, by floor division as windowStart() does in memory, so a row
 * falls in the same window either way. Null when the column is not a date or date-time in the engine.
 */
export function windowKeySql(engine: Engine, column: ResultColumn, ident: string, spec: CalendarSpec): string | null {
  if (spec.unit === 'mo') {
    const month = engine.monthNumber(column, ident);
    return month && `floor((${month}) / ${spec.n}) * ${spec.n}`;
  }
  const seconds = engine.epochSeconds(column, ident);
  const size = spec.n * (spec.unit === 'h' ? HOUR_S : DAY_S);
  // Week-long windows start on Mondays, three days before the epoch's Thursday (as windowStart).
  const shift = spec.unit === 'd' && spec.n % 7 === 0 ? 3 * DAY_S : 0;
  return seconds && (shift ? `floor((${seconds} + ${shift}) / ${size}) * ${size} - ${shift}` : `floor((${seconds}) / ${size}) * ${size}`);
}

/** The window start (UTC ms) of a key windowKeySql gave. */
export function windowKeyStart(spec: CalendarSpec, key: number): number {
  return spec.unit === 'mo' ? Date.UTC(Math.floor(key / 12), key % 12, 1) : key * 1000;
}

/** The window key as a column next to the user's columns (a subquery the grouped queries read from). */
const W = 'mlobs_window';
const withKey = (sql: string, key: string, columns: string[]) => `(SELECT ${key} AS ${W}, ${columns.join(', ')} ${from(sql)}) AS s`;

/** Every (window, value) pair of one column with its count (NULL among both), in no particular order. */
export function windowValueCountsSql(sql: string, key: string, column: string): string {
  return `SELECT ${W}, ${column}, count(*) FROM ${withKey(sql, key, [column])} GROUP BY ${W}, ${column}`;
}

/** One column in the order the user's query returns its rows (for the tests that permute rows). */
export function columnSql(sql: string, column: string): string {
  return `SELECT ${column} ${from(sql)}`;
}

export interface PlannedColumn {
  /** Quoted identifier. */
  ident: string;
  kind: ValueKind;
  /** SQL true where a float cell is NaN (the engine's own test: DuckDB holds NaN = NaN). */
  isNaN: string;
}

// NULL and NaN are missing, as pandas reads them; a NULL makes a comparison NULL, which CASE treats as false.
const missing = (c: PlannedColumn) => (c.kind === 'float' ? `(${c.ident} IS NULL OR ${c.isNaN})` : `${c.ident} IS NULL`);
const infinite = (c: PlannedColumn) => `(${c.ident} > 1.7976931348623157e308 OR ${c.ident} < -1.7976931348623157e308)`;
const countIf = (condition: string) => `sum(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/**
 * What typing needs of every column before any column's values are fetched, in one scan: rows, and per column
 * its missing cells and, for numbers, the least and greatest (infinities included, NaN not).
 */
export function columnSummarySql(sql: string, columns: PlannedColumn[]): string {
  const exprs = ['count(*)'];
  for (const c of columns) {
    exprs.push(countIf(missing(c)));
    if (c.kind !== 'text')
      exprs.push(`min(CASE WHEN ${missing(c)} THEN NULL ELSE ${c.ident} END)`, `max(CASE WHEN ${missing(c)} THEN NULL ELSE ${c.ident} END)`);
  }
  return `SELECT ${exprs.join(', ')} ${from(sql)}`;
}

/** Up to `limit` distinct numbers of one column (NULL and NaN left out). */
export function distinctNumbersSql(sql: string, column: PlannedColumn, limit: number): string {
  return `SELECT DISTINCT ${column.ident} ${from(sql)} WHERE NOT (${missing(column)}) LIMIT ${limit}`;
}

/**
 * The row checks of one side in one scan: rows, empty rows, rows with a missing or infinite cell, and for
 * each listed column pair the rows where both are equal or both missing (identical) and where both are equal
 * (almost duplicated: missing never equals).
 */
export function rowChecksSql(sql: string, columns: PlannedColumn[], pairs: [number, number][], byWindow?: WindowGrouping): string {
  const exprs = [
    'count(*)',
    countIf(columns.map(missing).join(' AND ')),
    countIf(columns.map((c) => (c.kind === 'float' ? `(${missing(c)} OR ${infinite(c)})` : missing(c))).join(' OR ')),
  ];
  for (const [a, b] of pairs) {
    const x = columns[a].ident;
    const y = columns[b].ident;
    // Two NaN cells are missing, never equal (DuckDB would call them equal).
    exprs.push(countIf(`${x} = ${y} OR (${missing(columns[a])} AND ${missing(columns[b])})`), countIf(`${x} = ${y} AND NOT (${missing(columns[a])})`));
  }
  if (!byWindow) return `SELECT ${exprs.join(', ')} ${from(sql)}`;
  exprs.push(countIf(`${byWindow.timestamp} IS NULL`));
  return `SELECT ${W}, ${exprs.join(', ')} FROM ${withKey(
    sql,
    byWindow.key,
    columns.map((c) => c.ident),
  )} GROUP BY ${W}`;
}

/** Per-window row checks: the window key's SQL and the timestamp column (whose missing cells are counted too). */
export interface WindowGrouping {
  key: string;
  timestamp: string;
}

/** Rows equal to an earlier row (GROUP BY puts NULLs of a column together, as pandas' duplicated() does). */
export function duplicatedRowsSql(sql: string, columns: PlannedColumn[], byWindow?: WindowGrouping): string {
  const idents = columns.map((c) => c.ident);
  const keys = idents.join(', ');
  if (!byWindow) return `SELECT sum(n) - count(*) FROM (SELECT count(*) AS n ${from(sql)} GROUP BY ${keys}) AS g`;
  return `SELECT ${W}, sum(n) - count(*) FROM (SELECT ${W}, count(*) AS n FROM ${withKey(sql, byWindow.key, idents)} GROUP BY ${W}, ${keys}) AS g GROUP BY ${W}`;
}
