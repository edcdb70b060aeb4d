import type { DuckDBConnection } from '@duckdb/node-api';
import { readCsvFiles } from '../io/csv/index.js';
import type { CsvOptions, ParsedTable } from '../io/csv/types.js';
import { openDuckDb } from './duckdb/connection.js';
import { isParquetSource, readParquet } from './parquet.js';

export interface SourceOptions {
  csv: CsvOptions;
  parallel?: boolean;
  /** Ignored columns: a Parquet column of any type may be among them. */
  ignore?: ReadonlyArray<string>;
}

/**
 * Reads each input, CSV or Parquet (decided per path: see `isParquetSource`), into the same columnar table.
 * CSV files are read on worker threads while DuckDB, on its own threads, reads the Parquet ones.
 */
export async function readSources(paths: string[], options: SourceOptions): Promise<ParsedTable[]> {
  const parquet = await Promise.all(paths.map(isParquetSource));
  const csvPaths = paths.filter((_, i) => !parquet[i]);
  const parquetPaths = paths.filter((_, i) => parquet[i]);
  const readingCsv = csvPaths.length > 0 ? readCsvFiles(csvPaths, options.csv, { parallel: options.parallel }) : Promise.resolve([]);
  // An early Parquet failure must not leave the CSV promise rejecting unobserved.
  readingCsv.catch(() => {});
  const parquetTables: ParsedTable[] = [];
  if (parquetPaths.length > 0) {
    const parallel = options.parallel !== false;
    const db = await openDuckDb(parallel ? {} : { threads: 1 });
    const read = (path: string, connection: DuckDBConnection) =>
      readParquet(connection, path, { naValues: options.csv.naValues, ignore: options.ignore, parallel: options.parallel });
    try {
      if (parallel) {
        // One connection per input, read at once: DuckDB decodes one while this thread files the other's vectors.
        const connections = await Promise.all(parquetPaths.map((_, i) => (i === 0 ? Promise.resolve(db.connection) : db.connect())));
        const reads = parquetPaths.map((path, i) => read(path, connections[i]));
        for (const r of reads) void r.catch(() => {});
        for (const r of reads) parquetTables.push(await r);
      } else {
        for (const path of parquetPaths) parquetTables.push(await read(path, db.connection));
      }
    } finally {
      await db.close();
    }
  }
  const csvTables = await readingCsv;
  return parquet.map((isParquet) => (isParquet ? parquetTables.shift()! : csvTables.shift()!));
}
