/**
 * Runs the pushdown plan on an engine and reduces the answers to two tables the in-memory analysis takes,
 * plus what the report must say about the parts aggregates cannot give exactly.
 */
import { createHash } from 'node:crypto';
import type { ParsedColumn, ParsedTable } from '../../io/csv/types.js';
import { InputError } from '../../errors.js';
import { pandasDtype } from '../../quality/dtype.js';
import { ALMOST_DUPLICATED_THRESHOLD, type RowChecks } from '../../quality/summary.js';
import type { EngineInfo } from '../../report/model.js';
import type { Engine, ResultColumn, ValueKind } from './engine.js';
import { columnSql, duplicatedRowsSql, quoteIdent, rowChecksSql, valueCountsSql, type PlannedColumn } from './plan.js';
import { columnFromCounts, columnFromRows, possibleEqualCells } from './reduce.js';

export interface PushdownQueries {
  referenceSql: string;
  currentSql: string;
  /** Opt-in: pull up to this many rows per side, in query order, for the columns that need row order. */
  pullRows?: number;
  /** Columns whose stat test needs the rows in order (TVD, empirical MMD). */
  needsRowOrder: (column: string) => boolean;
}

export interface PushdownData {
  reference: ParsedTable;
  current: ParsedTable;
  rowChecks: RowChecks[];
  /** Column → why its rows are not in query order (so a test that permutes rows must not run on it). */
  unordered: Record<string, string>;
  engine: EngineInfo;
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

/** A side's columns; `distinct` per column, null for a column pulled in row order (not sorted). */
interface ReducedSide {
  columns: ParsedColumn[];
  distinct: (number | null)[];
}

async function reduceSide(engine: Engine, side: Side, notExact: EngineInfo['not_exact']): Promise<ReducedSide> {
  const out: ReducedSide = { columns: [], distinct: [] };
  for (const c of side.columns) {
    const ident = quoteIdent(c.name, `${side.label} SQL`);
    const { column, distinct, mostCommonTied } = await columnFromCounts(c.name, c.kind!, engine.rows(valueCountsSql(side.sql, ident), [c.kind!, 'integer']));
    if (column.numbers.length === 0) throw new InputError({ file: `${side.label} SQL` }, 'the query returned no rows');
    if (mostCommonTied) {
      notExact.push({
        section: `quality.columns["${c.name}"].${side.label}.most_common`,
        reason: 'several values share the highest count and pandas picks one by row order, which aggregates do not keep',
      });
    }
    out.columns.push(column);
    out.distinct.push(distinct);
  }
  return out;
}

async function rowChecks(engine: Engine, side: Side, { columns, distinct }: ReducedSide): Promise<RowChecks> {
  const planned: PlannedColumn[] = side.columns.map((c) => ({ ident: quoteIdent(c.name, side.label), kind: c.kind! }));
  const dtypes = side.columns.map((c, k) => pandasDtype(columns[k], c.kind !== 'text'));
  const rowCount = columns[0].numbers.length;
  // Only pairs whose value counts leave room for the almost-duplicated share (identical pairs are among them).
  const candidate = (a: number, b: number) =>
    distinct[a] === null || distinct[b] === null || possibleEqualCells(columns[a], columns[b]) >= ALMOST_DUPLICATED_THRESHOLD * rowCount;
  const pairs: [number, number][] = [];
  for (let a = 0; a < planned.length; a++) for (let b = a + 1; b < planned.length; b++) if (dtypes[a] === dtypes[b] && candidate(a, b)) pairs.push([a, b]);
  const kinds: ValueKind[] = new Array(3 + 2 * pairs.length).fill('integer');
  let first: number[] = [];
  for await (const batch of engine.rows(rowChecksSql(side.sql, planned, pairs), kinds)) for (const row of batch) first = row.map(Number);
  const [rows, empty, withMissing] = first;
  let duplicated = 0;
  let almost = 0;
  pairs.forEach((_, k) => {
    if (first[3 + 2 * k] === rows) duplicated++;
    if (rows > 0 && first[4 + 2 * k] / rows >= ALMOST_DUPLICATED_THRESHOLD) almost++;
  });
  let duplicatedRows = 0;
  // A column whose every cell is a distinct value leaves no duplicated row: the engine's GROUP BY over whole rows,
  // the heaviest query of the plan, is then not needed.
  const unique = distinct.some((d, k) => d === rowCount && columns[k].missingCount === 0);
  if (!unique)
    for await (const batch of engine.rows(duplicatedRowsSql(side.sql, planned), ['integer'])) for (const [n] of batch) duplicatedRows = Number(n ?? 0);
  return { empty, withMissing, duplicated, almost, duplicatedRows };
}

function table(engine: Engine, side: Side, columns: ParsedColumn[]): ParsedTable {
  return {
    path: `${engine.location} (${side.label} SQL)`,
    format: 'sql',
    delimiter: null,
    rowCount: columns[0].numbers.length,
    bytes: 0,
    sha256: createHash('sha256').update(side.sql).digest('hex'),
    columns,
    invalidUtf8: null,
  };
}

export async function readPushdown(engine: Engine, q: PushdownQueries): Promise<PushdownData> {
  const version = await engine.version();
  const [refColumns, curColumns] = await Promise.all([engine.columns(q.referenceSql), engine.columns(q.currentSql)]);
  const ref: Side = { label: 'reference', sql: q.referenceSql, columns: refColumns };
  const cur: Side = { label: 'current', sql: q.currentSql, columns: curColumns };
  checkColumns(ref, cur);
  const notExact: EngineInfo['not_exact'] = [];
  const refSide = await reduceSide(engine, ref, notExact);
  const curSide = await reduceSide(engine, cur, notExact);
  const [refCols, curCols] = [refSide.columns, curSide.columns];
  const unordered: Record<string, string> = {};
  for (const c of ref.columns) {
    if (!q.needsRowOrder(c.name)) continue;
    const k = ref.columns.indexOf(c);
    const kc = cur.columns.findIndex((x) => x.name === c.name);
    const n = Math.max(refCols[k].numbers.length, curCols[kc].numbers.length);
    if (q.pullRows === undefined) {
      unordered[c.name] =
        `its stat test permutes the rows in order, which aggregates do not keep; ${PULL_ROWS_FLAG} <n> pulls the column's rows (up to n per side)`;
    } else if (n > q.pullRows) {
      unordered[c.name] = `its stat test needs the rows in order and a side has ${n} rows, more than ${PULL_ROWS_FLAG} ${q.pullRows}`;
    } else {
      const ident = quoteIdent(c.name, 'SQL');
      refCols[k] = await columnFromRows(c.name, c.kind!, engine.rows(columnSql(ref.sql, ident), [c.kind!]));
      curCols[kc] = await columnFromRows(c.name, cur.columns[kc].kind!, engine.rows(columnSql(cur.sql, ident), [cur.columns[kc].kind!]));
      refSide.distinct[k] = null;
      curSide.distinct[kc] = null;
    }
  }
  const rowChecksBoth = [await rowChecks(engine, ref, refSide), await rowChecks(engine, cur, curSide)];
  return {
    reference: table(engine, ref, refCols),
    current: table(engine, cur, curCols),
    rowChecks: rowChecksBoth,
    unordered,
    engine: {
      name: engine.name,
      version,
      mode: 'pushdown',
      location: engine.location,
      reference_sql: q.referenceSql,
      current_sql: q.currentSql,
      not_exact: notExact,
    },
  };
}
