import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAT_TESTS } from '../src/drift/registry.js';
import { readReport, tempDir } from './helpers/cli.js';
import { CLICKHOUSE_BIN, PASSWORD, startCluster, type Cluster } from '../bench/clickhouse-cluster.js';
import { columnsFromCsv, loadColumns, type Loaded } from './helpers/clickhouse_load.js';
import { GOLDEN_DATASETS } from './helpers/golden.js';
import { reportDifferences } from './helpers/parquet.js';
import { expectSameReport as sameAsCsv, expectSameWindows, runHere, splitLog } from './helpers/pushdown.js';

const expectSameReport = (csv: any, pushdown: any) => sameAsCsv(csv, pushdown, { name: 'clickhouse', version: '18.16.1' });

interface Case {
  loaded: Loaded;
  roles: string[];
}

/** The golden case's roles, limited to the columns the database holds. */
function roleArgs(dir: string, kept: Set<string>): string[] {
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const cols = c.columns;
  const keep = (list: string[] | undefined) => (list ?? []).filter((n) => kept.has(n));
  const args: string[] = [];
  if (keep(cols.numerical).length) args.push('--numerical', keep(cols.numerical).join(','));
  if (keep(cols.categorical).length) args.push('--categorical', keep(cols.categorical).join(','));
  if (cols.target && kept.has(cols.target)) args.push('--target', cols.target);
  if (cols.prediction && kept.has(cols.prediction)) args.push('--prediction', cols.prediction);
  if (c.task && cols.target && kept.has(cols.target)) args.push('--task', c.task);
  const listed = new Set([...keep(cols.numerical), ...keep(cols.categorical), cols.target, cols.prediction]);
  const rest = [...kept].filter((h) => !listed.has(h));
  if (rest.length) args.push('--ignore', rest.join(','));
  return args;
}

async function both(k: Case, extra: string[], { ordered = false, pushdownExtra = [] as string[] } = {}): Promise<[any, any]> {
  const a = tempDir();
  const b = tempDir();
  const l = k.loaded;
  const csv = await runHere(['report', '-r', l.referenceCsv, '-c', l.currentCsv, '-o', a, ...k.roles, ...extra]);
  const pd = await runHere([
    'report',
    '--source',
    cluster.url,
    '--reference-sql',
    ordered ? l.orderedReferenceSql : l.referenceSql,
    '--current-sql',
    ordered ? l.orderedCurrentSql : l.currentSql,
    '-o',
    b,
    ...k.roles,
    ...extra,
    ...pushdownExtra,
  ]);
  expect(csv.stderr).toBe('');
  expect(pd.stderr).toBe('');
  expect([csv.code, pd.code]).toEqual([0, 0]);
  return [readReport(a), readReport(b)];
}

let cluster: Cluster;
const cases = new Map<string, Case>();
const dir = tempDir('mlobs-pushdown-');

