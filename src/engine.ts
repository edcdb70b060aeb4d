import { totalmem } from 'node:os';
import { poolThreads } from './workers.js';
import { UsageError } from './errors.js';
import { isParquetSource, type ParquetSource } from './sources/parquet.js';

/** How Parquet inputs are read: `--engine`. */
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
function inMemoryBytes(refRows: number, curRows: number, columns: number): number {
  const threads = poolThreads(columns);
  return 12 * columns * (refRows + curRows) + 16 * threads * Math.max(refRows, curRows) + 200e6;
}

/**
 * Whether the two inputs may go through the column-batch engine (`src/column_batches.ts`): `duckdb` forces it,
 * `auto` may take it when both inputs are Parquet; the column batches then open the inputs and compare their
 * estimated size with the limit (`fitsInMemory`) before reading any column, so the files are opened once.
 */
export async function mayUseColumnBatches(reference: string, current: string, options: EngineOptions, windowed: boolean): Promise<boolean> {
  if (options.engine === 'memory') return false;
  const parquet = (await isParquetSource(reference)) && (await isParquetSource(current));
  if (options.engine === 'duckdb') {
    if (!parquet)
      throw new UsageError(
        '--engine duckdb reads Parquet inputs a few columns at a time; a CSV input is read whole (--engine memory), or convert it to Parquet',
      );
    if (windowed) throw new UsageError('--engine duckdb does not window the current data yet: drop --window/--reference-range, or use --engine memory');
    return true;
  }
  return parquet && !windowed;
}

/** Whether `auto` reads the opened inputs whole: their estimate from the Parquet metadata (rows and schema) fits the limit. */
export function fitsInMemory(options: EngineOptions, sources: readonly ParquetSource[]): boolean {
  if (options.engine !== 'auto') return false;
  const columns = new Set(sources.flatMap((source) => source.schema.map(([name]) => name))).size;
  return inMemoryBytes(sources[0].rows, sources[1].rows, columns) <= options.memoryLimit;
}
