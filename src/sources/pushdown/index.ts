/**
 * Runs the pushdown plan on an engine and reduces the answers to two tables the in-memory analysis takes,
 * plus what the report must say about the parts aggregates cannot give exactly.
 */
import { createHash } from 'node:crypto';
import type { ParsedColumn, ParsedTable } from '../../io/csv/types.js';
import { InputError } from '../../errors.js';
import { pandasDtype, type PandasDtype } from '../../quality/dtype.js';
import { ALMOST_DUPLICATED_THRESHOLD, type RowChecks } from '../../quality/summary.js';
import type { EngineInfo } from '../../report/model.js';
import type { Timestamps } from '../../windows/split.js';
import type { Cell, Engine, ResultColumn, ValueKind } from './engine.js';
import {
  columnSql,
  columnSummarySql,
  distinctNumbersSql,
  duplicatedRowsSql,
  quoteIdent,
  rowChecksSql,
  valueCountsSql,
  windowKeySql,
  windowKeyStart,
  windowValueCountsSql,
  type CalendarSpec,
  type PlannedColumn,
  type WindowGrouping,
} from './plan.js';
import {
  columnFromCounts,
  columnFromRows,
  columnFromWindowCounts,
  expandCounts,
  keepCounts,
  LOCAL_MEMORY,
  possibleEqualCells,
  readValueCounts,
  stubColumn,
  type KeptCounts,
  type WindowBlocks,
} from './reduce.js';
import type { ColumnPlan } from '../../data/typing.js';

export interface PushdownQueries {
  referenceSql: string;
  currentSql: string;
  /** Opt-in: pull up to this many rows per side, in query order, for the columns that need row order. */
  pullRows?: number;
  /** Columns whose stat test needs the rows in order (TVD, empirical MMD). */
  needsRowOrder: (column: string) => boolean;
  /** Calendar windows of the current data, cut by the engine (GROUP BY window). */
  window?: { timestamp: string; spec: CalendarSpec };
}

/** The current data's windows as the engine counted them. */
export interface PushdownWindows {
  /** Each current row's window start (UTC ms; NaN: no time), which is all the window split needs. */
  timestamps: Timestamps;
  /** The row checks of the window starting at `start`, whose own columns say which pairs have one dtype. */
  rowChecks(start: number, columns: ParsedColumn[]): RowChecks;
}

/**
 * Either the columns stream (`columns`: the tables hold typing stubs, each column's values are fetched when it
 * is analysed), or, for windows, the values are expanded up front and the row checks counted (`rowChecks`).
 */
export interface PushdownData {
  reference: ParsedTable;
  current: ParsedTable;
  rowChecks?: RowChecks[];
  columns?: PushdownColumns;
  /** Column → why its rows are not in query order (so a test that permutes rows must not run on it). */
  unordered: Record<string, string>;
  engine: EngineInfo;
  windows?: PushdownWindows;
}

export const PULL_ROWS_FLAG = '--pushdown-pull-rows';

interface Side {
  label: 'reference' | 'current';
  sql: string;
  columns: ResultColumn[];
}

function checkColumns(ref: Side, cur: Side): void {
  for (const side of [ref, cur]) {
    const other = side === ref ? cur : ref;
    const names = new Set(other.columns.map((c) => c.name));
    for (const c of side.columns) {
      if (c.kind === null)
        throw new InputError(
          { file: `${side.label} SQL`, column: c.name },
          `type ${c.engineType} cannot be mapped to numbers or text; convert it in the SQL or leave the column out`,
        );
      if (!names.has(c.name))
        throw new InputError(
          { file: `${other.label} SQL`, column: c.name },
          `the column is missing (the ${side.label} SQL returns it); both queries must return the same columns`,
        );
    }
  }
}

/** A side's columns expanded up front (windowed runs), with each column's number of distinct values. */
interface ReducedSide {
  columns: ParsedColumn[];
  distinct: number[];
}

const tieNote = (column: string, side: Side['label']) => ({
  section: `quality.columns["${column}"].${side}.most_common`,
  reason: 'several values share the highest count and pandas picks one by row order, which aggregates do not keep',
});

