import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, tempDir } from './helpers/cli.js';
import { columnsFromCsv, writeCsv } from './helpers/clickhouse_load.js';
import { GOLDEN_DATASETS } from './helpers/golden.js';
import { expectSameReport, expectSameWindows, runHere, splitLog } from './helpers/pushdown.js';

const sources: [string, string, string][] = [['activities', 'fixtures/activities/reference.csv', 'fixtures/activities/current.csv']];
for (const name of readdirSync(GOLDEN_DATASETS)) sources.push([name, join(GOLDEN_DATASETS, name, 'reference.csv'), join(GOLDEN_DATASETS, name, 'current.csv')]);

describe('the pushdown plan on embedded DuckDB (--source duckdb:) equals the CSV path', () => {
  for (const [name, refPath, curPath] of sources) {
    it(name, async () => {
      const dir = tempDir();
      const columns = await columnsFromCsv(refPath, curPath);
      const ref = join(dir, 'reference.csv');
      const cur = join(dir, 'current.csv');
      writeCsv(ref, columns, 'ref');
      writeCsv(cur, columns, 'cur');
      const [a, b] = [join(dir, 'csv'), join(dir, 'duckdb')];
      expect(await runHere(['report', '-r', ref, '-c', cur, '-o', a])).toMatchObject({ code: 0, stderr: '' });
      // DuckDB's CSV sniffer types the columns: BIGINT, DOUBLE and VARCHAR, as the loader wrote them.
      const sql = (path: string) => `SELECT * FROM read_csv('${path}', header = true, quote = '"')`;
      expect(await runHere(['report', '--source', 'duckdb:', '--reference-sql', sql(ref), '--current-sql', sql(cur), '-o', b])).toMatchObject({
        code: 0,
        stderr: '',
      });
      const csv = readReport(a);
      const duck = readReport(b);
      expectSameReport(csv, duck, { name: 'duckdb' });
      expect(duck.engine.version).toMatch(/^v\d/);
      rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('calendar windows pushed down to DuckDB (GROUP BY window) equal the in-memory windows', () => {
  for (const window of ['1mo', '7d']) {
    it(`the activities log, --window ${window}`, async () => {
      const dir = tempDir();
      const { ref, cur } = await splitLog(dir);
      const flags = ['--timestamp', 'Date', '--window', window, '--min-window-rows', '5', '--drift-share', '0.25', '--stattest-threshold', '0.2'];
      const [a, b] = [join(dir, 'csv'), join(dir, 'duckdb')];
      expect(await runHere(['report', '-r', ref, '-c', cur, ...flags, '-o', a])).toMatchObject({ code: 0, stderr: '' });
      const sql = (path: string) => `SELECT * FROM read_csv('${path}', header = true, quote = '"')`;
      expect(await runHere(['report', '--source', 'duckdb:', '--reference-sql', sql(ref), '--current-sql', sql(cur), ...flags, '-o', b])).toMatchObject({
        code: 0,
        stderr: '',
      });
      expectSameWindows(readReport(a), readReport(b), { name: 'duckdb' });
      rmSync(dir, { recursive: true, force: true });
    });
  }
});

describe('--timestamp without --window on a source', () => {
  it('makes the column a datetime column and cuts no windows', async () => {
    const out = join(tempDir(), 'out');
    const sql = (shift: number) => `SELECT TIMESTAMP '2026-01-01 00:00:00' + INTERVAL (i) HOUR AS ts, (i * 7) % 17 + ${shift} AS x FROM range(500) t(i)`;
    const res = await runHere(['report', '--source', 'duckdb:', '--reference-sql', sql(0), '--current-sql', sql(3), '--timestamp', 'ts', '-o', out]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const report = readReport(out);
    expect(report.columns.find((c: any) => c.name === 'ts')).toMatchObject({ role: 'datetime', type: 'datetime' });
    expect(report.windows).toBeUndefined();
  });
});

describe('a streamed run closes its engine', () => {
  // Columns are fetched while the analysis runs: an engine closed after the first answers was opened again for
  // the rest and never closed, leaving its directory in /tmp on every run.
  it('leaves no DuckDB directory behind', async () => {
    const scratch = tempDir();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const sql = (shift: number) => `SELECT (i * 7) % 17 + ${shift} AS x, 'k' || (i % 3) AS k FROM range(500) t(i)`;
      const res = await runHere(['report', '--source', 'duckdb:', '--reference-sql', sql(0), '--current-sql', sql(3), '-o', join(scratch, 'out')]);
      expect(res).toMatchObject({ code: 0, stderr: '' });
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(readdirSync(scratch)).toEqual(['out']);
  });
});

describe('--source usage errors: one line, exit 2', () => {
  const source = ['report', '--source', 'duckdb:'];
  it.each([
    [['--table', 't', '--reference-where', 'a = 1'], '--table needs --reference-where <sql> and --current-where <sql>'],
    [['--reference-where', 'a = 1', '--current-where', 'a = 2', '--current-sql', 'SELECT 1'], '--reference-where and --current-where need --table <name>'],
    [['--table', 't', '--reference-where', 'a = 1', '--current-where', 'a = 2', '--current-sql', 'SELECT 1'], 'give either --table'],
    [['--table', 't"x', '--reference-where', 'a = 1', '--current-where', 'a = 2'], 'cannot be quoted portably'],
    [['--reference-sql', 'SELECT 1 AS x', '--current-sql', 'SELECT 2 AS x', '--window', '1d'], '--window 1d needs --timestamp <column>'],
    [
      ['--reference-sql', 'SELECT 1 AS x', '--current-sql', 'SELECT 2 AS x', '--timestamp', 'x', '--window', '1d'],
      'the --timestamp column is INTEGER, not a date or date-time',
    ],
  ])('%j', async (args, message) => {
    const res = await runHere([...source, ...args, '-o', join(tempDir(), 'out')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^mlobs: error: [^\n]*\n$/);
    expect(res.stderr).toContain(message);
  });
});

describe('NaN cells are missing on DuckDB too (where NaN = NaN holds)', () => {
  it('a float column with NaN equals the CSV path, which reads "nan" as missing', async () => {
    const dir = tempDir();
    const file = (name: string, shift: number) => {
      const lines = ['x,y,k,c'];
      for (let i = 0; i < 300; i++) {
        const x = i % 7 === 0 ? 'nan' : ((i * 37) % 101) / 4 + shift;
        const y = i % 7 === 0 || i % 11 === 0 ? 'nan' : ((i * 53) % 97) / 8;
        // Every 50th row is empty: NaN in both floats, NULL in the others.
        lines.push(i % 50 === 0 ? 'nan,nan,,' : `${x},${y},${i % 5},v${(i * 13) % 6}`);
      }
      writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
      return join(dir, name);
    };
    const [ref, cur] = [file('reference.csv', 0), file('current.csv', 0.75)];
    const [a, b] = [join(dir, 'csv'), join(dir, 'duckdb')];
    expect(await runHere(['report', '-r', ref, '-c', cur, '-o', a])).toMatchObject({ code: 0, stderr: '' });
    const sql = (path: string) => `SELECT * FROM read_csv('${path}', header = true, columns = {'x': 'DOUBLE', 'y': 'DOUBLE', 'k': 'BIGINT', 'c': 'VARCHAR'})`;
    expect(await runHere(['report', '--source', 'duckdb:', '--reference-sql', sql(ref), '--current-sql', sql(cur), '-o', b])).toMatchObject({
      code: 0,
      stderr: '',
    });
    const csv = readReport(a);
    // 43 rows with i % 7 = 0 and 28 with i % 11 = 0, 4 of them both, and 5 more of the empty ones.
    expect(csv.quality.reference.missing_values.number_of_rows_with_missing_values).toBe(72);
    expect(csv.quality.reference.number_of_empty_rows).toBe(6);
    expectSameReport(csv, readReport(b), { name: 'duckdb' });
    rmSync(dir, { recursive: true, force: true });
  });
});
