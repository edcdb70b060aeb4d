import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers/cli.js';
import { activitiesArgs } from './helpers/golden.js';
import { csvToParquet, expectCleanError, itOnEveryGoldenDataset, reportOf, reportDifferences } from './helpers/parquet.js';

/** A memory limit so small that every batch holds one column, however small the data. */
const ONE_COLUMN_AT_A_TIME = ['--engine', 'duckdb', '--memory-limit', '1MB'];

/** The CSV files read whole and through the column-batch engine give one report, but for the engine and the run. */
async function expectSameReport(args: string[], batches = ONE_COLUMN_AT_A_TIME): Promise<any> {
  const inMemory = await reportOf([...args, '--engine', 'memory']);
  const batched = await reportOf([...args, ...batches]);
  expect(inMemory.engine.mode).toBe('in-memory');
  expect(batched.engine).toMatchObject({ name: 'duckdb', mode: 'column-batches', not_exact: [] });
  // The inputs are the CSV files, their size and SHA-256 included.
  expect(reportDifferences(inMemory, batched, ['run', 'engine'])).toEqual([]);
  return batched;
}

describe('a CSV input through the column-batch engine gives the in-memory report', () => {
  itOnEveryGoldenDataset(expectSameReport);

  it('activities: regression target, model quality, dates, ids and text columns', async () => {
    await expectSameReport(activitiesArgs('report', 'unused').slice(0, -2));
    await expectSameReport(['report', '-r', 'fixtures/activities/activities_full.csv', '-c', 'fixtures/activities/requests_sample.csv', '--target', 'Quality']);
  });

  it('quoting, a semicolon delimiter, CRLF, a byte order mark, NA tokens, spaces around numbers, numbers as text, an empty last field', async () => {
    const d = tempDir();
    const rows = (shift: number) =>
      Array.from({ length: 300 }, (_, i) => {
        const x = i % 37 === 0 ? 'NA' : i % 41 === 0 ? '' : ` ${(i * (7 + shift)) % 101}.5 `;
        const label = i % 5 === 0 ? '"quoted; with ""quotes"""' : i % 7 === 0 ? '"two\r\nlines"' : `level ${(i + shift) % 4}`;
        // Numbers spelled two ways: "1" and "1.0" are one number, so the column is numerical and its rows equal.
        const n = i % 2 === 0 ? `${i % 3}` : `${i % 3}.0`;
        return `${x};${label};${n};${i % 11 === 0 ? '' : i % 9}`;
      });
    const write = (name: string, shift: number) => {
      const file = join(d, name);
      writeFileSync(file, `\ufeffx;label;n;last\r\n${rows(shift).join('\r\n')}\r\n`);
      return file;
    };
    const report = await expectSameReport(['report', '-r', write('ref.csv', 0), '-c', write('cur.csv', 1)]);
    expect(report.inputs.reference).toMatchObject({ format: 'csv', delimiter: ';', rows: 300 });
  });

  it('a one-column file with empty lines, lines of spaces and a quoted empty cell', async () => {
    const d = tempDir();
    const write = (name: string, shift: number) => {
      const file = join(d, name);
      writeFileSync(
        file,
        `v\n${Array.from({ length: 200 }, (_, i) => (i % 17 === 0 ? '' : i % 19 === 0 ? ' \t ' : i % 23 === 0 ? '""' : String((i * (3 + shift)) % 41))).join('\n')}\n\n`,
      );
      return file;
    };
    const report = await expectSameReport(['report', '-r', write('ref.csv', 0), '-c', write('cur.csv', 1)]);
    expect(report.inputs.reference.rows).toBeLessThan(190);
  });

  it('a Parquet reference and a CSV current', async () => {
    const d = tempDir();
    const parquet = join(d, 'reference.parquet');
    await csvToParquet([[join(ROOT, 'fixtures/activities/reference.csv'), parquet]]);
    await expectSameReport(['report', '-r', parquet, '-c', 'fixtures/activities/current.csv', '--target', 'Quality', '--task', 'regression']);
  });

  it('--engine auto takes the column batches for a CSV input larger than the memory limit', async () => {
    const args = activitiesArgs('report', 'unused').slice(0, -2);
    expect((await reportOf(args)).engine.mode).toBe('in-memory');
    expect((await reportOf([...args, '--memory-limit', '1MB'])).engine.mode).toBe('column-batches');
  });
});

