/**
 * The column-batch engine, for Parquet data larger than memory (docs/sources.md "Larger than memory"): DuckDB
 * reads a few columns of both inputs at a time into the same typed arrays the in-memory path fills, the same
 * per-column code (typing, profiles, drift) runs on them, only the per-column results are kept, and the arrays
 * are dropped before the next batch. The target and prediction columns stay in memory throughout, so model
 * quality and their correlations with each batch's features are computed as in memory. The row checks, which
 * look across every column of a row, run in DuckDB as SQL over the files, under its memory limit, spilling to
 * a private directory.
 */
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { planColumns, type ColumnPlan, type TypingResult } from './data/typing.js';
import type { ColumnRoles } from './data/roles.js';
import { analysePlans, summarizeColumns, type ColumnResult } from './drift/parallel.js';
import { checkPerColumnNames } from './drift/options.js';
import type { EngineOptions } from './engine.js';
import type { CsvOptions, ParsedColumn, ParsedTable } from './io/csv/types.js';
import { modelQuality } from './model_quality/index.js';
import type { AnalyzeOptions, ComputedReport } from './pipeline.js';
import { describeColumns } from './quality/columns.js';
import type { ColumnQuality } from './quality/profile.js';
import { targetCorrelations, targetDriftOf, type TargetCorrelation } from './quality/correlations.js';
import { ALMOST_DUPLICATED_THRESHOLD, type RowChecks } from './quality/summary.js';
import type { ColumnInfo, EngineInfo, ReportWarning } from './report/model.js';
import { firstLine, openDuckDb } from './sources/duckdb/connection.js';
import { SourceError } from './errors.js';
import { duplicatedRowsSql, rowChecksSql, type PlannedColumn } from './sources/pushdown/plan.js';
import { readParquetColumns, settleCells, type CellSql, type ParquetSource } from './sources/parquet.js';
import { openBatchInput, type BatchInput } from './sources/csv_as_parquet.js';
import type { CsvLayout } from './io/csv/reader.js';
import { poolThreads } from './workers.js';

/** DuckDB's share of the memory limit: reading a few columns needs little; the duplicated-rows GROUP BY spills past it. */
const DUCKDB_SHARE = 0.25;
/** Below this DuckDB's Parquet reader and a spilling GROUP BY on two threads can run out (seen at 64 MB under load). */
const DUCKDB_MIN_MB = 128;
/** What Node and the DuckDB library take before any column is read. */
const BASELINE_BYTES = 200e6;
/**
 * Peak bytes per value (of both sides) while a column is read and analysed, measured: its 8-byte value, DuckDB's
 * and the reader's buffers, the sorted copy, and the radix sort's per-thread scratch array (the variance and the
 * CDF distance sum their terms without storing them). One column of 50M + 50M: 4.3 GB peak RSS, down from 5.5 GB
 * when those two kept row-long scratch arrays (48 bytes a value then: 12 fewer now, as their sizes predict).
 */
const BYTES_PER_ANALYSED_VALUE = 36;

/** A column's counts without its arrays: what the report needs of it once its batch is done. */
function shell(col: ParsedColumn | undefined): ParsedColumn | undefined {
  return col && { ...col, numbers: new Float64Array(0), textCodes: null };
}

/** A table of the source's columns, without data: the schema, for typing checks and the report's inputs (a CSV input's own). */
export function schemaTable(source: ParquetSource, fingerprint: { bytes: number; sha256: string }, csv: CsvLayout | null = null): ParsedTable {
  const columns = source.schema.map(([name]): ParsedColumn => ({
    name,
    numbers: new Float64Array(0),
    textCodes: null,
    texts: [],
    textCounts: [],
    missingCount: 0,
    numericCount: 0,
    textCount: 0,
    integerLiterals: true,
    firstTextLine: 0,
  }));
  const format = csv ? 'csv' : 'parquet';
  return { path: source.path, format, delimiter: csv?.delimiter ?? null, rowCount: source.rows, ...fingerprint, columns, invalidUtf8: null };
}