async function reduceSide(engine: Engine, side: Side, notExact: EngineInfo['not_exact']): Promise<ReducedSide> {
  const out: ReducedSide = { columns: [], distinct: [] };
  for (const c of side.columns) {
    const ident = quoteIdent(c.name, `${side.label} SQL`);
    const { column, distinct, mostCommonTied } = await columnFromCounts(c.name, c.kind!, engine.rows(valueCountsSql(side.sql, ident), [c.kind!, 'integer']));
    if (column.numbers.length === 0) throw new InputError({ file: `${side.label} SQL` }, 'the query returned no rows');
    if (mostCommonTied) notExact.push(tieNote(c.name, side.label));
    out.columns.push(column);
    out.distinct.push(distinct);
  }
  return out;
}

/** What one scan counts for a side's row checks (or a window's), before dtypes say which column pairs count. */
interface RowCounts {
  rows: number;
  empty: number;
  withMissing: number;
  /** Per column pair: rows where both cells are equal or both missing, and rows where both are equal. */
  identical: number[];
  equal: number[];
  duplicatedRows: number;
  /** Rows whose timestamp cell is missing (per-window counts only). */
  timeMissing: number;
}

/** The counts from one row of rowChecksSql's answer (none: all zero). */
export function rowCounts(cells: number[], pairs: number): RowCounts {
  const at = (i: number) => cells[i] ?? 0;
  return {
    rows: at(0),
    empty: at(1),
    withMissing: at(2),
    identical: Array.from({ length: pairs }, (_, k) => at(3 + 2 * k)),
    equal: Array.from({ length: pairs }, (_, k) => at(4 + 2 * k)),
    duplicatedRows: 0,
    timeMissing: at(3 + 2 * pairs),
  };
}

/** Duplicated and almost duplicated columns are pairs of one pandas dtype (as Evidently compares them). */
export function finishRowChecks(c: RowCounts, pairs: [number, number][], dtypes: PandasDtype[]): RowChecks {
  let duplicated = 0;
  let almost = 0;
  pairs.forEach(([a, b], k) => {
    if (dtypes[a] !== dtypes[b]) return;
    if (c.identical[k] === c.rows) duplicated++;
    if (c.rows > 0 && c.equal[k] / c.rows >= ALMOST_DUPLICATED_THRESHOLD) almost++;
  });
  return { empty: c.empty, withMissing: c.withMissing, duplicated, almost, duplicatedRows: c.duplicatedRows };
}

/**
 * Pairs whose cells the engine can compare: numbers with numbers, text with text of the same engine type (a
 * DATE and a VARCHAR would be compared by casting, and a cast can fail; their texts differ in form anyway).
 */
const comparable = (a: ResultColumn, b: ResultColumn) => (a.kind === 'text' ? a.engineType === b.engineType : b.kind !== 'text');

const planned = (engine: Engine, side: Side): PlannedColumn[] =>
  side.columns.map((c) => {
    const ident = quoteIdent(c.name, side.label);
    return { ident, kind: c.kind!, isNaN: engine.isNaN(ident) };
  });
const dtypesOf = (side: Side, columns: ParsedColumn[]) => side.columns.map((c, k) => pandasDtype(columns[k], c.kind !== 'text'));

/**
 * A side's row checks: the comparable pairs of columns of one dtype (those `candidate` cannot rule out) are
 * counted in one scan, and the whole-row
 * GROUP BY (the heaviest query of the plan) is skipped when some column has a different value in every row,
 * since then no row repeats.
 */
async function rowChecks(
  engine: Engine,
  side: Side,
  dtypes: PandasDtype[],
  everyRowDistinct: boolean,
  candidate: (a: number, b: number) => boolean = () => true,
): Promise<RowChecks> {
  const pairs: [number, number][] = [];
  for (let a = 0; a < dtypes.length; a++)
    for (let b = a + 1; b < dtypes.length; b++)
      if (dtypes[a] === dtypes[b] && comparable(side.columns[a], side.columns[b]) && candidate(a, b)) pairs.push([a, b]);
  const kinds: ValueKind[] = new Array(3 + 2 * pairs.length).fill('integer');
  let counts = rowCounts([], pairs.length);
  for await (const batch of engine.rows(rowChecksSql(side.sql, planned(engine, side), pairs), kinds))
    for (const row of batch) counts = rowCounts(row.map(Number), pairs.length);
  if (!everyRowDistinct)
    for await (const batch of engine.rows(duplicatedRowsSql(side.sql, planned(engine, side)), ['integer']))
      for (const [n] of batch) counts.duplicatedRows = Number(n ?? 0);
  return finishRowChecks(counts, pairs, dtypes);
}