describe('larger than DuckDB memory', () => {
  it('500k + 500k rows of CSV, DuckDB held to 128 MB (--memory-limit 512MB), the conversion to 256 MB: the report equals the in-memory one', async () => {
    const d = tempDir();
    // Few distinct values per column, so no column is unique and the whole-row GROUP BY runs over every row.
    const write = (name: string, shift: number) => {
      const file = join(d, name);
      const lines = Array.from({ length: 500_000 }, (_, i) => {
        const h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
        return `${(h % 1000) / 10 + shift},${h % 300},c${(h >>> 8) % 20},${(h >>> 12) % 2 === 0 ? 'True' : 'False'}`;
      });
      writeFileSync(file, `x1,x2,k1,k2\n${lines.join('\n')}\n`);
      return file;
    };
    const report = await expectSameReport(
      ['report', '-r', write('big-ref.csv', 0), '-c', write('big-cur.csv', 1)],
      ['--engine', 'duckdb', '--memory-limit', '512MB'],
    );
    expect(report.quality.reference.number_of_duplicated_rows).toBeGreaterThan(0);
  }, 120_000);
});

describe('bad CSV input: one line naming the file and line, exit 2, nothing left behind', () => {
  const d = tempDir();
  const good = join(d, 'good.csv');
  writeFileSync(good, 'a,b\n1,x\n2,y\n3,z\n');
  const bad = (name: string, text: string | Buffer) => {
    writeFileSync(join(d, name), text);
    return join(d, name);
  };

  const expectError = (file: string, message: RegExp) => expectCleanError(['-r', good, '-c', file, ...ONE_COLUMN_AT_A_TIME], message);

  // Far enough down that the reader's own look at the first records does not see it: DuckDB finds it.
  const filler = Array.from({ length: 5000 }, (_, i) => `${i},v${i % 7}`).join('\n');

  it('a row with more or fewer fields', async () => {
    await expectError(bad('wide.csv', `a,b\n${filler}\n1,2,3\n`), /wide\.csv:line 5002: expected 2 fields \(as in the header\), found 3$/m);
    await expectError(bad('short.csv', `a,b\n${filler}\n7\n`), /short\.csv:line 5002: expected 2 fields \(as in the header\), found 1$/m);
    // Within the first records the reader's own message, as in memory.
    await expectError(bad('early.csv', 'a,b\n1,2,3\n'), /early\.csv:line 2: expected 2 fields \(as in the header\), found 3$/m);
  });

  it('an unterminated quote, invalid UTF-8, a header without rows', async () => {
    await expectError(bad('quote.csv', `a,b\n${filler}\n"9,x\n`), /quote\.csv:line 5002: unterminated quoted field/);
    await expectError(
      bad('utf8.csv', Buffer.concat([Buffer.from(`a,b\n${filler}\n9,`), Buffer.from([0xff, 0xfe]), Buffer.from('\n')])),
      /utf8\.csv:line 5002: the bytes are not valid UTF-8; --engine memory reads them/,
    );
    await expectError(bad('header.csv', 'a,b\n'), /header\.csv:line 1: the file has a header but no data rows/);
    await expectError(bad('dup.csv', 'a,a\n1,2\n'), /dup\.csv:line 1 column "a": duplicate column name/);
  });

  it('a typing error names the line of the first text cell, as in memory', async () => {
    const file = bad('target.csv', 'a,b\n1,x\n2,y\nz,w\n');
    const args = ['report', '-r', good, '-c', file, '--target', 'a', '--task', 'regression'];
    const [inMemory, batched] = [await runCli([...args, '--engine', 'memory']), await runCli([...args, ...ONE_COLUMN_AT_A_TIME])];
    expect(inMemory.stderr).toMatch(/target\.csv:line 4 column "a": a regression target must be numeric/);
    expect(batched.stderr).toBe(inMemory.stderr);
  });

  it('--window with --engine duckdb names the pushdown alternative', async () => {
    const out = tempDir();
    const res = await runCli(['report', '-r', good, '-c', good, '--engine', 'duckdb', '--timestamp', 'a', '--window', '1d', '--out', out]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(
      /^mlobs: error: --engine duckdb does not window the current data: window a log larger than memory in DuckDB with --source duckdb:/,
    );
  });
});
