import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STAT_TEST_IDS } from '../src/drift/registry.js';
import { readCsv, DEFAULT_NA_VALUES } from '../src/io/csv/index.js';
import { openDuckDb } from '../src/sources/duckdb/connection.js';
import { isParquetSource, readParquet } from '../src/sources/parquet.js';
import type { ColumnRoles } from '../src/data/roles.js';
import { computeOverlapped } from '../src/parquet_overlap.js';
import { analyze, assembleReport, type AnalyzeOptions } from '../src/pipeline.js';
import { defaultOf } from '../src/settings/index.js';
import { readReport, ROOT, runCli, tempDir } from './helpers/cli.js';
import { activitiesArgs } from './helpers/golden.js';
import { duckdbExec, expectCleanError, parquetFixtures, itOnEveryGoldenDataset, reportOf, reportDifferences } from './helpers/parquet.js';

const { dir, parquetOf } = parquetFixtures('mlobs-parquet-');

/** The same arguments with every CSV path replaced by its Parquet copy. */
function asParquet(args: string[], map: Map<string, string>): string[] {
  return args.map((a) => map.get(a) ?? a);
}

async function expectSameReport(args: string[]): Promise<void> {
  const csv = await reportOf(args);
  const parquet = await reportOf(asParquet(args, parquetOf));
  expect(parquet.inputs.reference.format).toBe('parquet');
  expect(parquet.inputs.reference.delimiter).toBeNull();
  expect(reportDifferences(csv, parquet)).toEqual([]);
}

describe("Parquet input gives the report the CSV gives (every field but the input's name, format and hash)", () => {
  itOnEveryGoldenDataset(expectSameReport);

  it('activities: the oracle run', async () => {
    await expectSameReport(activitiesArgs('report', 'unused').slice(0, -2));
  });

  it('activities with dates, ids and text columns (inferred datetime, identifier warning, categorical)', async () => {
    await expectSameReport(['report', '-r', 'fixtures/activities/activities_full.csv', '-c', 'fixtures/activities/requests_sample.csv', '--target', 'Quality']);
  });

  it('activities: each of the 18 stat tests', async () => {
    const base = activitiesArgs('report', 'unused').slice(0, -2);
    for (const id of STAT_TEST_IDS) {
      // Empirical MMD's permutations cost seconds per column: one column is proof enough.
      await expectSameReport([...base, ...(id === 'empirical_mmd' ? ['--per-column-stattest', `Quality=${id}`] : ['--stattest', id])]);
    }
  }, 120_000);
});