const everyRowDistinct = (columns: ParsedColumn[], distinct: (number | null)[], rows: number) =>
  distinct.some((d, k) => d === rows && columns[k].missingCount === 0);

/**
 * The current side cut into calendar windows by the engine: per-window row checks first (they give each
 * window's row count, so each column's values land in their window's block as they stream in), then each
 * column's (window, value, count) rows. The whole current data is every block together.
 */
async function reduceWindowedSide(engine: Engine, side: Side, window: NonNullable<PushdownQueries['window']>, notExact: EngineInfo['not_exact']) {
  const ts = side.columns.find((c) => c.name === window.timestamp);
  if (!ts) throw new InputError({ file: `${side.label} SQL`, column: window.timestamp }, 'the --timestamp column is not among the columns the query returns');
  const tsIdent = quoteIdent(ts.name, `${side.label} SQL`);
  const key = windowKeySql(engine, ts, tsIdent, window.spec);
  if (key === null)
    throw new InputError(
      { file: `${side.label} SQL`, column: ts.name },
      `the --timestamp column is ${ts.engineType}, not a date or date-time, and --source windows are cut in the engine: convert it in the SQL (ClickHouse: parseDateTimeBestEffort(col, 'UTC'); DuckDB: CAST(col AS TIMESTAMP))`,
    );
  const grouping: WindowGrouping = { key, timestamp: tsIdent };
  const columns = planned(engine, side);
  // Which pairs count depends on each window's dtypes (a missing cell makes an integer column float64): every
  // comparable pair is counted, and each window keeps those whose dtypes agree.
  const pairs: [number, number][] = [];
  for (let a = 0; a < columns.length; a++) for (let b = a + 1; b < columns.length; b++) if (comparable(side.columns[a], side.columns[b])) pairs.push([a, b]);
  const byKey = new Map<number | null, RowCounts>();
  const kinds: ValueKind[] = ['float', ...new Array<ValueKind>(4 + 2 * pairs.length).fill('integer')];
  for await (const batch of engine.rows(rowChecksSql(side.sql, columns, pairs, grouping), kinds))
    for (const [w, ...cells] of batch) byKey.set(w === null ? null : Number(w), rowCounts(cells.map(Number), pairs.length));
  for await (const batch of engine.rows(duplicatedRowsSql(side.sql, columns, grouping), ['float', 'integer']))
    for (const [w, n] of batch) byKey.get(w === null ? null : Number(w))!.duplicatedRows = Number(n ?? 0);
  if (byKey.size === 0) throw new InputError({ file: `${side.label} SQL` }, 'the query returned no rows');
  // Windows in time order, rows without a time last.
  const keys = [...byKey.keys()].sort((a, b) => (a === null ? 1 : b === null ? -1 : a - b));
  const blocks: WindowBlocks = new Map();
  let offset = 0;
  for (const k of keys) {
    blocks.set(k, { offset, rows: byKey.get(k)!.rows });
    offset += byKey.get(k)!.rows;
  }
  const reduced: ReducedSide = { columns: [], distinct: [] };
  for (const [i, c] of side.columns.entries()) {
    const counts = engine.rows(windowValueCountsSql(side.sql, key, columns[i].ident), ['float', c.kind!, 'integer']);
    const { column, distinct, mostCommonTied } = await columnFromWindowCounts(c.name, c.kind!, counts, blocks);
    if (mostCommonTied) notExact.push(tieNote(c.name, side.label));
    reduced.columns.push(column);
    reduced.distinct.push(distinct);
  }
  const ms = new Float64Array(offset).fill(NaN);
  for (const [k, b] of blocks) if (k !== null) ms.fill(windowKeyStart(window.spec, k), b.offset, b.offset + b.rows);
  const noTime = byKey.get(null);
  const timeMissing = noTime?.timeMissing ?? 0;
  const whole = rowCounts([], pairs.length);
  for (const c of byKey.values()) {
    for (const f of ['rows', 'empty', 'withMissing', 'duplicatedRows'] as const) whole[f] += c[f];
    c.identical.forEach((n, k) => (whole.identical[k] += n));
    c.equal.forEach((n, k) => (whole.equal[k] += n));
  }
  const byStart = new Map([...byKey].filter(([k]) => k !== null).map(([k, c]) => [windowKeyStart(window.spec, k!), c]));
  const windows: PushdownWindows = {
    // The engine tells missing times from times it could not read only as NULL cells and the rest.
    timestamps: { column: ts.name, ms, missing: timeMissing, unparseable: (noTime?.rows ?? 0) - timeMissing, tokens: [] },
    rowChecks: (start, cols) => finishRowChecks(byStart.get(start)!, pairs, dtypesOf(side, cols)),
  };
  return { reduced, rowChecks: finishRowChecks(whole, pairs, dtypesOf(side, reduced.columns)), windows };
}

