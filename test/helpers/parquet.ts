import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { openDuckDb } from '../../src/sources/duckdb/connection.js';
import { readReport, ROOT, runCli, tempDir } from './cli.js';
import { goldenArgs, goldenCases } from './golden.js';

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Writes CSV files as Parquet with DuckDB, letting its CSV sniffer pick the column types as a user's own
 * conversion would: numbers become BIGINT/DOUBLE, dates DATE, anything mixed VARCHAR.
 */
export async function csvToParquet(pairs: [csv: string, parquet: string][], extra = ''): Promise<void> {
  const db = await openDuckDb();
  try {
    for (const [csv, parquet] of pairs) {
      await db.connection.run(`COPY (SELECT * FROM read_csv(${sql(csv)}${extra})) TO ${sql(parquet)} (FORMAT parquet)`);
    }
  } finally {
    await db.close();
  }
}

/**
 * Every golden dataset's and the activities fixtures' CSV files written as Parquet into `dir`, by CSV path: the
 * golden paths absolute (as goldenArgs gives them), the activities ones both relative to the repository (as
 * activitiesArgs gives them) and absolute.
 */
export async function fixturesAsParquet(dir: string): Promise<Map<string, string>> {
  const parquetOf = new Map<string, string>();
  const pairs: [string, string][] = [];
  const add = (csv: string, name: string) => {
    const parquet = join(dir, `${name}.parquet`);
    parquetOf.set(csv, parquet);
    pairs.push([csv.startsWith('/') ? csv : join(ROOT, csv), parquet]);
  };
  for (const { name, dir: d } of goldenCases()) for (const side of ['reference', 'current']) add(join(d, `${side}.csv`), `${name}-${side}`);
  for (const f of ['reference', 'current', 'activities_full', 'requests_sample']) add(`fixtures/activities/${f}.csv`, `activities-${f}`);
  await csvToParquet(pairs);
  for (const [csv, parquet] of [...parquetOf]) if (!csv.startsWith('/')) parquetOf.set(join(ROOT, csv), parquet);
  return parquetOf;
}

/**
 * A test file's fixtures as Parquet: a temporary directory (removed after the file), and the map from each CSV path
 * to its Parquet file, filled before the file's tests run.
 */
export function parquetFixtures(prefix: string): { dir: string; parquetOf: Map<string, string> } {
  const dir = tempDir(prefix);
  const parquetOf = new Map<string, string>();
  beforeAll(async () => {
    for (const [csv, parquet] of await fixturesAsParquet(dir)) parquetOf.set(csv, parquet);
  }, 60_000);
  return { dir, parquetOf };
}

/** Runs the CLI in this process (the equality matrices are dozens of runs; process start-up would dominate) and returns its report.json. */
export async function reportOf(args: string[]): Promise<any> {
  const out = tempDir();
  let stderr = '';
  const code = await run([...args, '--out', out, '--quiet'], { stdout: () => {}, stderr: (t) => (stderr += t), color: false });
  expect(stderr).toBe('');
  expect(code).toBe(0);
  return readReport(out);
}

/**
 * `mlobs report <args>` fails on bad input as promised: exit 2, one `mlobs: error:` line matching `message`, no
 * report, and no DuckDB spill or extension directory left in the working directory (DuckDB's default `.tmp`) or
 * in the run's temporary directory (os.tmpdir() follows TMPDIR, so DuckDB's private directory goes into one of
 * the run's own).
 */
export async function expectCleanError(args: string[], message: RegExp): Promise<void> {
  const out = tempDir();
  const tmp = tempDir();
  const res = await runCli(['report', ...args, '--out', out], { env: { TMPDIR: tmp } });
  expect(res.stderr).toMatch(/^mlobs: error: [^\n]*\n$/);
  expect(res.stderr).toMatch(message);
  expect(res.code).toBe(2);
  expect(res.stdout).toBe('');
  expect(existsSync(join(ROOT, '.tmp'))).toBe(false);
  expect(readdirSync(out)).toEqual([]);
  expect(readdirSync(tmp)).toEqual([]);
}

/** Two cases per golden dataset, each handing `expectSame` the CSV arguments: the golden run's declared roles, and every type inferred. */
export function itOnEveryGoldenDataset(expectSame: (args: string[]) => Promise<unknown>): void {
  for (const { name, dir } of goldenCases()) {
    it(`${name}: declared roles, as the golden run`, async () => {
      await expectSame(goldenArgs('report', dir, 'unused').filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out'));
    });
    it(`${name}: every type inferred`, async () => {
      await expectSame(['report', '-r', join(dir, 'reference.csv'), '-c', join(dir, 'current.csv')]);
    });
  }
}

/** Runs SQL statements on a scratch DuckDB (to write test Parquet files). */
export async function duckdbExec(...statements: string[]): Promise<void> {
  const db = await openDuckDb();
  try {
    for (const s of statements) await db.connection.run(s);
  } finally {
    await db.close();
  }
}

/** Fields that name the input, its format or the engine that read it, or time the run: everything else must be equal. */
export const FORMAT_FIELDS = [
  'run',
  'engine',
  'inputs.reference.path',
  'inputs.current.path',
  'inputs.reference.bytes',
  'inputs.current.bytes',
  'inputs.reference.sha256',
  'inputs.current.sha256',
  'inputs.reference.format',
  'inputs.current.format',
  'inputs.reference.delimiter',
  'inputs.current.delimiter',
];

/**
 * Field-by-field differences between two reports, skipping `skip` paths: numbers whose path `close` accepts
 * (by default those under a key containing "score") within 1e-12 (relative), every other value exactly equal.
 * Returns one line per difference.
 */
export function reportDifferences(a: unknown, b: unknown, skip: string[] = FORMAT_FIELDS, path = '', close = (p: string) => /score/i.test(p)): string[] {
  if (skip.includes(path)) return [];
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return [];
    if (close(path) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) return [];
    return [`${path}: ${a} vs ${b}`];
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  }
  if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: array vs object`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    const sub = path ? `${path}.${k}` : k;
    if (!(k in a) || !(k in b)) {
      if (!skip.includes(sub)) out.push(`${sub}: only in ${k in a ? 'the first' : 'the second'}`);
      continue;
    }
    out.push(...reportDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], skip, sub, close));
  }
  return out;
}
