import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { UsageError } from '../../errors.js';
import { removeOnSignal } from '../../io/atomic.js';

export interface DuckDbOptions {
  /** DuckDB's `memory_limit`, e.g. "2GB"; DuckDB's own default (80 % of RAM) when omitted. */
  memoryLimit?: string;
  /** Where a private spill directory is made (and removed on close); the system temp directory by default. */
  tempDirectory?: string;
  threads?: number;
}

/** An open embedded DuckDB. `close()` must be called (in a `finally`): it removes the spill directory. */
export interface DuckDb {
  connection: DuckDBConnection;
  /** DuckDB's version, e.g. "v1.5.6", for report.json. */
  version: string;
  /** Another connection to the same database, for a concurrent query; closed by `close()`. */
  connect(): Promise<DuckDBConnection>;
  /** The private directory holding spill files; gone after `close()`. */
  directory: string;
  close(): Promise<void>;
}

/**
 * Settings that make a download impossible rather than merely unlikely: no automatic install or load, and
 * every repository and the extension directory point into the private directory, which holds none, so even
 * an explicit `INSTALL x` in user SQL fails at once instead of reaching the network. The configuration is
 * then locked, so SQL cannot switch any of this back on. Parquet, JSON and ICU are linked into the binding.
 */
function settings(dir: string, opts: DuckDbOptions): Record<string, string> {
  return {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
    extension_directory: join(dir, 'extensions'),
    custom_extension_repository: join(dir, 'no-repository'),
    autoinstall_extension_repository: join(dir, 'no-repository'),
    // DuckDB's default is `.tmp` in the working directory, which a spilling run would leave behind.
    temp_directory: join(dir, 'spill'),
    ...(opts.memoryLimit !== undefined && { memory_limit: opts.memoryLimit }),
    ...(opts.threads !== undefined && { threads: String(opts.threads) }),
    lock_configuration: 'true',
  };
}

type DuckDbModule = typeof import('@duckdb/node-api');
let duckdbModule: Promise<DuckDbModule> | undefined;

/**
 * The native addon loads only when DuckDB is needed, so a build without it (the standalone binary) still reads
 * CSV, and says in one line why it cannot read Parquet.
 */
function loadDuckDb(): Promise<DuckDbModule> {
  duckdbModule ??= import('@duckdb/node-api').catch((e: Error) => {
    duckdbModule = undefined;
    const reason = String(e?.message ?? e).split('\n')[0];
    throw new UsageError(
      `Parquet input and --engine duckdb need the native module @duckdb/node-api, which failed to load (${reason}); convert Parquet data to CSV and read it with --engine memory`,
    );
  });
  return duckdbModule;
}

/** Whether the native module loads: the standalone binary reads even a CSV input larger than memory whole. */
export async function duckDbLoads(): Promise<boolean> {
  return loadDuckDb().then(
    () => true,
    () => false,
  );
}

/** Opens an in-memory DuckDB with one connection; every mlobs connection comes from here. */
export async function openDuckDb(opts: DuckDbOptions = {}): Promise<DuckDb> {
  const { DuckDBInstance } = await loadDuckDb();
  const dir = await mkdtemp(join(opts.tempDirectory ?? tmpdir(), 'mlobs-duckdb-'));
  // Spill files and converted CSV inputs can be large: a signal that stops the run takes them too.
  const released = removeOnSignal(dir);
  let instance: DuckDBInstance | undefined;
  try {
    instance = await DuckDBInstance.create(':memory:', settings(dir, opts));
    const connection = await instance.connect();
    const version = String((await connection.runAndReadAll('SELECT version()')).getRows()[0][0]);
    const open = instance;
    const others: DuckDBConnection[] = [];
    return {
      connection,
      version,
      directory: dir,
      async connect() {
        const other = await open.connect();
        others.push(other);
        return other;
      },
      async close() {
        for (const other of others) other.closeSync();
        connection.closeSync();
        open.closeSync();
        await rm(dir, { recursive: true, force: true });
        released();
      },
    };
  } catch (e) {
    instance?.closeSync();
    await rm(dir, { recursive: true, force: true });
    released();
    throw e;
  }
}

/** The first line of a DuckDB error: the rest is its internal context, not for a one-line message. */
export function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}
