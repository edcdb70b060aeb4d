import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { activitiesArgs, goldenCases } from './helpers/golden.js';
import { openDuckDb } from '../src/sources/duckdb/connection.js';
import { openParquet, readParquetColumns } from '../src/sources/parquet.js';
import { duckdbExec, expectCleanError, parquetFixtures, itOnEveryGoldenDataset, reportOf, FORMAT_FIELDS, reportDifferences } from './helpers/parquet.js';

const { dir, parquetOf } = parquetFixtures('mlobs-batches-');

/** A memory limit so small that every batch holds one column, however small the data. */
const ONE_COLUMN_AT_A_TIME = ['--engine', 'duckdb', '--memory-limit', '1MB'];

/** The in-memory report of the Parquet data and the column-batch report of the same data are equal, but for the engine. */
async function expectSameReport(args: string[], batches = ONE_COLUMN_AT_A_TIME): Promise<any> {
  const parquetArgs = args.map((a) => parquetOf.get(a) ?? a);
  const inMemory = await reportOf([...parquetArgs, '--engine', 'memory']);
  const batched = await reportOf([...parquetArgs, ...batches]);
  expect(inMemory.engine.mode).toBe('in-memory');
  expect(batched.engine).toMatchObject({ name: 'duckdb', mode: 'column-batches', not_exact: [] });
  expect(reportDifferences(inMemory, batched, FORMAT_FIELDS)).toEqual([]);
  return batched;
}

describe('the column-batch engine gives the in-memory report, one column at a time', () => {
  itOnEveryGoldenDataset(expectSameReport);

  it('activities: regression target, its correlations with every batch, model quality', async () => {
    const report = await expectSameReport(activitiesArgs('report', 'unused').slice(0, -2));
    expect(report.engine.batches).toBeGreaterThan(5);
    expect(report.target_drift.columns[0].correlations.length).toBeGreaterThan(10);
  });

  // From the TypeScript sources there is no worker script, so the analysis runs in this thread between the reads;
  // test/parquet_offline.test.ts runs the built CLI, with worker threads.
  it('two columns a batch, the next batch read while this one is analysed', async () => {
    const twoAtATime = ['--engine', 'duckdb', '--memory-limit', '1GB'];
    for (const { dir: d } of goldenCases()) await expectSameReport(['report', '-r', join(d, 'reference.csv'), '-c', join(d, 'current.csv')], twoAtATime);
    await expectSameReport(activitiesArgs('report', 'unused').slice(0, -2), twoAtATime);
  }, 30_000);

  it('activities with dates, ids and text columns', async () => {
    await expectSameReport(['report', '-r', 'fixtures/activities/activities_full.csv', '-c', 'fixtures/activities/requests_sample.csv', '--target', 'Quality']);
  });
});

describe('--engine auto', () => {
  it('reads Parquet whole when it fits the memory limit, a column batch at a time when it does not', async () => {
    const args = activitiesArgs('report', 'unused')
      .slice(0, -2)
      .map((a) => parquetOf.get(a) ?? a);
    expect((await reportOf(args)).engine.mode).toBe('in-memory');
    expect((await reportOf([...args, '--memory-limit', '1MB'])).engine.mode).toBe('column-batches');
  });
});

describe('row checks in DuckDB count the cells as the table holds them', () => {
  it('NULL and NaN both missing, -0 equal to 0, NA tokens, duplicated and almost duplicated columns, duplicated rows, an ignored nested column', async () => {
    const write = (file: string, seed: number) =>
      duckdbExec(
        `COPY (SELECT CASE WHEN i % 97 = 0 THEN NULL WHEN i % 89 = 0 THEN 'NaN'::DOUBLE WHEN i % 23 = 0 THEN -0.0 ELSE (i * ${seed}) % 31 END AS a, ` +
          `CASE WHEN i % 97 = 0 THEN 'NaN'::DOUBLE WHEN i % 89 = 0 THEN NULL WHEN i % 23 = 0 THEN 0.0 ELSE (i * ${seed}) % 31 END AS b, ` +
          `CASE WHEN i % 40 = 0 THEN -1 WHEN i % 97 = 0 THEN NULL ELSE (i * ${seed}) % 31 END AS c, ` +
          `CASE WHEN i % 97 = 0 THEN 'NA' WHEN i % 13 = 0 THEN NULL ELSE 'level ' || (i % 5) END AS s, ` +
          `CASE WHEN i % 97 = 0 THEN NULL WHEN i % 13 = 0 THEN '' ELSE 'level ' || (i % 5) END AS t, ` +
          `CASE WHEN i % 97 = 0 THEN NULL ELSE i % 2 = 0 END AS flag, NULL::DOUBLE AS e, [i % 3, i % 3] AS nested ` +
          `FROM range(1000) r(i)) TO '${file}' (FORMAT parquet)`,
      );
    const [r, c] = [join(dir, 'cells-ref.parquet'), join(dir, 'cells-cur.parquet')];
    await write(r, 7);
    await write(c, 11);
    parquetOf.set('cells-ref', r);
    parquetOf.set('cells-cur', c);
    const report = await expectSameReport(['report', '-r', 'cells-ref', '-c', 'cells-cur', '--ignore', 'nested']);
    const q = report.quality.reference;
    expect([q.number_of_duplicated_columns, q.number_of_almost_duplicated_columns, q.number_of_empty_rows]).toEqual([2, 1, 0]);
    expect(q.number_of_duplicated_rows).toBeGreaterThan(0);
    expect(q.missing_values.number_of_rows_with_missing_values).toBe(1000);
  });

  it('a text column holding numbers is listed as not exact, with its reason', async () => {
    const file = join(dir, 'numbers-as-text.parquet');
    await duckdbExec(
      `COPY (SELECT i % 7 AS x, CASE WHEN i % 3 = 0 THEN '1' WHEN i % 3 = 1 THEN '1.0' ELSE 'x' END AS v FROM range(200) r(i)) TO '${file}' (FORMAT parquet)`,
    );
    const report = await reportOf(['report', '-r', file, '-c', file, ...ONE_COLUMN_AT_A_TIME]);
    expect(report.engine.not_exact).toEqual([
      { section: 'quality.reference.row_checks', reason: expect.stringMatching(/^column "v" holds numbers as text/) },
      { section: 'quality.current.row_checks', reason: expect.stringMatching(/^column "v" holds numbers as text/) },
    ]);
  });
});

