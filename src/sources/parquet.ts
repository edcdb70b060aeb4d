import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { TextDictionary } from '../io/csv/dictionary.js';
import { CELL_MISSING, CELL_NUMBER, CELL_TEXT, classifyCell, NumberScanner } from '../io/csv/numbers.js';
import { NaMatcher, sharedFloat64, sharedInt32 } from '../io/csv/reader.js';
import type { ParsedColumn, ParsedTable } from '../io/csv/types.js';
import { workerScript } from '../workers.js';
import { firstLine } from './duckdb/connection.js';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBEnumLogicalType } from '@duckdb/node-api';

type Bindings = typeof import('@duckdb/node-bindings');

const GLOB = /[*?[]/;
const EXTENSION = /\.(parquet|parq|pq)$/i;
const MAGIC = 'PAR1';

/**
 * A Parquet source: a directory, a `.parquet` file, any regular file that starts with Parquet's magic bytes, or a
 * glob that names no existing file. Everything else is read as CSV. An existing path is taken as it is, so a file
 * name with `[` or `*` in it is never mistaken for a pattern.
 */
export async function isParquetSource(path: string): Promise<boolean> {
  let st: Stats;
  try {
    st = await stat(path);
  } catch {
    return GLOB.test(path) || EXTENSION.test(path);
  }
  if (st.isDirectory()) return true;
  // Only a regular file can be sniffed: opening a pipe (`-c <(...)`, a FIFO) would take bytes the CSV reader needs.
  if (!st.isFile()) return false;
  if (EXTENSION.test(path)) return true;
  try {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(4);
      await handle.read(head, 0, 4, 0);
      return head.toString('latin1') === MAGIC;
    } finally {
      await handle.close();
    }
  } catch {
    return false;
  }
}

/** A text as a SQL string literal, and a name as a quoted SQL identifier (DuckDB's quoting). */
export const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;
export const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;

/** The files behind a source, sorted (DuckDB's glob order), so the hash and the row order do not depend on the disk. */
async function listFiles(conn: DuckDBConnection, source: string): Promise<string[]> {
  let pattern = source;
  try {
    if (!(await stat(source)).isDirectory()) return [source];
    pattern = `${source.replace(/\/+$/, '')}/**/*.parquet`;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' || !GLOB.test(source)) {
      throw new InputError(
        { file: source },
        `cannot open the file: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String(e)}`,
      );
    }
  }
  const rows = (await conn.runAndReadAll(`SELECT file FROM glob(${sqlString(pattern)}) ORDER BY file`)).getRows();
  if (rows.length === 0) throw new InputError({ file: source }, `no Parquet file matches ${pattern === source ? 'this pattern' : pattern}`);
  return rows.map((r) => String(r[0]));
}

/**
 * Size and SHA-256 of the files back to back, the Parquet counterpart of the CSV file's hash: on a worker thread
 * where there is one to start, as this thread files the columns meanwhile.
 */
