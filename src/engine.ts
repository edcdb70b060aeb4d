import { stat } from 'node:fs/promises';
import { totalmem } from 'node:os';
import { poolThreads } from './workers.js';
import { UsageError } from './errors.js';
import { duckDbLoads, openDuckDb } from './sources/duckdb/connection.js';
import { isParquetSource, openParquet } from './sources/parquet.js';
import { sniffCsvFile } from './io/csv/reader.js';
import type { CsvOptions } from './io/csv/types.js';

/** How the inputs are read: `--engine`. */
export const ENGINES = ['auto', 'memory', 'duckdb'] as const;
export type EngineChoice = (typeof ENGINES)[number];

export interface EngineOptions {
  engine: EngineChoice;
  /** Bytes the run plans for (`--memory-limit`). */
  memoryLimit: number;
}

/**
 * `--memory-limit`'s default: half of the machine's memory. The other half is left to the page cache, which
 * DuckDB's Parquet reads go through, and to whatever else the machine runs (a scheduled mlobs shares it).
 */
export function defaultMemoryLimit(): number {
  return Math.floor(totalmem() / 2);
}

/**
 * What reading both inputs whole costs: 12 bytes a cell (its 8-byte number, and what reading and typing add
 * around it: text codes, dictionaries, DuckDB's buffers), 16 bytes per value of the longest side for each thread
 * that analyses a column (its sorted copy and the radix sort's scratch), and ~200 MB for Node and DuckDB. Measured
 * against it: 10M + 10M rows × 20 columns peaked at 4.75 GB, estimated 5.3 GB.
 */
export function inMemoryBytes(refRows: number, curRows: number, columns: number): number {
  const threads = poolThreads(columns);
  return 12 * columns * (refRows + curRows) + 16 * threads * Math.max(refRows, curRows) + 200e6;
}

/** Rows and column names of a CSV input from its first records (its rows estimated from their size); null for a pipe. */
async function csvShape(path: string, csv: CsvOptions): Promise<{ rows: number; names: string[] } | null> {
  // A pipe or a missing file is left to the CSV reader, which says what is wrong with it.
  if (!(await stat(path).catch(() => null))?.isFile()) return null;
  // Read whole, the file goes through the same reader, which reports any error past the sample as this would.
  const layout = await sniffCsvFile(path, csv, { sampleOnly: true });
  return { rows: layout.expectedRows, names: layout.names };
}

/** Rows and column names of each input; DuckDB opens only for a Parquet input (the standalone binary has none). */
async function inputShapes(paths: string[], csv: CsvOptions): Promise<({ rows: number; names: string[] } | null)[]> {
  const parquet = await Promise.all(paths.map(isParquetSource));
  if (!parquet.some(Boolean)) return Promise.all(paths.map((path) => csvShape(path, csv)));
  const db = await openDuckDb({ threads: 1 });
  try {
    const shapes = [];
    for (const [k, path] of paths.entries()) {
      if (!parquet[k]) {
        shapes.push(await csvShape(path, csv));
        continue;
      }
      const source = await openParquet(db.connection, path);
      shapes.push({ rows: source.rows, names: source.schema.map(([name]) => name) });
    }
    return shapes;
  } finally {
    await db.close();
  }
}

/**
 * Whether the two inputs go through the column-batch engine (`src/column_batches.ts`): `duckdb` forces it,
 * `auto` takes it when the inputs would not fit `memoryLimit` whole. The estimate reads the Parquet metadata (row
 * counts and schema) and a CSV file's first records (its header, and its rows estimated from their size).
 * Windowed runs are read whole: a large log is windowed in the database (`--source duckdb:`). Without the native
 * DuckDB module (the standalone binary) every run is read whole.
 */
export async function useColumnBatches(reference: string, current: string, options: EngineOptions, windowed: boolean, csv: CsvOptions): Promise<boolean> {
  if (options.engine === 'memory') return false;
  if (options.engine === 'duckdb') {
    if (windowed) {
      throw new UsageError(
        "--engine duckdb does not window the current data: window a log larger than memory in DuckDB with --source duckdb: --reference-sql 'SELECT … FROM read_parquet(…)' --current-sql '…' (docs/windows.md), or read it whole with --engine memory",
      );
    }
    return true;
  }
  if (windowed) return false;
  const [ref, cur] = await inputShapes([reference, current], csv);
  if (!ref || !cur) return false;
  const columns = new Set([...ref.names, ...cur.names]).size;
  return inMemoryBytes(ref.rows, cur.rows, columns) > options.memoryLimit && (await duckDbLoads());
}
