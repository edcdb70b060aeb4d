/**
 * A CSV input of the column-batch engine: DuckDB converts it once into a Parquet file of text columns in the
 * engine's private directory (removed with it), and the column batches read that file as any Parquet input. Every
 * cell stays the text the CSV holds, so the readers' one cell rule (`classifyCell`) types it exactly as the CSV
 * reader does. DuckDB reads the file with the layout this reader sniffs (delimiter, header names), as strictly.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../errors.js';
import { sniffCsvFile, type CsvLayout } from '../io/csv/reader.js';
import type { CsvOptions } from '../io/csv/types.js';
import { firstLine, openDuckDb, type DuckDbOptions } from './duckdb/connection.js';
import { fingerprint, ident, isParquetSource, openParquet, sqlString, type ParquetSource } from './parquet.js';

/**
 * The longest line DuckDB reads, and its read buffer: DuckDB's buffer defaults to 16 lines, which for lines this
 * long would not fit the smallest memory limit mlobs gives it (128 MB).
 */
const MAX_LINE_BYTES = 1 << 24;

/**
 * Rows per row group of the converted file. At DuckDB's default (122880) the row checks' whole-row GROUP BY, which
 * parses the text columns' numbers, ran out of a 238 MB limit on 1M rows × 20 columns that DOUBLE columns fit in;
 * at this size it fits.
 */
const ROW_GROUP_ROWS = 16384;

/** An input of the column-batch engine, with its CSV layout when it is a CSV file. */
export interface BatchInput {
  source: ParquetSource;
  csv: CsvLayout | null;
}

/**
 * DuckDB's `read_csv` set to read as this reader does: the sniffed delimiter and header, `"` quoting with doubled
 * quotes, every column text, an empty cell an empty text (the NA tokens decide what is missing, as for every
 * cell; see `blankLines` for a one-column file), a row of another width an error.
 */
function readCsvSql(path: string, layout: CsvLayout): string {
  const columns = layout.names.map((n) => `${sqlString(n)}: 'VARCHAR'`).join(', ');
  return (
    `read_csv(${sqlString(path)}, columns = {${columns}}, header = true, auto_detect = false, delim = ${sqlString(layout.delimiter)}, ` +
    `quote = '"', escape = '"', strict_mode = true, null_padding = false, allow_quoted_nulls = false, ` +
    `${layout.names.length > 1 ? `force_not_null = [${layout.names.map(sqlString).join(', ')}], ` : ''}max_line_size = ${MAX_LINE_BYTES}, buffer_size = ${MAX_LINE_BYTES})`
  );
}

/**
 * The reader skips a line of nothing but spaces and tabs. DuckDB skips an empty line of a file of several columns
 * and fails on a line of spaces (a row of one field), but reads either as a row of a one-column file. There an
 * unquoted empty cell is an empty line, so that column is read without `force_not_null` (an empty line is NULL,
 * a quoted empty cell the empty text) and the lines are dropped here. A quoted cell of spaces alone is dropped
 * with them, where the reader keeps it.
 */
function blankLines(layout: CsvLayout): string {
  if (layout.names.length !== 1) return '';
  const column = ident(layout.names[0]);
  return ` WHERE ${column} IS NOT NULL AND NOT regexp_full_match(${column}, '[ \t]+')`;
}

/** DuckDB's CSV error as this reader words it: the line it names and what is wrong there, never the line's text. */
function csvError(path: string, e: unknown): InputError {
  const message = String((e as Error)?.message ?? e);
  const line = /CSV Error on Line: (\d+)/.exec(message);
  const location = { file: path, ...(line && { line: Number(line[1]) }) };
  const width = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (width) return new InputError(location, `expected ${width[1]} fields (as in the header), found ${width[2]}`);
  if (message.includes('unterminated quote')) {
    return new InputError(location, 'unterminated quoted field: the closing quote is missing, or text follows a closing quote');
  }
  if (message.includes('Invalid unicode')) {
    return new InputError(location, 'the bytes are not valid UTF-8; --engine memory reads them as U+FFFD with a warning, or re-encode the file');
  }
  if (message.includes('Maximum line size')) return new InputError(location, `a line is longer than ${MAX_LINE_BYTES} bytes: is a closing quote missing?`);
  return new InputError(location, `DuckDB could not read the CSV file: ${firstLine(e)}`);
}

/** Where and with what memory a CSV input is converted: a file in the engine's private directory, by a DuckDB of its own. */
export interface Conversion {
  directory: string;
  name: string;
  duckdb: DuckDbOptions;
  /** Whether the files may be hashed on a worker thread (not with `--no-parallel`). */
  parallel: boolean;
}

/**
 * Converts a CSV file into `<directory>/<name>.parquet` and opens that as a Parquet source named by the CSV path,
 * its fingerprint the CSV file's (hashed while DuckDB converts). The conversion runs before any column is read,
 * so it has a DuckDB of its own with a larger memory limit than the engine's: its parallel reading into an
 * ordered file ran out of 128 MB now and then.
 */
async function openCsvAsParquet(conn: DuckDBConnection, path: string, csv: CsvOptions, to: Conversion): Promise<BatchInput> {
  const layout = await sniffCsvFile(path, csv);
  const hashing = fingerprint([path], to.parallel);
  hashing.catch(() => {});
  const file = join(to.directory, `${to.name}.parquet`);
  const db = await openDuckDb({ ...to.duckdb, tempDirectory: to.directory });
  let rows: number;
  try {
    const sql = `COPY (SELECT * FROM ${readCsvSql(path, layout)}${blankLines(layout)}) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`;
    rows = Number((await db.connection.runAndReadAll(sql)).getRows()[0][0]);
  } catch (e) {
    throw csvError(path, e);
  } finally {
    await db.close();
  }
  if (rows === 0) throw new InputError({ file: path, line: 1 }, 'the file has a header but no data rows');
  const source = await openParquet(conn, file, { parallel: to.parallel });
  return { source: { ...source, path, fingerprint: () => hashing }, csv: layout };
}

/** Opens an input of the column-batch engine: a Parquet source as it is, a CSV file converted (see above). */
export async function openBatchInput(conn: DuckDBConnection, path: string, csv: CsvOptions, to: Conversion): Promise<BatchInput> {
  if (await isParquetSource(path)) return { source: await openParquet(conn, path, { parallel: to.parallel }), csv: null };
  return openCsvAsParquet(conn, path, csv, to);
}