/** The user's role lists narrowed to the columns at hand, so a batch's typing sees no name it lacks. */
export function rolesFor(roles: ColumnRoles, names: Set<string>): ColumnRoles {
  const only = (list: string[] | undefined) => list?.filter((n) => names.has(n));
  return {
    ...roles,
    numerical: only(roles.numerical),
    categorical: only(roles.categorical),
    datetime: only(roles.datetime),
    id: only(roles.id),
    ignore: only(roles.ignore),
  };
}

export const RESIDENT = new Set<ColumnPlan['role']>(['target', 'prediction', 'prediction_proba']);
const KIND_ORDER: TargetCorrelation['kind'][] = ['pearson', 'spearman', 'kendall', 'cramer_v'];

/** One column of one side as the row checks see it. */
interface RowCell {
  sql: string;
  numeric: boolean;
  exact: boolean;
  /**
   * Non-missing cells counted by bucket (a number by its top 16 bits, -0 with 0; a text by a hash of it). Equal
   * cells fall in one bucket, so the sum of the smaller counts bounds the rows on which two columns can agree.
   */
  buckets: Uint32Array;
}

interface Side {
  label: 'reference' | 'current';
  input: BatchInput;
  source: ParquetSource;
  conn: DuckDBConnection;
  /** Each column's cells as SQL, from the batch that read it. */
  read: Map<string, CellSql>;
  cells: Map<string, RowCell>;
}

const BUCKETS = 1 << 16;

function textBucket(t: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < t.length; i++) h = Math.imul(h ^ t.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) & (BUCKETS - 1);
}

/** A column's cells for the row checks, taken while its batch is in memory. */
function rowCell(plan: ColumnPlan, col: ParsedColumn, cell: CellSql): RowCell {
  const buckets = new Uint32Array(BUCKETS);
  // A numerical column reads its stray texts as missing: with no number among its cells, every cell is missing.
  if (!cell.numeric && col.numericCount === 0 && (plan.coerceText || col.textCount === 0))
    return { sql: 'CAST(NULL AS DOUBLE)', numeric: true, exact: true, buckets };
  if (cell.numeric) {
    const v = col.numbers;
    const high = new Uint32Array(v.buffer, v.byteOffset, 2 * v.length);
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (x === x) buckets[x === 0 ? 0 : high[2 * i + 1] >>> 16]++;
    }
  } else {
    col.texts.forEach((t, k) => (buckets[textBucket(t)] += col.textCounts[k]));
  }
  return { ...cell, buckets };
}

/** Whether two columns can be duplicated (identical) or almost duplicated, by their buckets. */
function mayMatch(a: RowCell, b: RowCell, rows: number): boolean {
  let overlap = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < BUCKETS; k++) {
    overlap += Math.min(a.buckets[k], b.buckets[k]);
    na += a.buckets[k];
    nb += b.buckets[k];
  }
  return overlap >= ALMOST_DUPLICATED_THRESHOLD * rows || (overlap === na && overlap === nb);
}

/** Bytes per value (of both sides) of a batch read but not yet analysed: its value and the reader's buffers, measured. */
const BYTES_PER_READ_VALUE = 16;

/** What the column batches may take: the limit less DuckDB's share, Node and the resident columns. */
function budgetBytes(options: EngineOptions, refRows: number, curRows: number, residents: number): number {
  return options.memoryLimit * (1 - DUCKDB_SHARE) - BASELINE_BYTES - 8 * residents * (refRows + curRows);
}

/** How many columns are analysed at once: as many as fit the limit beside DuckDB and the resident columns, at most one per thread. */
function batchSize(options: EngineOptions, refRows: number, curRows: number, residents: number, threads: number): number {
  return Math.max(1, Math.min(threads, Math.floor(budgetBytes(options, refRows, curRows, residents) / (BYTES_PER_ANALYSED_VALUE * (refRows + curRows)))));
}

/**
 * Reads both inputs a batch of columns at a time and computes everything the report needs, without ever
 * holding more than one batch (plus the target and prediction) in memory. A CSV input is converted first
 * (`src/sources/csv_as_parquet.ts`).
 */