export async function fingerprint(files: string[], parallel: boolean): Promise<{ bytes: number; sha256: string }> {
  const script = parallel ? workerScript(import.meta.url, './hash_worker.js') : null;
  if (script) {
    const reply = await new Promise<{ bytes: number; sha256: string } | { error: string }>((resolve, reject) => {
      const worker = new Worker(script, { workerData: files });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    if ('error' in reply) throw new Error(reply.error);
    return reply;
  }
  const hash = createHash('sha256');
  let bytes = 0;
  for (const file of files) {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
      hash.update(chunk as Buffer);
      bytes += (chunk as Buffer).length;
    }
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** How one Parquet column reaches the typed arrays. */
type Reading =
  /** Cast to DOUBLE in DuckDB and copied as is; NULL and NaN are missing. */
  | { kind: 'number'; sql: string; integer: boolean }
  /** Read as text and classified cell by cell exactly as a CSV cell is, so the column's type does not depend on the format. */
  | { kind: 'text'; sql: string };

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);
const TEXT_TYPES = new Set(['VARCHAR', 'UUID', 'TIME', 'DATE', 'TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS']);

/**
 * Parquet type → reading, or null for a type that has no column type here (nested, binary, intervals).
 * Dates and timestamps become ISO text, which the typing rule recognises as datetime; booleans are spelled as
 * pandas writes them to CSV; an ignored column of any type is read as text (only row checks look at it).
 */
function readingFor(name: string, type: string, ignored: boolean): Reading | null {
  const col = ident(name);
  if (INTEGER_TYPES.has(type)) return { kind: 'number', sql: `CAST(${col} AS DOUBLE)`, integer: true };
  if (type === 'FLOAT' || type === 'DOUBLE') return { kind: 'number', sql: `CAST(${col} AS DOUBLE)`, integer: false };
  const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(type);
  if (decimal) return { kind: 'number', sql: `CAST(${col} AS DOUBLE)`, integer: decimal[1] === '0' };
  if (type === 'BOOLEAN') return { kind: 'text', sql: `CASE WHEN ${col} THEN 'True' WHEN NOT ${col} THEN 'False' END` };
  if (type === 'TIMESTAMP WITH TIME ZONE') return { kind: 'text', sql: `CAST(timezone('UTC', ${col}) AS VARCHAR) || 'Z'` };
  if (TEXT_TYPES.has(type) || type.startsWith('ENUM(') || ignored) return { kind: 'text', sql: `CAST(${col} AS VARCHAR)` };
  return null;
}

/** Whether a column of this Parquet type is read as numbers (copied as doubles), not as text. */
export const readsAsNumbers = (type: string): boolean => readingFor('', type, false)?.kind === 'number';

/** What a distinct cell text of a text column is: missing, a number, or the code of a text label. */
const MISSING = -1;
const NUMBER = -2;

/** A text column with at most this many distinct texts is read as DuckDB enum codes; others text by text. */
const MAX_LABELS = 65535;

/**
 * Fills one column, chunk by chunk, from DuckDB's vectors: numbers by a bulk copy; text through the CSV
 * reader's cell rule, applied once per distinct cell text, then looked up by its enum code (when DuckDB
 * has coded the column, see `useLabels`) or by its bytes.
 */
class ColumnSink {
  numbers: Float64Array | null = null;
  codes: Int32Array | null = null;
  missingCount = 0;
  numericCount = 0;
  textCount = 0;
  integerLiterals = true;
  firstTextRow = 0;
  private readonly cells = new TextDictionary();
  /** The column's distinct texts in DuckDB's enum order, when it is read as enum codes. */
  private labels: string[] | null = null;
  private labelBytes = 1;
  /**
   * Per distinct cell text (its enum code, else its `cells` code): MISSING, NUMBER (value in `values`), or its
   * code in `texts`. Filled at a text's first occurrence, so `texts` is in first-seen order, as from a CSV.
   */
  private readonly kinds: number[] = [];
  private readonly values: number[] = [];
  private readonly texts: string[] = [];
  private readonly textCounts: number[] = [];
  /** The distinct texts the cell rule read as missing (tokens such as "NA"), and whether any read as a number. */
  private readonly missingTexts: string[] = [];
  private numberTexts = false;

  constructor(
    readonly name: string,
    readonly reading: Reading,
    private readonly rows: number,
    private readonly na: NaMatcher,
    private readonly scanner: NumberScanner,
  ) {
    if (reading.kind === 'number') {
      this.numbers = sharedFloat64(rows);
      this.integerLiterals = reading.integer;
    }
  }

  /** The column comes as codes into `labels`, of a DuckDB enum type whose storage is `bytes` wide. */
  useLabels(labels: string[], bytes: number): void {
    this.labels = labels;
    this.labelBytes = bytes;
  }

  add(bindings: Bindings, vector: unknown, offset: number, n: number): void {
    const v = vector as Parameters<Bindings['vector_get_data']>[0];
    const validity = bindings.vector_get_validity(v, Math.ceil(n / 64) * 8) as Uint8Array | null;
    if (this.reading.kind === 'number') {
      const data = bindings.vector_get_data(v, n * 8);
      const values = new Float64Array(data.buffer, data.byteOffset, n);
      const out = this.numbers!;
      out.set(values, offset);
      let missing = 0;
      for (let i = 0; i < n; i++) {
        // NULL and NaN are both pandas' missing value; the bytes under a NULL are undefined.
        if ((validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0) || values[i] !== values[i]) {
          out[offset + i] = NaN;
          missing++;
        }
      }
      this.missingCount += missing;
      this.numericCount += n - missing;
      return;
    }
    if (this.labels !== null) {
      const data = bindings.vector_get_data(v, n * this.labelBytes);
      const Codes = this.labelBytes === 1 ? Uint8Array : this.labelBytes === 2 ? Uint16Array : Uint32Array;
      const codes = new Codes(data.buffer as ArrayBuffer, data.byteOffset, n);
      const { kinds, textCounts } = this;
      for (let i = 0; i < n; i++) {
        if (validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0) {
          this.missingCount++;
          continue;
        }
        const code = codes[i];
        if (kinds[code] === undefined) {
          const label = Buffer.from(this.labels[code], 'utf8');
          this.classify(label, 0, label.length, code);
        }
        const kind = kinds[code];
        // A label cell once the column has its codes: the common case, inline.
        if (kind >= 0 && this.codes !== null) {
          this.codes[offset + i] = kind;
          textCounts[kind]++;
          this.textCount++;
        } else this.place(code, offset + i);
      }
      return;
    }
    const data = bindings.vector_get_data(v, n * 16);
    const inline = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    for (let i = 0; i < n; i++) {
      if (validity !== null && (validity[i >> 3] & (1 << (i & 7))) === 0) {
        this.missingCount++;
        continue;
      }
      // duckdb_string_t: a 4-byte length, then the bytes inline up to 12, else a prefix and a pointer.
      const len = inline.readUInt32LE(i * 16);
      if (len <= 12) {
        this.cell(inline, i * 16 + 4, i * 16 + 4 + len, offset + i);
      } else {
        const bytes = bindings.get_data_from_pointer(data.buffer as ArrayBuffer, data.byteOffset + i * 16 + 8, len);
        this.cell(Buffer.from(bytes.buffer, bytes.byteOffset, len), 0, len, offset + i);
      }
    }
  }

  private cell(buf: Buffer, start: number, end: number, row: number): void {
    // A number goes straight to its row: interning every distinct number would hold all the texts of a column of
    // many distinct numbers in text form (every column of a CSV converted for the column-batch engine).
    if (classifyCell(buf, start, end, this.na, this.scanner) === CELL_NUMBER) {
      (this.numbers ??= sharedFloat64(this.rows).fill(NaN))[row] = this.scanner.value;
      this.numericCount++;
      if (!this.scanner.integer) this.integerLiterals = false;
      this.numberTexts = true;
      return;
    }
    const code = this.cells.intern(buf, start, end);
    if (code === this.kinds.length) this.classify(buf, start, end, code);
    this.place(code, row);
  }

  private place(code: number, row: number): void {
    const kind = this.kinds[code];
    if (kind === MISSING) {
      this.missingCount++;
    } else if (kind === NUMBER) {
      (this.numbers ??= sharedFloat64(this.rows).fill(NaN))[row] = this.values[code];
      this.numericCount++;
    } else {
      if (this.codes === null) {
        this.codes = sharedInt32(this.rows).fill(-1);
        this.firstTextRow = row + 1;
      }
      this.codes[row] = kind;
      this.textCounts[kind]++;
      this.textCount++;
    }
  }

  /** Records what the distinct cell `code` holds, by the readers' one cell rule. */
  private classify(buf: Buffer, start: number, end: number, code: number): void {
    const kind = classifyCell(buf, start, end, this.na, this.scanner);
    this.values[code] = kind === CELL_NUMBER ? this.scanner.value : NaN;
    if (kind === CELL_TEXT) {
      this.kinds[code] = this.texts.length;
      this.texts.push(buf.toString('utf8', start, end));
      this.textCounts.push(0);
    } else {
      this.kinds[code] = kind === CELL_MISSING ? MISSING : NUMBER;
      if (kind === CELL_NUMBER && !this.scanner.integer) this.integerLiterals = false;
      if (kind === CELL_MISSING) this.missingTexts.push(buf.toString('utf8', start, end));
      else this.numberTexts = true;
    }
  }

  /** See `CellSql`. DuckDB holds NaN equal to NaN but apart from NULL, where the table has both as missing. */
  cellSql(): CellSql {
    const { sql } = this.reading;
    if (this.reading.kind === 'number') return { sql: `CASE WHEN isnan(${sql}) THEN NULL ELSE ${sql} END`, exact: true, numeric: true };
    const text = this.missingTexts.length === 0 ? sql : `CASE WHEN ${sql} IN (${this.missingTexts.map(sqlString).join(', ')}) THEN NULL ELSE ${sql} END`;
    const asText: CellSql = { sql: text, exact: !this.numberTexts, numeric: false };
    if (!this.numberTexts || this.textCount > 0) return asText;
    // Numbers and missing cells only (every column of a converted CSV file that holds numbers): compared as the
    // numbers DuckDB parses from the texts, which equal the cell rule's wherever DuckDB parses them, both rounding
    // correctly; its grammar takes in everything the cell rule's does, and `unparsed` counts the cells where not.
    const number = `TRY_CAST(${text} AS DOUBLE)`;
    return { sql: number, exact: true, numeric: true, unparsed: { sql: `${text} IS NOT NULL AND ${number} IS NULL`, asText } };
  }

  finish(allMissing: () => Float64Array): ParsedColumn {
    return {
      name: this.name,
      numbers: this.numbers ?? allMissing(),
      textCodes: this.codes,
      texts: this.texts,
      textCounts: this.textCounts,
      missingCount: this.missingCount,
      numericCount: this.numericCount,
      textCount: this.textCount,
      integerLiterals: this.integerLiterals,
      // Parquet has no lines: messages about a column's first text cell name its 1-based row instead.
      firstTextLine: this.firstTextRow,
    };
  }
}

let enumTypes = 0;

/** The width of an enum's codes, from its storage type. */
function enumBytes(bindings: Bindings, storage: number): number {
  return storage === bindings.Type.UTINYINT ? 1 : storage === bindings.Type.USMALLINT ? 2 : 4;
}

/**
 * A text column's expression as codes of an enum type over its distinct texts, when it has at most MAX_LABELS:
 * DuckDB then hands over 1-4 bytes per cell instead of a string, and the cell rule runs once per distinct text.
 */
async function asLabels(conn: DuckDBConnection, scan: string, sql: string, maxLabels: number): Promise<string> {
  const distinct = await conn.runAndReadAll(`SELECT DISTINCT ${sql} AS v FROM ${scan} WHERE v IS NOT NULL LIMIT ${maxLabels + 1}`);
  const labels = distinct.getRows().map((r) => String(r[0]));
  if (labels.length === 0 || labels.length > maxLabels) return sql;
  const type = `mlobs_labels_${++enumTypes}`;
  await conn.run(`CREATE TYPE ${type} AS ENUM (${labels.map(sqlString).join(', ')})`);
  return `CAST(${sql} AS ${type})`;
}

let allMissingRef: WeakRef<Float64Array> | undefined;

/**
 * The numbers of a column without any (all NaN), one array while it lives for every such column of either
 * input: nothing writes into a column's numbers. The column batches read the two inputs' text columns side by
 * side, batch after batch (400 MB a side at 50M rows).
 */
function allMissingOf(rows: number): Float64Array {
  const alive = allMissingRef?.deref();
  if (alive?.length === rows) return alive;
  const made = sharedFloat64(rows).fill(NaN);
  allMissingRef = new WeakRef(made);
  return made;
}

/** Knobs for tests; not part of the public API. */
export interface ParquetInternals {
  /** Most distinct texts a column may have to be read as enum codes (0: every text column cell by cell). */
  maxLabels?: number;
}

export interface ParquetOptions {
  naValues: ReadonlyArray<string>;
  /** Columns the user ignores: any Parquet type is accepted for them. */
  ignore?: ReadonlyArray<string>;
  /** Hash the files on a worker thread (default true). */
  parallel?: boolean;
}

/** `read_parquet` over the files: hive partition columns (`key=value` directories) included, schemas united by name. */
export function parquetScan(files: string[]): string {
  return `read_parquet([${files.map(sqlString).join(', ')}], union_by_name = true)`;
}

/** A Parquet source whose files, schema and row count are known; its columns can be read a few at a time. */
export interface ParquetSource {
  path: string;
  scan: string;
  /** Column name and DuckDB type, in the files' order. */
  schema: [string, string][];
  rows: number;
  /** Size and SHA-256 of the files, hashed (once, on the first call) while the columns are read. */
  fingerprint: () => Promise<{ bytes: number; sha256: string }>;
}

/** Lists the files of a Parquet source and reads its schema and row count, reading no column yet. */
export async function openParquet(conn: DuckDBConnection, source: string, { parallel = true }: { parallel?: boolean } = {}): Promise<ParquetSource> {
  const files = await listFiles(conn, source);
  let hashing: Promise<{ bytes: number; sha256: string }> | undefined;
  const hash = () => {
    if (!hashing) {
      hashing = fingerprint(files, parallel);
      hashing.catch(() => {});
    }
    return hashing;
  };
  const scan = parquetScan(files);
  let schema: [string, string][];
  let rows: number;
  try {
    schema = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`)).getRows().map((r) => [String(r[0]), String(r[1])]);
    rows = Number((await conn.runAndReadAll(`SELECT count(*) FROM ${scan}`)).getRows()[0][0]);
  } catch (e) {
    throw new InputError({ file: source }, `not a readable Parquet file: ${firstLine(e)}`);
  }
  if (rows === 0) throw new InputError({ file: source }, 'the Parquet data has no rows');
  return { path: source, scan, schema, rows, fingerprint: hash };
}

/**
 * How a column's cells compare across rows once read: the SQL expression over the files that gives each cell
 * as the table holds it (NaN and missing tokens as NULL). The row checks of the column-batch engine group and
 * compare these.
 */
export interface CellSql {
  sql: string;
  /** False when the cell rule read some texts as numbers: "1" and "1.0" are one number but two texts in SQL. */
  exact: boolean;
  /** The expression's values are numbers (a missing or infinite one is checked as a float). */
  numeric: boolean;
  /**
   * Set when the expression parses texts into numbers in SQL: a condition true for a cell SQL leaves unparsed that
   * the cell rule read as a number, and the expression to compare the cells by when any is (see `settleCells`).
   */
  unparsed?: { sql: string; asText: CellSql };
}

/**
 * Each cell SQL that parses numbers, checked over the scan in one query (`run` answers its first row): kept where
 * DuckDB parses every number, else its text form.
 */
export async function settleCells(cells: CellSql[], scan: string, run: (sql: string) => Promise<number[]>): Promise<CellSql[]> {
  const checked = cells.filter((c) => c.unparsed);
  if (checked.length === 0) return cells;
  const counts = await run(`SELECT ${checked.map((c) => `count(*) FILTER (WHERE ${c.unparsed!.sql})`).join(', ')} FROM ${scan}`);
  const unparsed = new Map(checked.map((c, k) => [c, counts[k] > 0]));
  return cells.map((c) => (unparsed.get(c) ? c.unparsed!.asText : c));
}

/**
 * Reads a Parquet file, directory or glob into the columnar table the CSV reader produces, one DuckDB vector
 * at a time. Types come from the Parquet schema (see `readingFor`).
 */
export async function readParquet(conn: DuckDBConnection, source: string, options: ParquetOptions, internals: ParquetInternals = {}): Promise<ParsedTable> {
  const opened = await openParquet(conn, source, { parallel: options.parallel });
  return (
    await readParquetColumns(
      conn,
      opened,
      opened.schema.map(([name]) => name),
      options,
      internals,
    )
  ).table;
}

/**
 * Reads the named columns of an opened source (in the files' order) into a table of those columns: the unit of
 * the column-batch engine, which reads a few columns at a time and drops them before the next.
 */
export async function readParquetColumns(
  conn: DuckDBConnection,
  opened: ParquetSource,
  names: ReadonlyArray<string>,
  options: ParquetOptions,
  internals: ParquetInternals = {},
): Promise<{ table: ParsedTable; cells: CellSql[] }> {
  const { columns, cells } = await readColumns(conn, opened, names, options, internals);
  return { table: parquetTable(opened, columns, await opened.fingerprint()), cells };
}

/** A table of an opened source's columns, however many of them have been read. */
export function parquetTable(opened: ParquetSource, columns: ParsedColumn[], fingerprint: { bytes: number; sha256: string }): ParsedTable {
  // DuckDB refuses a Parquet string that is not UTF-8, so there is nothing to warn about.
  return { path: opened.path, format: 'parquet', delimiter: null, rowCount: opened.rows, ...fingerprint, columns, invalidUtf8: null };
}

/** How each named column of an opened source is read, in the files' order; an input error for a column of a type mlobs has no column type for. */
export function readingsOf(opened: ParquetSource, names: ReadonlyArray<string>, options: ParquetOptions): [string, Reading][] {
  const wanted = new Set(names);
  const ignored = new Set(options.ignore ?? []);
  return opened.schema
    .filter(([name]) => wanted.has(name))
    .map(([name, type]) => {
      const reading = readingFor(name, type, ignored.has(name));
      if (!reading) {
        throw new InputError(
          { file: opened.path, column: name },
          `Parquet type ${type} has no column type in mlobs (numbers, text, booleans, dates and timestamps do); --ignore it to leave it out`,
        );
      }
      return [name, reading];
    });
}

/** The named columns of an opened source, in the files' order, read in one query; the files' hash is started, not awaited. */
export async function readColumns(
  conn: DuckDBConnection,
  opened: ParquetSource,
  names: ReadonlyArray<string>,
  options: ParquetOptions,
  internals: ParquetInternals = {},
): Promise<{ columns: ParsedColumn[]; cells: CellSql[] }> {
  const { path: source, scan, rows } = opened;
  void opened.fingerprint();
  const scanner = new NumberScanner();
  const na = new NaMatcher(options.naValues, scanner);
  const sinks = readingsOf(opened, names, options).map(([name, reading]) => new ColumnSink(name, reading, rows, na, scanner));
  if (sinks.length === 0) return { columns: [], cells: [] };
  const bindings = (await import('@duckdb/node-bindings')).default;
  let offset = 0;
  let next: Promise<DuckDBDataChunk | null> | undefined;
  try {
    const select = await Promise.all(
      sinks.map(async (sink) => (sink.reading.kind === 'text' ? asLabels(conn, scan, sink.reading.sql, internals.maxLabels ?? MAX_LABELS) : sink.reading.sql)),
    );
    const result = await conn.stream(`SELECT ${select.join(', ')} FROM ${scan}`);
    sinks.forEach((sink, k) => {
      const type = result.columnLogicalType(k);
      if ((type.typeId as number) === bindings.Type.ENUM) {
        const labels = type as DuckDBEnumLogicalType;
        sink.useLabels([...labels.values()], enumBytes(bindings, labels.internalTypeId));
      }
    });
    // DuckDB decodes the next chunk (on a libuv thread) while this thread files the current one.
    next = result.fetchChunk();
    for (;;) {
      const chunk = await next;
      if (chunk === null || chunk.rowCount === 0) break;
      next = result.fetchChunk();
      const n = chunk.rowCount;
      if (offset + n > rows) throw new InputError({ file: source }, 'the files changed while they were read');
      for (let k = 0; k < sinks.length; k++) sinks[k].add(bindings, bindings.data_chunk_get_vector(chunk.chunk, k), offset, n);
      offset += n;
    }
  } catch (e) {
    // No fetch may outlive the read: the connection is closed after it.
    await next?.catch(() => {});
    if (e instanceof InputError) throw e;
    throw new InputError({ file: source }, `not a readable Parquet file: ${firstLine(e)}`);
  }
  if (offset !== rows) throw new InputError({ file: source }, 'the files changed while they were read');
  const columns = sinks.map((s) => s.finish(() => allMissingOf(rows)));
  return { columns, cells: sinks.map((s) => s.cellSql()) };
}