function table(engine: Engine, side: Side, columns: ParsedColumn[], rows: number): ParsedTable {
  return {
    path: `${engine.location} (${side.label} SQL)`,
    format: 'sql',
    delimiter: null,
    rowCount: rows,
    bytes: 0,
    sha256: createHash('sha256').update(side.sql).digest('hex'),
    columns,
    invalidUtf8: null,
  };
}

/** Distinct numbers a stub carries: typing counts at most six (Evidently's regression rule) and reads the range. */
const FEW_DISTINCT = 100;
/** Value counts kept per column for choosing the pairs the row-check scan compares (16 bytes per value). */
const KEEP_DISTINCT = 250_000;

/** A side typed from one summary scan; `load` fetches one column's values at a time. */
interface StreamedSide extends Side {
  rows: number;
  stubs: ParsedColumn[];
  /** Distinct values per column, as loading finds them (null: not loaded, or pulled in row order). */
  distinct: (number | null)[];
  /** Value counts of the loaded columns with at most KEEP_DISTINCT values (null: more, or pulled). */
  kept: (KeptCounts | null)[];
}

async function summarizeSide(engine: Engine, side: Side): Promise<StreamedSide> {
  const columns = planned(engine, side);
  const kinds: ValueKind[] = ['integer'];
  for (const c of columns) kinds.push('integer', ...(c.kind === 'text' ? [] : [c.kind, c.kind]));
  let cells: Cell[] = [];
  for await (const batch of engine.rows(columnSummarySql(side.sql, columns), kinds)) for (const row of batch) cells = row;
  const rows = Number(cells[0] ?? 0);
  if (rows === 0) throw new InputError({ file: `${side.label} SQL` }, 'the query returned no rows');
  const stubs: ParsedColumn[] = [];
  let at = 1;
  for (const [k, c] of side.columns.entries()) {
    const missing = Number(cells[at++]);
    const { ident } = columns[k];
    if (c.kind === 'text') {
      // A text column's value counts are its whole content: kept, its codes are laid out when it is analysed.
      const texts = await readValueCounts('text', engine.rows(valueCountsSql(side.sql, ident), ['text', 'integer']));
      stubs.push(stubColumn(c.name, 'text', rows, missing, [], texts));
      continue;
    }
    const few = [cells[at++], cells[at++]].filter((v): v is number => v !== null);
    for await (const batch of engine.rows(distinctNumbersSql(side.sql, columns[k], FEW_DISTINCT), [c.kind!])) for (const [v] of batch) few.push(v as number);
    stubs.push(stubColumn(c.name, c.kind!, rows, missing, few));
  }
  return { ...side, rows, stubs, distinct: stubs.map(() => null), kept: stubs.map(() => null) };
}

/** A pushed-down run whose columns stream: fetched one at a time, analysed, dropped (see computeColumns). */
export interface PushdownColumns {
  /** The plan with both sides' columns holding their values (sorted, missing last; pulled ones in query order). */
  load(plan: ColumnPlan): Promise<ColumnPlan>;
  /** Both sides' row checks, once every column has been loaded. */
  rowChecks(): Promise<RowChecks[]>;
}

