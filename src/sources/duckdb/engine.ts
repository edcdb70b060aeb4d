import { SourceError } from '../../errors.js';
import type { Cell, Engine, ResultColumn, ValueKind } from '../pushdown/engine.js';
import { firstLine, openDuckDb, type DuckDb } from './connection.js';

/** DuckDB type → value kind (DECIMAL(p,s), ENUM(...), TIMESTAMP WITH TIME ZONE carry parameters or words). */
export function duckDbKind(type: string): ValueKind | null {
  if (/^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$/.test(type)) return 'integer';
  if (/^(FLOAT|DOUBLE|DECIMAL\(\d+,\d+\))$/.test(type)) return 'float';
  if (/^(VARCHAR|BOOLEAN|UUID|DATE|TIME|TIMESTAMP.*|ENUM\(.*\))$/.test(type)) return 'text';
  return null;
}

function cell(v: unknown, kind: ValueKind): Cell {
  if (v === null || v === undefined) return null;
  if (kind === 'text') return String(v);
  if (typeof v === 'object' && v !== null && 'toDouble' in v) return (v as { toDouble(): number }).toDouble();
  return Number(v);
}

/**
 * Embedded DuckDB running the same pushdown plan as a server engine: over local files (read_parquet,
 * read_csv in the user's SQL) with DuckDB's memory limit and spilling, so the data never has to fit.
 */
export class DuckDbEngine implements Engine {
  readonly name = 'duckdb';
  readonly location = 'duckdb:';
  // The promise, not the database: queries start concurrently, and each awaiting its own open would leak all
  // but the last instance (and its spill directory).
  private db: Promise<DuckDb> | undefined;

  private open(): Promise<DuckDb> {
    this.db ??= openDuckDb();
    return this.db;
  }

  async version(): Promise<string> {
    return (await this.open()).version;
  }

  async columns(sql: string): Promise<ResultColumn[]> {
    const { connection } = await this.open();
    try {
      const result = await connection.run(`SELECT * FROM (${sql}) AS s LIMIT 0`);
      const types = result.columnTypes();
      return result.columnNames().map((name, i) => {
        const engineType = types[i].toString();
        return { name, engineType, kind: duckDbKind(engineType) };
      });
    } catch (e) {
      throw new SourceError(`DuckDB failed the query ${JSON.stringify(sql.length > 80 ? `${sql.slice(0, 77)}...` : sql)}: ${firstLine(e)}`);
    }
  }

  async *rows(sql: string, kinds: readonly ValueKind[]): AsyncIterable<Cell[][]> {
    const { connection } = await this.open();
    try {
      const result = await connection.stream(sql);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        yield chunk.getRows().map((row) => row.map((v, i) => cell(v, kinds[i])));
      }
    } catch (e) {
      throw new SourceError(`DuckDB failed a query: ${firstLine(e)}`);
    }
  }

  isNaN(ident: string): string {
    return `isnan(${ident})`;
  }

  // Without a time zone: a TIMESTAMP WITH TIME ZONE's calendar depends on the session's zone, so it is refused.
  epochSeconds(column: ResultColumn, ident: string): string | null {
    return /^(DATE|TIMESTAMP(_S|_MS|_NS)?)$/.test(column.engineType) ? `epoch(${ident})` : null;
  }

  monthNumber(column: ResultColumn, ident: string): string | null {
    return this.epochSeconds(column, ident) === null ? null : `year(${ident}) * 12 + month(${ident}) - 1`;
  }

  async close(): Promise<void> {
    const db = this.db;
    this.db = undefined;
    // A failed open has nothing to close; its error was thrown to the query that asked for it.
    if (db) await (await db.catch(() => undefined))?.close();
  }
}