export async function computeColumnBatches(
  referencePath: string,
  currentPath: string,
  options: AnalyzeOptions,
  engineOptions: EngineOptions,
  csv: CsvOptions,
): Promise<{ reference: ParsedTable; current: ParsedTable; computed: ComputedReport; readMs: number }> {
  const parallel = options.parallel !== false;
  const duckdbMb = Math.max(DUCKDB_MIN_MB, Math.floor((engineOptions.memoryLimit * DUCKDB_SHARE) / 1e6));
  const db = await openDuckDb({ memoryLimit: `${duckdbMb}MB`, ...(parallel ? {} : { threads: 1 }) });
  try {
    const conns = [db.connection, await db.connect()];
    // One after the other: converting a CSV input takes all of DuckDB's threads and, with nothing read yet, half the limit.
    const conversion = (name: string) => ({
      directory: db.directory,
      name,
      duckdb: { memoryLimit: `${Math.max(DUCKDB_MIN_MB, Math.floor(engineOptions.memoryLimit / 2e6))}MB`, ...(parallel ? {} : { threads: 1 }) },
      parallel,
    });
    const inputs = [
      await openBatchInput(conns[0], referencePath, csv, conversion('reference')),
      await openBatchInput(conns[1], currentPath, csv, conversion('current')),
    ];
    const sides: Side[] = (['reference', 'current'] as const).map((label, s) => ({
      label,
      input: inputs[s],
      source: inputs[s].source,
      conn: conns[s],
      read: new Map(),
      cells: new Map(),
    }));
    const [ref, cur] = sides;
    // Every name check the in-memory path makes, on the schemas alone, before any column is read.
    const schemaTyping = planColumns(
      schemaTable(ref.source, { bytes: 0, sha256: '' }, ref.input.csv),
      schemaTable(cur.source, { bytes: 0, sha256: '' }, cur.input.csv),
      options.roles,
      options.origins,
    );
    const order = new Map(schemaTyping.plans.map((p, k) => [p.name, k]));
    checkPerColumnNames(options.drift, new Set(order.keys()), options.origins);
    const residentNames = schemaTyping.plans.filter((p) => RESIDENT.has(p.role)).map((p) => p.name);
    const others = schemaTyping.plans.filter((p) => !RESIDENT.has(p.role)).map((p) => p.name);

    // readParquetColumns reads the names this side's schema has: a column of one file only is absent on the other.
    const read = async (side: Side, names: string[]) => {
      const columns = await readParquetColumns(side.conn, side.source, names, { naValues: options.naValues, ignore: options.roles.ignore });
      // A converted CSV file's rows start on the line after the header.
      if (side.input.csv) for (const col of columns.table.columns) if (col.firstTextLine > 0) col.firstTextLine++;
      return columns;
    };
    let readMs = 0;
    const readBoth = async (names: string[]) => {
      const t0 = performance.now();
      const reads = sides.map((side) => read(side, names));
      for (const r of reads) void r.catch(() => {});
      const [r, c] = [await reads[0], await reads[1]];
      readMs += performance.now() - t0;
      [r, c].forEach(({ table, cells }, s) => table.columns.forEach((col, k) => sides[s].read.set(col.name, cells[k])));
      return [r.table, c.table];
    };
    const typeColumns = (tables: ParsedTable[], names: string[]) => planColumns(tables[0], tables[1], rolesFor(options.roles, new Set(names)), options.origins);

    const plans: ColumnPlan[] = [];
    const results: ColumnResult[] = [];
    const columns: ColumnInfo[] = [];
    const warnings: ReportWarning[] = [];
    const correlations = new Map<string, TargetCorrelation[]>();
    let threads = 1;
    let task: TypingResult['task'] = schemaTyping.task;
    let model: ComputedReport['modelQuality'];
    const keep = (batch: ColumnPlan[], typing: TypingResult, analysed: { results: ColumnResult[]; threads: number }) => {
      const names = new Set(batch.map((p) => p.name));
      warnings.push(...typing.warnings.filter((w) => w.column !== undefined && names.has(w.column)));
      columns.push(
        ...describeColumns(
          batch,
          analysed.results.map((r) => r.quality),
        ),
      );
      for (const plan of batch) {
        for (const side of sides) {
          const col = side === ref ? plan.ref : plan.cur;
          if (col) side.cells.set(plan.name, rowCell(plan, col, side.read.get(plan.name)!));
        }
        plans.push({ ...plan, ref: shell(plan.ref), cur: shell(plan.cur) });
      }
      results.push(...analysed.results);
      threads = Math.max(threads, analysed.threads);
    };

    // The target and predictions: read once, analysed first, and kept for the correlations of every batch.
    let residentTables: ParsedTable[] | null = null;
    if (residentNames.length > 0) {
      residentTables = await readBoth(residentNames);
      const typing = typeColumns(residentTables, residentNames);
      task = typing.task;
      model = modelQuality(typing.plans, typing.task, options.model ?? {});
      keep(typing.plans, typing, await analysePlans(typing.plans, options.drift, () => [], { parallel }));
    }

    const cores = parallel ? poolThreads(Infinity) : 1;
    const size = batchSize(engineOptions, ref.source.rows, cur.source.rows, residentNames.length, cores);
    // While a batch is analysed on worker threads, this thread reads the next one, when the limit has room for it
    // and a batch has several columns. One column a batch (50M + 50M rows) measured worse with it: 360 CPU s and
    // 7.9 GB against 269 CPU s and 5.4 GB, a fresh worker per batch faulting in its sort and scratch arrays anew.
    const values = ref.source.rows + cur.source.rows;
    const prefetch =
      parallel &&
      size >= 2 &&
      others.length > size &&
      size * (BYTES_PER_ANALYSED_VALUE + BYTES_PER_READ_VALUE) * values <= budgetBytes(engineOptions, ref.source.rows, cur.source.rows, residentNames.length);
    const batchNames: string[][] = [];
    for (let at = 0; at < others.length; at += size) batchNames.push(others.slice(at, at + size));
    const readBatch = (names: string[]) => {
      const reading = readBoth(names);
      void reading.catch(() => {});
      return reading;
    };
    let reading = batchNames.length > 0 ? readBatch(batchNames[0]) : null;
    try {
      await batchLoop();
    } finally {
      // A failed analysis must not close DuckDB under a read still running.
      await reading?.catch(() => {});
    }
    async function batchLoop() {
      for (let k = 0; k < batchNames.length; k++) {
        const names = batchNames[k];
        const tables = await reading!;
        reading = null;
        const resident = residentTables;
        if (resident) tables.forEach((t, s) => t.columns.push(...resident[s].columns));
        const typing = typeColumns(tables, [...names, ...residentNames]);
        const batch = typing.plans.filter((p) => !RESIDENT.has(p.role));
        for (const [name, list] of targetCorrelations(typing.plans)) correlations.set(name, [...(correlations.get(name) ?? []), ...list]);
        const analysing = analysePlans(batch, options.drift, () => [], { parallel, offMainThread: prefetch });
        if (prefetch && k + 1 < batchNames.length) reading = readBatch(batchNames[k + 1]);
        keep(batch, typing, await analysing);
        if (!prefetch && k + 1 < batchNames.length) reading = readBatch(batchNames[k + 1]);
      }
    }
    const batches = batchNames.length;

    // Back into the order the in-memory path has: the files' column order.
    const index = plans.map((_, k) => k).sort((a, b) => order.get(plans[a].name)! - order.get(plans[b].name)!);
    const sorted = index.map((k) => plans[k]);
    const sortedResults = index.map((k) => results[k]);
    const byName = new Map(columns.map((c) => [c.name, c]));
    warnings.sort((a, b) => order.get(a.column!)! - order.get(b.column!)!);
    for (const list of correlations.values()) {
      list.sort((a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || order.get(a.feature)! - order.get(b.feature)!);
    }

    const notExact: EngineInfo['not_exact'] = [];
    const quality = sortedResults.map((r) => r.quality);
    const rows: RowChecks[] = [];
    for (const side of sides) rows.push(await sideRowChecks(side, sorted, quality, notExact));
    const reference = schemaTable(ref.source, await ref.source.fingerprint(), ref.input.csv);
    const current = schemaTable(cur.source, await cur.source.fingerprint(), cur.input.csv);
    return {
      reference,
      current,
      readMs,
      computed: {
        typing: { plans: sorted, task, warnings },
        ...summarizeColumns(sorted, sortedResults, options.drift),
        quality,
        rows,
        threads,
        columns: sorted.map((p) => byName.get(p.name)!),
        targetDrift: targetDriftOf(sorted, correlations),
        modelQuality: model,
        engine: {
          name: 'duckdb',
          version: db.version,
          mode: 'column-batches',
          memory_limit_bytes: engineOptions.memoryLimit,
          batches: batches + (residentTables ? 1 : 0),
          not_exact: notExact,
        },
      },
    };
  } finally {
    await db.close();
  }
}

/**
 * One side's row checks in DuckDB, over each column's cells as the table holds them: empty rows, rows with a
 * missing or infinite cell and the equal cells of each column pair that may be (almost) duplicated, in one scan,
 * then duplicated rows as a GROUP BY over every column. As in memory, the scan is skipped when no column has a
 * missing or infinite cell and no pair can match, and the GROUP BY when a column has a different value in every row.
 */
async function sideRowChecks(side: Side, plans: ColumnPlan[], quality: ColumnQuality[], notExact: EngineInfo['not_exact']): Promise<RowChecks> {
  const rows = side.source.rows;
  const isRef = side.label === 'reference';
  const columns = plans
    .map((plan, k) => ({ plan, profile: isRef ? quality[k].ref : quality[k].cur, cell: side.cells.get(plan.name) }))
    .filter((e) => e.profile && e.cell)
    .map((e) => ({ ...e, profile: e.profile!, cell: e.cell! }));
  if (columns.length === 0) return { empty: 0, withMissing: 0, duplicated: 0, almost: 0, duplicatedRows: 0 };
  const run = async (sql: string) => {
    try {
      return (await side.conn.runAndReadAll(sql)).getRows()[0].map((v) => Number(v ?? 0));
    } catch (e) {
      throw new SourceError(`DuckDB failed the row checks of ${side.source.path}: ${firstLine(e)}`);
    }
  };
  const settled = await settleCells(
    columns.map((c) => c.cell),
    side.source.scan,
    run,
  );
  columns.forEach((c, k) => (c.cell = { ...c.cell, ...settled[k] }));
  for (const { plan, cell } of columns) {
    if (cell.exact) continue;
    notExact.push({
      section: `quality.${side.label}.row_checks`,
      reason: `column "${plan.name}" holds numbers as text, which SQL compares as texts ("1" is not "1.0"): duplicated rows, duplicated columns and rows with missing values are counted on the texts`,
    });
  }
  const exprs = columns.map(({ cell }, k) => `${cell.sql} AS "c${k}"`);
  // The cell SQL has turned NaN into NULL already.
  const planned: PlannedColumn[] = columns.map(({ cell }, k) => ({ ident: `"c${k}"`, kind: cell.numeric ? 'float' : 'text', isNaN: 'false' }));
  const scan = `SELECT ${exprs.join(', ')} FROM ${side.source.scan}`;
  // Pairs of one dtype are compared, as in memory. A text and a number column of one dtype involve a column
  // listed as not exact above, and SQL would cast the text.
  const pairs: [number, number][] = [];
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      const [x, y] = [columns[a], columns[b]];
      if (x.profile.dtype === y.profile.dtype && x.cell.numeric === y.cell.numeric && mayMatch(x.cell, y.cell, rows)) pairs.push([a, b]);
    }
  }
  const anyMissing = columns.some(({ profile }) => profile.missing > 0 || profile.posInf + profile.negInf > 0);
  const counts = anyMissing || pairs.length > 0 ? await run(rowChecksSql(scan, planned, pairs)) : [rows, 0, 0];
  const [, empty, withMissing] = counts;
  let duplicated = 0;
  let almost = 0;
  pairs.forEach((_, k) => {
    if (counts[3 + 2 * k] === rows) duplicated++;
    if (counts[4 + 2 * k] / rows >= ALMOST_DUPLICATED_THRESHOLD) almost++;
  });
  const unique = columns.some(({ profile }) => profile.unique === rows);
  const duplicatedRows = rows < 2 || unique ? 0 : (await run(duplicatedRowsSql(scan, planned)))[0];
  return { empty, withMissing, duplicated, almost, duplicatedRows };
}