describe('memory held per batch', () => {
  it('the text columns of both inputs share one all-missing numbers array', async () => {
    const [r, c] = [join(dir, 'texts-ref.parquet'), join(dir, 'texts-cur.parquet')];
    for (const file of [r, c])
      await duckdbExec(`COPY (SELECT 'level ' || (i % 5) AS s, 'x' || (i % 3) AS t, i * 0.5 AS n FROM range(300) r(i)) TO '${file}' (FORMAT parquet)`);
    const db = await openDuckDb();
    try {
      const options = { naValues: [] };
      const read = async (file: string) =>
        (await readParquetColumns(db.connection, await openParquet(db.connection, file), ['s', 't', 'n'], options)).table.columns;
      const [ref, cur] = [await read(r), await read(c)];
      const numbers = [...ref, ...cur].filter((col) => col.name !== 'n').map((col) => col.numbers);
      expect(numbers[0].length).toBe(300);
      expect(numbers.every((a) => a === numbers[0])).toBe(true);
      expect(ref.find((col) => col.name === 'n')!.numbers).not.toBe(numbers[0]);
    } finally {
      await db.close();
    }
  });
});

describe('larger than DuckDB memory', () => {
  it('3M + 3M rows, DuckDB held to 128 MB (--memory-limit 512MB): the duplicated-rows GROUP BY spills, the report equals the in-memory one', async () => {
    const [r, c] = [join(dir, 'big-ref.parquet'), join(dir, 'big-cur.parquet')];
    // Few distinct values per column, so no column is unique and the whole-row GROUP BY runs over every row.
    const gen = (file: string, rows: number, shift: number) =>
      `COPY (SELECT (hash(i) % 1000)::DOUBLE / 10 + ${shift} AS x1, hash(i + 1) % 300 AS x2, (hash(i + 2) % 50)::DOUBLE AS x3, ` +
      `'c' || (hash(i + 3) % 20) AS k1, hash(i + 4) % 2 = 0 AS k2 FROM range(${rows}) t(i)) TO '${file}' (FORMAT parquet)`;
    await duckdbExec(gen(r, 3_000_000, 0), gen(c, 3_000_000, 1));
    parquetOf.set('big-ref', r);
    parquetOf.set('big-cur', c);
    const report = await expectSameReport(['report', '-r', 'big-ref', '-c', 'big-cur'], ['--engine', 'duckdb', '--memory-limit', '512MB']);
    expect(report.quality.reference.number_of_duplicated_rows).toBeGreaterThan(0);
  }, 60_000);
});

describe('bad input: one line, the documented exit code, nothing left behind', () => {
  const ref = () => parquetOf.get('fixtures/activities/reference.csv')!;

  it('--engine duckdb with --window, or with --source', async () => {
    await expectCleanError(
      ['-r', ref(), '-c', ref(), '--engine', 'duckdb', '--timestamp', 'x', '--window', '1d'],
      /--engine duckdb does not window.*--source duckdb:/,
    );
    await expectCleanError(
      ['--source', 'duckdb:', '--reference-sql', 'SELECT 1 AS x', '--current-sql', 'SELECT 1 AS x', '--engine', 'duckdb'],
      /with --source the database engine/,
    );
  });

  it('a memory limit that is not a size', async () => {
    await expectCleanError(
      ['-r', ref(), '-c', ref(), '--memory-limit', 'lots'],
      /--memory-limit.*expected a size of at least 1MB such as 8GB or 512MB, got "lots"/,
    );
    await expectCleanError(['-r', ref(), '-c', ref(), '--memory-limit', '10KB'], /at least 1MB/);
  });

  it('a missing file, a column type mlobs cannot read, a target in neither file', async () => {
    await expectCleanError(['-r', join(dir, 'missing.parquet'), '-c', ref(), '--engine', 'duckdb'], /missing\.parquet: cannot open the file: no such file/);
    const nested = join(dir, 'nested.parquet');
    await duckdbExec(`COPY (SELECT i AS x, [i, i] AS l FROM range(50) t(i)) TO '${nested}' (FORMAT parquet)`);
    await expectCleanError(
      ['-r', nested, '-c', nested, ...ONE_COLUMN_AT_A_TIME],
      /nested\.parquet column "l": Parquet type BIGINT\[\] has no column type in mlobs/,
    );
    await expectCleanError(
      ['-r', ref(), '-c', ref(), '--target', 'Qualty', ...ONE_COLUMN_AT_A_TIME],
      /column "Qualty".*the target column is not in the file; did you mean "Quality"/,
    );
  });
});