function streamColumns(engine: Engine, sides: StreamedSide[], pulled: Set<string>, notExact: EngineInfo['not_exact']): PushdownColumns {
  const fetch = async (side: StreamedSide, stub: ParsedColumn | undefined) => {
    if (!stub) return undefined;
    const k = side.stubs.indexOf(stub);
    const { name, kind } = { name: stub.name, kind: side.columns[k].kind! };
    const ident = quoteIdent(name, `${side.label} SQL`);
    if (pulled.has(name)) return columnFromRows(name, kind, engine.rows(columnSql(side.sql, ident), [kind]), LOCAL_MEMORY);
    const counts =
      kind === 'text'
        ? { values: stub.texts, counts: stub.textCounts, missing: stub.missingCount, sorted: true }
        : await readValueCounts(kind, engine.rows(valueCountsSql(side.sql, ident), [kind, 'integer']));
    const reduced = expandCounts(name, kind, counts, LOCAL_MEMORY);
    side.distinct[k] = reduced.distinct;
    if (reduced.distinct <= KEEP_DISTINCT) side.kept[k] = keepCounts(kind, counts);
    if (reduced.mostCommonTied) notExact.push(tieNote(name, side.label));
    return reduced.column;
  };
  const [ref, cur] = sides;
  return {
    load: async (plan) => ({ ...plan, ref: await fetch(ref, plan.ref), cur: await fetch(cur, plan.cur) }),
    rowChecks: async () => {
      const out: RowChecks[] = [];
      for (const side of sides) {
        const { kept, rows } = side;
        const candidate = (a: number, b: number) => !kept[a] || !kept[b] || possibleEqualCells(kept[a], kept[b]) >= ALMOST_DUPLICATED_THRESHOLD * rows;
        out.push(await rowChecks(engine, side, dtypesOf(side, side.stubs), everyRowDistinct(side.stubs, side.distinct, rows), candidate));
      }
      return out;
    },
  };
}

export async function readPushdown(engine: Engine, q: PushdownQueries): Promise<PushdownData> {
  const version = await engine.version();
  const [refColumns, curColumns] = await Promise.all([engine.columns(q.referenceSql), engine.columns(q.currentSql)]);
  const ref: Side = { label: 'reference', sql: q.referenceSql, columns: refColumns };
  const cur: Side = { label: 'current', sql: q.currentSql, columns: curColumns };
  checkColumns(ref, cur);
  const notExact: EngineInfo['not_exact'] = [];
  const info: EngineInfo = {
    name: engine.name,
    version,
    mode: 'pushdown',
    location: engine.location,
    reference_sql: q.referenceSql,
    current_sql: q.currentSql,
    not_exact: notExact,
  };
  const unordered: Record<string, string> = {};
  if (q.window) {
    const refSide = await reduceSide(engine, ref, notExact);
    const windowed = await reduceWindowedSide(engine, cur, q.window, notExact);
    for (const c of ref.columns)
      if (q.needsRowOrder(c.name)) unordered[c.name] = 'its stat test permutes the rows in order, which per-window aggregates do not keep';
    const refRows = refSide.columns[0].numbers.length;
    return {
      reference: table(engine, ref, refSide.columns, refRows),
      current: table(engine, cur, windowed.reduced.columns, windowed.reduced.columns[0].numbers.length),
      rowChecks: [
        await rowChecks(engine, ref, dtypesOf(ref, refSide.columns), everyRowDistinct(refSide.columns, refSide.distinct, refRows)),
        windowed.rowChecks,
      ],
      unordered,
      engine: info,
      windows: windowed.windows,
    };
  }
  const sides = [await summarizeSide(engine, ref), await summarizeSide(engine, cur)];
  const pulled = new Set<string>();
  const rows = Math.max(sides[0].rows, sides[1].rows);
  for (const c of ref.columns) {
    if (!q.needsRowOrder(c.name)) continue;
    if (q.pullRows === undefined) {
      unordered[c.name] =
        `its stat test permutes the rows in order, which aggregates do not keep; ${PULL_ROWS_FLAG} <n> pulls the column's rows (up to n per side)`;
    } else if (rows > q.pullRows) {
      unordered[c.name] = `its stat test needs the rows in order and a side has ${rows} rows, more than ${PULL_ROWS_FLAG} ${q.pullRows}`;
    } else pulled.add(c.name);
  }
  return {
    reference: table(engine, ref, sides[0].stubs, sides[0].rows),
    current: table(engine, cur, sides[1].stubs, sides[1].rows),
    columns: streamColumns(engine, sides, pulled, notExact),
    unordered,
    engine: info,
  };
}
