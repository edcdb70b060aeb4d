import type { DriftOptions } from '../drift/options.js';
import { ROW_ORDER_TEST_IDS } from '../drift/registry.js';
import { UsageError } from '../errors.js';
import { DuckDbEngine } from './duckdb/engine.js';
import type { Engine } from './pushdown/engine.js';
import { readPushdown, type PushdownData, type PushdownQueries } from './pushdown/index.js';

/** A database source: where to connect and the two queries whose results are compared. */
export interface DatabaseSource {
  url: string;
  referenceSql: string;
  currentSql: string;
  pullRows?: number;
}

async function openEngine(url: string): Promise<Engine> {
  // The ClickHouse client is loaded only by the runs that query ClickHouse: every other run starts 30 ms sooner.
  if (url.startsWith('clickhouse://')) return new (await import('./clickhouse.js')).ClickHouseEngine(url);
  if (url === 'duckdb:') return new DuckDbEngine();
  throw new UsageError(`--source "${url}": unknown source; expected clickhouse://user@host:8123/database or duckdb:`);
}

/** Columns whose test may be one that permutes rows: any setting that could give them TVD or empirical MMD. */
function rowOrderColumns(drift: DriftOptions): (column: string) => boolean {
  const permutes = (id: string | undefined) => id !== undefined && ROW_ORDER_TEST_IDS.includes(id);
  const anyColumn = permutes(drift.stattest) || permutes(drift.numStattest) || permutes(drift.catStattest);
  return (column) => (Object.hasOwn(drift.perColumnStattest, column) ? permutes(drift.perColumnStattest[column]) : anyColumn);
}

/**
 * Queries a database source. The answer keeps its engine open: a streamed run fetches each column while the
 * analysis goes on, so the caller closes it (in a `finally`) once the report is computed.
 */
export async function readSource(
  source: DatabaseSource,
  drift: DriftOptions,
  window?: PushdownQueries['window'],
): Promise<PushdownData & { close(): Promise<void> }> {
  const engine = await openEngine(source.url);
  try {
    const data = await readPushdown(engine, { ...source, needsRowOrder: rowOrderColumns(drift), window });
    return { ...data, close: () => engine.close() };
  } catch (e) {
    await engine.close();
    throw e;
  }
}
