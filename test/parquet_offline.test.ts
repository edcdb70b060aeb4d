import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb } from '../src/sources/duckdb/connection.js';
import { BIN, readReport, ROOT, tempDir } from './helpers/cli.js';
import { csvToParquet, reportDifferences } from './helpers/parquet.js';

let dir: string;

beforeAll(async () => {
  dir = tempDir('mlobs-offline-');
  await csvToParquet(['reference', 'current'].map((s) => [join(ROOT, `fixtures/activities/${s}.csv`), join(dir, `${s}.parquet`)]));
});

describe('DuckDB never downloads', () => {
  it('every connection: no auto-install or auto-load, repositories that hold nothing, configuration locked', async () => {
    const db = await openDuckDb();
    try {
      const c = db.connection;
      const settings = Object.fromEntries(
        (
          await c.runAndReadAll(
            `SELECT name, value FROM duckdb_settings() WHERE name IN ('autoinstall_known_extensions', 'autoload_known_extensions', 'allow_community_extensions', 'allow_unsigned_extensions', 'lock_configuration')`,
          )
        ).getRows(),
      );
      expect(settings).toEqual({
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        allow_community_extensions: 'false',
        allow_unsigned_extensions: 'false',
        lock_configuration: 'true',
      });
      // Only what is linked into the binding is there; nothing was ever installed.
      const extensions = (await c.runAndReadAll(`SELECT extension_name, install_mode FROM duckdb_extensions() WHERE loaded OR installed`)).getRows();
      expect(extensions.map((e) => e[0]).sort()).toEqual(expect.arrayContaining(['parquet']));
      expect(extensions.every((e) => e[1] === 'STATICALLY_LINKED')).toBe(true);
      // Even explicit requests fail at once on local paths, without touching the network.
      await expect(c.run('INSTALL httpfs')).rejects.toThrow(/Failed to install local extension "httpfs"/);
      await expect(c.run('SET autoload_known_extensions = true')).rejects.toThrow(/configuration has been locked/);
      await expect(c.run(`SELECT * FROM read_parquet('https://example.invalid/x.parquet')`)).rejects.toThrow(/requires the extension httpfs to be loaded/);
      // DuckDB made the (empty) extension directory; no file went into it.
      expect(readdirSync(db.directory, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())).toEqual([]);
    } finally {
      await db.close();
    }
    expect(existsSync(db.directory)).toBe(false);
  });

  // A network namespace has only a loopback interface, and it is down: any connection attempt fails.
  const offline = spawnSync('unshare', ['--net', 'true']).status === 0;
  it.skipIf(!offline)('a Parquet report in a network namespace without any network equals the report with it, and writes nothing to HOME', () => {
    const home = tempDir();
    const report = (out: string, prefix: string[], engine: string[] = []) => {
      const args = [
        ...prefix,
        process.execPath,
        BIN,
        'report',
        '-r',
        join(dir, 'reference.parquet'),
        '-c',
        join(dir, 'current.parquet'),
        '--target',
        'Quality',
        '-o',
        out,
        '--quiet',
        ...engine,
      ];
      const res = spawnSync(args[0], args.slice(1), { cwd: ROOT, env: { ...process.env, HOME: home }, encoding: 'utf8' });
      expect(res.stderr).toBe('');
      expect(res.status).toBe(0);
      return readReport(out);
    };
    const withoutNetwork = report(tempDir(), ['unshare', '--net']);
    const withNetwork = report(tempDir(), []);
    expect(reportDifferences(withNetwork, withoutNetwork)).toEqual([]);
    // The column-batch engine (one column at a time here), DuckDB's spill directory included.
    const batchesWithoutNetwork = report(tempDir(), ['unshare', '--net'], ['--engine', 'duckdb', '--memory-limit', '1MB']);
    expect(batchesWithoutNetwork.engine.mode).toBe('column-batches');
    expect(reportDifferences(withNetwork, batchesWithoutNetwork)).toEqual([]);
    // Two columns a batch on worker threads, the next batch read meanwhile.
    const twoAtATime = report(tempDir(), ['unshare', '--net'], ['--engine', 'duckdb', '--memory-limit', '1GB']);
    expect(twoAtATime.run.drift_threads).toBe(2);
    expect(reportDifferences(withNetwork, twoAtATime)).toEqual([]);
    // DuckDB's default extension directory is ~/.duckdb: nothing was installed or cached there.
    expect(readdirSync(home)).toEqual([]);
  });
  if (!offline) console.warn('skipped the no-network run: `unshare --net` needs root or user namespaces');
});