describe('Parquet sources', () => {
  it('cells read as the same cells of a CSV: NULL, NaN, infinity, NA tokens, numbers in text, long text, booleans, dates', async () => {
    const csv = join(dir, 'cells.csv');
    writeFileSync(
      csv,
      'x,n,s,b,d\n1.5,1,a,True,2026-01-01\n,2,NA,False,2026-01-02\nNaN,,,,\ninf,4,a long label over twelve bytes,True,2026-01-04\n-2,5,3,False,2026-01-05\n',
    );
    const parquet = join(dir, 'cells.parquet');
    await duckdbExec(
      `COPY (SELECT * FROM (VALUES (1.5::DOUBLE, 1::BIGINT, 'a', true, DATE '2026-01-01'), (NULL, 2, 'NA', false, DATE '2026-01-02'), ('NaN'::DOUBLE, NULL, NULL, NULL, NULL), ` +
        `('inf'::DOUBLE, 4, 'a long label over twelve bytes', true, DATE '2026-01-04'), (-2, 5, '3', false, DATE '2026-01-05')) t(x, n, s, b, d)) TO '${parquet}' (FORMAT parquet)`,
    );
    const fromCsv = await readCsv(csv, { naValues: DEFAULT_NA_VALUES });
    const db = await openDuckDb();
    // Few distinct texts come as enum codes; many, text by text (maxLabels 0 forces that here).
    const [asCodes, asTexts] = await Promise.all([
      readParquet(db.connection, parquet, { naValues: DEFAULT_NA_VALUES }),
      readParquet(await db.connect(), parquet, { naValues: DEFAULT_NA_VALUES }, { maxLabels: 0 }),
    ]).finally(() => db.close());
    const cells = (t: typeof fromCsv) =>
      t.columns.map(({ name, numbers, textCodes, texts, textCounts, missingCount, numericCount, textCount, integerLiterals }) => ({
        name,
        numbers: [...numbers].map(String),
        labels: textCodes ? [...textCodes].map((c) => (c < 0 ? null : texts[c])) : null,
        textCounts,
        missingCount,
        numericCount,
        textCount,
        integerLiterals,
      }));
    expect(cells(asCodes)).toEqual(cells(fromCsv));
    expect(cells(asTexts)).toEqual(cells(fromCsv));
    expect(asCodes.rowCount).toBe(5);
  });

  it('are recognised by extension, directory, glob or magic bytes', async () => {
    const noExtension = join(dir, 'data-without-extension');
    copyFileSync(parquetOf.get(join(ROOT, 'fixtures/activities/reference.csv'))!, noExtension);
    expect(await isParquetSource(noExtension)).toBe(true);
    expect(await isParquetSource(dir)).toBe(true);
    expect(await isParquetSource(join(dir, '*.parquet'))).toBe(true);
    expect(await isParquetSource('fixtures/activities/reference.csv')).toBe(false);
    expect(await isParquetSource(join(dir, 'missing.csv'))).toBe(false);
    // An existing file is itself, whatever characters its name holds.
    const bracketed = join(dir, 'data[1]*.csv');
    copyFileSync(join(ROOT, 'fixtures/activities/current.csv'), bracketed);
    expect(await isParquetSource(bracketed)).toBe(false);
    // A named pipe is CSV and is not opened to sniff it (that would wait for a writer, then steal its bytes).
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    expect(await isParquetSource(fifo)).toBe(false);
  });

  it('a directory of files and a hive-partitioned glob read as one table, partition columns included', async () => {
    const ref = join(dir, 'ref-parts');
    const cur = join(dir, 'cur-parts');
    const full = join(ROOT, 'fixtures/activities/activities_full.csv');
    await duckdbExec(
      `COPY (SELECT * FROM read_csv('${full}') WHERE Type <> 'Walking') TO '${ref}' (FORMAT parquet, PARTITION_BY (Type))`,
      `COPY (SELECT * FROM read_csv('${full}') WHERE Type = 'Walking' OR Date >= '2022-09-01') TO '${cur}' (FORMAT parquet, PARTITION_BY (Type))`,
    );
    expect(readdirSync(ref).every((d) => d.startsWith('Type='))).toBe(true);
    const out = tempDir();
    const res = await runCli(['report', '-r', ref, '-c', `${cur}/Type=*/*.parquet`, '--target', 'Quality', '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const report = readReport(out);
    expect(report.inputs.reference.rows + report.inputs.current.rows).toBeGreaterThan(1000);
    expect(report.inputs.current.path).toBe(`${cur}/Type=*/*.parquet`);
    const type = report.drift.columns.find((c: any) => c.column === 'Type');
    expect(type).toMatchObject({ type: 'cat' });
    expect(report.columns.find((c: any) => c.name === 'Date')).toMatchObject({ type: 'datetime', role: 'datetime' });
  });

  it('in a config file and in monitors', async () => {
    const cfg = join(dir, 'mlobs.yaml');
    const ref = parquetOf.get(join(ROOT, 'fixtures/activities/reference.csv'))!;
    const cur = parquetOf.get(join(ROOT, 'fixtures/activities/current.csv'))!;
    writeFileSync(
      cfg,
      `columns: { target: Quality, task: regression }\nmonitors:\n  - { name: pq, reference: ${ref}, current: ${cur} }\n  - { name: csv, reference: ${join(ROOT, 'fixtures/activities/reference.csv')}, current: ${cur} }\n`,
    );
    const out = tempDir();
    const res = await runCli(['report', '--config', cfg, '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const [pq, mixed] = [readReport(join(out, 'pq')), readReport(join(out, 'csv'))];
    expect(pq.inputs.reference.format).toBe('parquet');
    expect(mixed.inputs.reference.format).toBe('csv');
    expect(reportDifferences(pq.drift, mixed.drift)).toEqual([]);
  });

  it('Parquet types: booleans, decimals, enums, timestamps; declared types win', async () => {
    const make = (side: string, shift: number) =>
      `COPY (SELECT i % 3 = 0 AS flag, CAST(i * 0.25 + ${shift} AS DECIMAL(9,2)) AS amount, CAST(i % 4 AS TINYINT) AS level, ` +
      `TIMESTAMPTZ '2026-01-01 00:00:00+00' + INTERVAL (i) HOUR AS ts, CAST(['a','b','c'][i % 3 + 1] AS ENUM('a','b','c')) AS grade ` +
      `FROM range(200) t(i)) TO '${join(dir, `types-${side}.parquet`)}' (FORMAT parquet)`;
    await duckdbExec(make('ref', 0), make('cur', 5));
    const out = tempDir();
    const res = await runCli([
      'report',
      '-r',
      join(dir, 'types-ref.parquet'),
      '-c',
      join(dir, 'types-cur.parquet'),
      '--categorical',
      'level',
      '--out',
      out,
      '--quiet',
    ]);
    expect(res.stderr).toBe('');
    const report = readReport(out);
    const types = Object.fromEntries(report.columns.map((c: any) => [c.name, [c.type, c.type_source]]));
    expect(types).toEqual({
      flag: ['cat', 'inferred'],
      amount: ['num', 'inferred'],
      level: ['cat', 'declared'],
      ts: ['datetime', 'inferred'],
      grade: ['cat', 'inferred'],
    });
    const ts = report.quality.columns.find((c: any) => c.column === 'ts');
    expect(ts.current.first).toBe('2026-01-01 00:00:00Z');
  });
});

describe('two Parquet inputs are read a group of columns at a time, each group analysed while the next is read', () => {
  const options = (roles: ColumnRoles): AnalyzeOptions => ({
    roles,
    drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: defaultOf('report', 'drift.drift_share') as number },
    naValues: DEFAULT_NA_VALUES,
  });
  /** The report in groups of `size` columns equals analyze() on both inputs read whole. */
  async function expectSameInGroups(reference: string, current: string, roles: ColumnRoles, size: number) {
    const db = await openDuckDb();
    const [ref, cur] = await Promise.all([
      readParquet(db.connection, reference, options(roles)),
      readParquet(await db.connect(), current, options(roles)),
    ]).finally(() => db.close());
    const whole = await analyze(ref, cur, options(roles));
    const grouped = await computeOverlapped(reference, current, options(roles), { groupColumns: size });
    expect(assembleReport(grouped.reference, grouped.current, options(roles), grouped.computed)).toEqual(whole);
  }
  const activities = (f: string) => parquetOf.get(join(ROOT, `fixtures/activities/${f}.csv`))!;

  it('a target read first and kept for every group, one column or three a group', async () => {
    for (const size of [1, 3]) await expectSameInGroups(activities('reference'), activities('current'), { target: 'Quality' }, size);
  });

  it('dates, ids and text columns, and columns of one input only (a group that cannot be typed early is analysed after the whole tables are typed)', async () => {
    for (const size of [1, 2]) {
      await expectSameInGroups(activities('activities_full'), activities('requests_sample'), { target: 'Quality' }, size);
      await expectSameInGroups(activities('activities_full'), activities('reference'), {}, size);
    }
  });
});

describe('bad Parquet input: one line, exit 2, nothing left behind', () => {
  it('a corrupt file', async () => {
    const bad = join(dir, 'corrupt.parquet');
    writeFileSync(bad, 'PAR1 this is not really parquet');
    await expectCleanError(['-r', bad, '-c', 'fixtures/activities/current.csv'], /corrupt\.parquet: not a readable Parquet file: /);
  });

  it('a glob that matches nothing, and a missing file', async () => {
    await expectCleanError(
      ['-r', join(dir, 'nothing-*.parquet'), '-c', 'fixtures/activities/current.csv'],
      /nothing-\*\.parquet: no Parquet file matches this pattern/,
    );
    await expectCleanError(
      ['-r', join(dir, 'missing.parquet'), '-c', 'fixtures/activities/current.csv'],
      /missing\.parquet: cannot open the file: no such file/,
    );
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty);
    await expectCleanError(['-r', empty, '-c', 'fixtures/activities/current.csv'], /empty-dir: no Parquet file matches .*empty-dir\/\*\*\/\*\.parquet/);
  });

  it('a column of a type with no mlobs type (STRUCT, LIST), unless ignored', async () => {
    const nested = join(dir, 'nested.parquet');
    await duckdbExec(`COPY (SELECT i AS x, {'a': i} AS s, [i, i] AS l FROM range(50) t(i)) TO '${nested}' (FORMAT parquet)`);
    await expectCleanError(
      ['-r', nested, '-c', nested],
      /nested\.parquet column "s": Parquet type STRUCT\(a BIGINT\) has no column type in mlobs .*--ignore it/,
    );
    const out = tempDir();
    const res = await runCli(['report', '-r', nested, '-c', nested, '--ignore', 's,l', '--out', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(readReport(out).columns.map((c: any) => [c.name, c.role])).toEqual([
      ['x', 'feature'],
      ['s', 'ignored'],
      ['l', 'ignored'],
    ]);
  });

  it('no rows', async () => {
    const empty = join(dir, 'no-rows.parquet');
    await duckdbExec(`COPY (SELECT 1 AS x WHERE false) TO '${empty}' (FORMAT parquet)`);
    await expectCleanError(['-r', empty, '-c', 'fixtures/activities/current.csv'], /no-rows\.parquet: the Parquet data has no rows/);
  });
});