describe.skipIf(!CLICKHOUSE_BIN)('pushdown to a 2-shard ClickHouse cluster equals the CSV path', () => {
  beforeAll(async () => {
    process.env.MLOBS_CLICKHOUSE_PASSWORD = PASSWORD;
    cluster = await startCluster();
    const sources: [string, string, string][] = [['activities', 'fixtures/activities/reference.csv', 'fixtures/activities/current.csv']];
    for (const name of readdirSync(GOLDEN_DATASETS))
      sources.push([name, join(GOLDEN_DATASETS, name, 'reference.csv'), join(GOLDEN_DATASETS, name, 'current.csv')]);
    let t = 0;
    for (const [name, ref, cur] of sources) {
      const columns = await columnsFromCsv(ref, cur);
      const loaded = await loadColumns(cluster, `t${t++}`, columns, dir);
      const kept = new Set(loaded.columns);
      const roles = name === 'activities' ? ['--target', 'Quality', '--task', 'regression'] : roleArgs(join(GOLDEN_DATASETS, name), kept);
      cases.set(name, { loaded, roles });
    }
  }, 60_000);

  afterAll(async () => {
    delete process.env.MLOBS_CLICKHOUSE_PASSWORD;
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every golden dataset, default tests: drift, data quality and dataset drift identical', async () => {
    for (const [name, k] of cases) {
      const [csv, pd] = await both(k, []);
      expect(csv.drift.columns.length, name).toBeGreaterThan(0);
      expectSameReport(csv, pd);
    }
  }, 60_000);

  // Every test on numerical data; the tests that take categories again on categorical data.
  for (const [label, name, type] of [
    ['numerical', 'activities', 'num'],
    ['categorical', 'aids2_diag_1982_88_vs_1989_91', 'cat'],
  ] as const) {
    it(`each stat test for ${label} columns forced with --stattest (TVD and MMD with --pushdown-pull-rows)`, async () => {
      const k = cases.get(name)!;
      for (const { id } of STAT_TESTS.filter((t) => (t.types as readonly string[]).includes(type))) {
        // empirical MMD's permutations cost seconds per column: one column shows the pulled rows give its score.
        const force = id === 'empirical_mmd' ? ['--per-column-stattest', 'Climb (m)=empirical_mmd'] : ['--stattest', id];
        const [csv, pd] = await both(k, force, { ordered: true, pushdownExtra: ['--pushdown-pull-rows', '100000'] });
        expectSameReport(csv, pd);
      }
    }, 120_000);
  }

  it('TVD and empirical MMD without --pushdown-pull-rows: a per-column error naming the option', async () => {
    const k = cases.get('activities')!;
    const out = tempDir();
    const res = await runHere([
      'report',
      '--source',
      cluster.url,
      '--reference-sql',
      k.loaded.referenceSql,
      '--current-sql',
      k.loaded.currentSql,
      '-o',
      out,
      '--per-column-stattest',
      'Climb (m)=empirical_mmd',
      ...k.roles,
    ]);
    expect(res.stderr).toBe('');
    const report = readReport(out);
    expect(report.errors).toEqual([
      expect.objectContaining({ column: 'Climb (m)', error_type: 'RowOrderUnavailable', message: expect.stringContaining('--pushdown-pull-rows') }),
    ]);
    expect(report.drift.columns.map((c: any) => c.column)).not.toContain('Climb (m)');
  });

  it('a generated table of 2 million rows over both shards', async () => {
    const rows = 2_000_000;
    // x2 repeats x: a duplicated column pair, so the pair checks have one to find.
    const defs = '"x" Nullable(Float64), "k" Int64, "g" Float64, "c" Nullable(String), "x2" Nullable(Float64)';
    await cluster.everywhere(`CREATE TABLE default.big_local (rn UInt64, side UInt8, ${defs}) ENGINE = MergeTree ORDER BY rn`);
    await cluster.everywhere(`CREATE TABLE default.big (rn UInt64, side UInt8, ${defs}) ENGINE = Distributed(mlobs, default, big_local, rn)`);
    await cluster.query(`INSERT INTO default.big SELECT number, number >= ${rows / 2}, if(number % 97 = 0, NULL, (intHash64(number) % 1000003) / 997.0 + (number >= ${rows / 2}) * 0.01),
      toInt64(intHash64(number + 7) % 50), (intHash64(number * 3) % 1000 + intHash64(number * 5) % 1000) / 8.0,
      if(number % 101 = 0, NULL, concat('c', toString(intHash64(number + 11) % (12 + (number >= ${rows / 2}))))),
      if(number % 97 = 0, NULL, (intHash64(number) % 1000003) / 997.0 + (number >= ${rows / 2}) * 0.01)
      FROM numbers(${rows})`);
    const csv = (side: number) => {
      const path = join(dir, `big-${side}.csv`);
      return cluster.query(`SELECT x, k, g, c, x2 FROM default.big WHERE side = ${side} ORDER BY rn FORMAT TabSeparated`).then((tsv) => {
        writeFileSync(path, `x,k,g,c,x2\n${tsv.replace(/\\N/g, '').replace(/\t/g, ',')}`);
        return path;
      });
    };
    const sql = (side: number) => `SELECT x, k, g, c, x2 FROM default.big WHERE side = ${side}`;
    const loaded: Loaded = {
      table: 'big',
      columns: ['x', 'k', 'g', 'c', 'x2'],
      referenceCsv: await csv(0),
      currentCsv: await csv(1),
      referenceSql: sql(0),
      currentSql: sql(1),
      orderedReferenceSql: '',
      orderedCurrentSql: '',
    };
    const [a, b] = await both({ loaded, roles: [] }, []);
    expect(Object.fromEntries(a.drift.columns.map((c: any) => [c.column, c.stattest]))).toEqual({
      x: 'wasserstein',
      k: 'wasserstein',
      g: 'wasserstein',
      c: 'jensenshannon',
      x2: 'wasserstein',
    });
    expect(a.quality.reference.number_of_duplicated_columns).toBe(1);
    expect(a.inputs.reference.rows + a.inputs.current.rows).toBe(rows);
    expectSameReport(a, b);
  }, 120_000);

  it('calendar windows cut by GROUP BY window on the cluster equal the in-memory windows (1mo, 1d)', async () => {
    const { ref, cur, columns } = await splitLog(dir);
    const log = await loadColumns(cluster, 'log', columns, dir);
    // The log keeps its dates as String; windows are cut from a Date, converted in the user's SQL.
    const sql = (side: number) =>
      `SELECT ${log.columns.map((c) => (c === 'Date' ? 'toDate("Date") AS "Date"' : `"${c}"`)).join(', ')} FROM default.log WHERE side = ${side}`;
    for (const window of ['1mo', '1d']) {
      const flags = ['--timestamp', 'Date', '--window', window, '--min-window-rows', '5', '--drift-share', '0.25', '--stattest-threshold', '0.2'];
      const [a, b] = [tempDir(), tempDir()];
      expect(await runHere(['report', '-r', ref, '-c', cur, ...flags, '-o', a])).toMatchObject({ code: 0, stderr: '' });
      expect(await runHere(['report', '--source', cluster.url, '--reference-sql', sql(0), '--current-sql', sql(1), ...flags, '-o', b])).toMatchObject({
        code: 0,
        stderr: '',
      });
      expectSameWindows(readReport(a), readReport(b), { name: 'clickhouse', version: '18.16.1' });
    }
    const text = await runHere([
      'report',
      '--source',
      cluster.url,
      '--reference-sql',
      log.referenceSql,
      '--current-sql',
      log.currentSql,
      '--timestamp',
      'Date',
      '--window',
      '1d',
    ]);
    expect(text).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('current SQL column "Date": the --timestamp column is Nullable(String), not a date or date-time'),
    });
  }, 60_000);

  it('--table with --reference-where/--current-where is the two queries it stands for', async () => {
    const [a, b] = [tempDir(), tempDir()];
    const where = ['--reference-where', 'side = 0', '--current-where', 'side = 1 AND rn % 2 = 0'];
    expect(await runHere(['report', '--source', cluster.url, '--table', 'default.t0', ...where, '-o', a])).toMatchObject({ code: 0, stderr: '' });
    const sql = (w: string) => `SELECT * FROM "default"."t0" WHERE (${w})`;
    const res = await runHere([
      'report',
      '--source',
      cluster.url,
      '--reference-sql',
      sql('side = 0'),
      '--current-sql',
      sql('side = 1 AND rn % 2 = 0'),
      '-o',
      b,
    ]);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    const [shorthand, queries] = [readReport(a), readReport(b)];
    expect(shorthand.engine.current_sql).toBe(sql('side = 1 AND rn % 2 = 0'));
    expect(reportDifferences(shorthand, queries, ['run'])).toEqual([]);
  });

  describe('bad input: one line, the documented exit code, no report', () => {
    const attempt = async (ref: string, cur: string, source = cluster.url) => {
      const out = join(tempDir(), 'out');
      const res = await runHere(['report', '--source', source, '--reference-sql', ref, '--current-sql', cur, '-o', out]);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/^mlobs: error: /);
      expect(res.stderr).not.toContain(PASSWORD);
      expect(existsSync(join(out, 'report.json'))).toBe(false);
      return res;
    };
    const good = () => cases.get('activities')!.loaded;

    it('an unreachable server: exit 5', async () => {
      const res = await attempt(good().referenceSql, good().currentSql, 'clickhouse://mlobs@127.0.0.1:1/default');
      expect(res).toMatchObject({ code: 5, stderr: expect.stringContaining('cannot reach ClickHouse at clickhouse://mlobs@127.0.0.1:1/default') });
    });

    it('wrong credentials: exit 5, the password never printed', async () => {
      process.env.MLOBS_CLICKHOUSE_PASSWORD = 'not-the-password';
      try {
        const res = await attempt(good().referenceSql, good().currentSql);
        expect(res).toMatchObject({ code: 5, stderr: expect.stringContaining('refused the credentials') });
        expect(res.stderr).not.toContain('not-the-password');
      } finally {
        process.env.MLOBS_CLICKHOUSE_PASSWORD = PASSWORD;
      }
    });

    it("an SQL error: exit 5 with the engine's message", async () => {
      const res = await attempt('SELEC 1', good().currentSql);
      expect(res).toMatchObject({ code: 5, stderr: expect.stringContaining('Syntax error') });
    });

    it('a query returning no rows: exit 2', async () => {
      const res = await attempt(good().referenceSql.replace('side = 0', 'side = 7'), good().currentSql);
      expect(res).toMatchObject({ code: 2, stderr: 'mlobs: error: reference SQL: the query returned no rows\n' });
    });

    it('a column missing on one side: exit 2, naming it', async () => {
      const res = await attempt(good().referenceSql, good().currentSql.replace('"Distance (km)", ', ''));
      expect(res).toMatchObject({ code: 2, stderr: expect.stringContaining('current SQL column "Distance (km)": the column is missing') });
    });

    it('a type mlobs cannot map: exit 2, naming column and type', async () => {
      const res = await attempt('SELECT [1, 2] AS a, 1 AS b', 'SELECT [1] AS a, 2 AS b');
      expect(res).toMatchObject({ code: 2, stderr: expect.stringContaining('reference SQL column "a": type Array(UInt8) cannot be mapped') });
    });
  });
});
