import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRange, parseTimestamp, parseWindowSpec, windowEnd, windowStart } from '../src/windows/spec.js';
import { DRIFT_FROM_MAY_2022, LOG } from './helpers/activities_log.js';
import { readReport, runCli, spawnCli, tempDir } from './helpers/cli.js';
import { expectValidTextfile, sampleValue } from './helpers/prom.js';
import { mulberry32 } from './helpers/random.js';
import { csvToParquet, reportDifferences } from './helpers/parquet.js';

const RANGE = '2020-08-01..2021-08-01';
const COMMON = ['--timestamp', 'Date', '--ignore', 'Activity ID', '--target', 'Quality', '--task', 'regression'];

/** The log's header and data lines, each with its parsed Date (the file has no quoted fields). */
function logLines(): { header: string; rows: { line: string; t: number }[] } {
  const [header, ...lines] = readFileSync(LOG, 'utf8').trimEnd().split('\n');
  return { header, rows: lines.map((line) => ({ line, t: parseTimestamp(line.slice(0, line.indexOf(','))) })) };
}

/** What a window and a whole report share, read from a whole report the same way windows[] carries it. */
function headline(r: any) {
  const failed = r.tests.tests
    .filter((t: any) => t.status === 'FAIL' || t.status === 'ERROR')
    .map((t: any) => ({ id: t.id, column: t.column, status: t.status, critical: t.critical }));
  const { columns, ...dataset } = r.drift;
  return {
    dataset,
    columns: columns.map((c: any) => ({
      column: c.column,
      type: c.type,
      role: c.role,
      stattest: c.stattest,
      score_kind: c.score_kind,
      score: c.score,
      threshold: c.threshold,
      drift_rule: c.drift_rule,
      drift_detected: c.drift_detected,
      n_reference: c.n_reference,
      n_current: c.n_current,
    })),
    missing_share: r.quality.current.missing_values.share_of_missing_values,
    tests: { total_tests: r.tests.summary.total_tests, failed_tests: r.tests.summary.failed_tests, by_status: r.tests.summary.by_status, failed },
    errors: r.errors,
  };
}

function windowHeadline(w: any) {
  const { columns, ...dataset } = w.drift;
  return { dataset, columns, missing_share: w.quality.missing_share, tests: w.tests, errors: w.errors };
}

/** Runs `mlobs report` on these rows alone (reference: the reference period's rows) and returns its report. */
async function standalone(dir: string, name: string, header: string, ref: string[], cur: string[], extra: string[] = []) {
  const r = join(dir, `${name}-ref.csv`);
  const c = join(dir, `${name}-cur.csv`);
  writeFileSync(r, `${header}\n${ref.join('\n')}\n`);
  writeFileSync(c, `${header}\n${cur.join('\n')}\n`);
  const out = join(dir, name);
  const res = await runCli(['report', '-r', r, '-c', c, '-o', out, '--quiet', ...COMMON.slice(2), ...extra]);
  expect(res.stderr).toBe('');
  return readReport(out);
}

describe('windows of a timestamped log', () => {
  it('gives every window the numbers `mlobs report` gives on its rows alone (monthly windows, reference period of the same log)', async () => {
    const dir = tempDir();
    const out = join(dir, 'windowed');
    const res = await runCli(['report', '-c', LOG, '--reference-range', RANGE, '--window', '1mo', '--min-window-rows', '30', ...COMMON, '-o', out, '--quiet']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const report = readReport(out);
    const { header, rows } = logLines();
    const [start, end] = RANGE.split('..').map(parseTimestamp);
    const ref = rows.filter((r) => r.t >= start && r.t < end).map((r) => r.line);
    const cur = rows.filter((r) => !(r.t >= start && r.t < end));
    expect(report.windowing).toMatchObject({ timestamp: 'Date', window: '1mo', min_rows: 30, gate: 'latest', reference_range: { rows: ref.length } });
    expect(report.inputs.current.rows).toBe(cur.length);
    // The whole-current sections are the report of the period after the reference, as before windows existed.
    expect(headline(report)).toEqual(
      headline(
        await standalone(
          dir,
          'whole',
          header,
          ref,
          cur.map((r) => r.line),
        ),
      ),
    );

    expect(report.windows.map((w: any) => w.start.slice(0, 7))).toEqual([
      '2021-08',
      '2021-09',
      '2021-10',
      '2021-11',
      '2021-12',
      '2022-01',
      '2022-02',
      '2022-03',
      '2022-04',
      '2022-05',
      '2022-06',
      '2022-07',
      '2022-08',
      '2022-09',
    ]);
    for (const w of report.windows) {
      const [ws, we] = [Date.parse(w.start), Date.parse(w.end)];
      const lines = cur.filter((r) => r.t >= ws && r.t < we).map((r) => r.line);
      expect(w.rows).toBe(lines.length);
      const alone = await standalone(dir, `w${w.index}`, header, ref, lines);
      expect(windowHeadline(w), `window ${w.start}`).toEqual(headline(alone));
    }
    // September 2022 has 9 rows: reported, not judged, and the gate looks at August.
    const last = report.windows.at(-1);
    expect(last).toMatchObject({ rows: 9, judged: false, not_judged_reason: 'only 9 rows (fewer than --min-window-rows 30)' });
    expect(report.windowing.latest_complete).toBe(12);
  });

  it('cuts row windows in file order, each equal to its rows alone', async () => {
    const dir = tempDir();
    const { header, rows } = logLines();
    const ref = join(dir, 'ref.csv');
    writeFileSync(
      ref,
      `${header}\n${rows
        .slice(0, 400)
        .map((r) => r.line)
        .join('\n')}\n`,
    );
    const cur = join(dir, 'cur.csv');
    writeFileSync(
      cur,
      `${header}\n${rows
        .slice(400)
        .map((r) => r.line)
        .join('\n')}\n`,
    );
    const out = join(dir, 'windowed');
    const res = await runCli(['report', '-r', ref, '-c', cur, '--window', '250rows', ...COMMON, '-o', out, '--quiet']);
    expect(res.stderr).toBe('');
    const report = readReport(out);
    expect(report.windows.map((w: any) => [w.rows, w.complete, w.judged])).toEqual([
      [250, true, true],
      [250, true, true],
      [100, false, true],
    ]);
    for (const w of report.windows) {
      const lines = rows.slice(400 + w.index * 250, 400 + w.index * 250 + w.rows);
      expect(w.start).toBe(new Date(Math.min(...lines.map((r) => r.t))).toISOString());
      const alone = await standalone(
        dir,
        `w${w.index}`,
        header,
        rows.slice(0, 400).map((r) => r.line),
        lines.map((r) => r.line),
      );
      expect(windowHeadline(w)).toEqual(headline(alone));
    }
  });

  it('judges the latest complete window by default, or any / all of them', async () => {
    const dir = tempDir();
    // At a 25 % drift share, May 2022 (2 of 8 columns) is the one drifted month; August 2022 is not.
    const run = async (gate: string[]) =>
      (
        await runCli([
          'report',
          '-c',
          LOG,
          '--reference-range',
          RANGE,
          '--window',
          '1mo',
          '--min-window-rows',
          '30',
          '--drift-share',
          '0.25',
          '--fail-on',
          'drift',
          ...gate,
          ...COMMON,
          '-o',
          join(dir, gate.join('') || 'x'),
          '--quiet',
        ])
      ).code;
    expect(await run([])).toBe(0);
    expect(await run(['--gate-window', 'latest'])).toBe(0);
    expect(await run(['--gate-window', 'any'])).toBe(1);
    expect(await run(['--gate-window', 'all'])).toBe(0);
  });

  it('reports missing and unparseable timestamps and empty windows as warnings', async () => {
    const dir = tempDir();
    const { header, rows } = logLines();
    const lines = rows.slice(0, 300).map((r) => r.line);
    lines[3] = lines[3].replace(/^[^,]*/, 'yesterday');
    lines[4] = lines[4].replace(/^[^,]*/, '');
    lines[5] = lines[5].replace(/^[^,]*/, '2022-02-30');
    const cur = join(dir, 'cur.csv');
    writeFileSync(cur, `${header}\n${lines.join('\n')}\n`);
    const out = join(dir, 'out');
    const res = await runCli(['report', '-r', 'fixtures/activities/activities_full.csv', '-c', cur, '--window', '1d', ...COMMON, '-o', out, '--quiet']);
    expect(res.stderr).toBe('');
    const report = readReport(out);
    expect(report.windowing.rows_without_time).toEqual({ missing: 1, unparseable: 2 });
    const codes = report.warnings.map((w: any) => w.code);
    expect(codes).toContain('bad_timestamps');
    expect(report.warnings.find((w: any) => w.code === 'bad_timestamps').message).toBe(
      'column "Date" has 1 missing and 2 that are not ISO 8601 dates or date-times ("yesterday", "2022-02-30") timestamps; those rows are in the whole report but in no window',
    );
    expect(codes).toContain('empty_windows');
    expect(report.windows.reduce((n: number, w: any) => n + w.rows, 0)).toBe(297);
    const empty = report.windows.find((w: any) => w.rows === 0);
    expect(empty).toMatchObject({ judged: false, not_judged_reason: 'no rows', drift: null, tests: null });
  });

  it.each([
    [
      ['--window', '3x', '--timestamp', 'Date'],
      '--window "3x" is not a window size: use 1h, 6h, 1d, 7d, 1mo (calendar windows in UTC) or a row count such as 10000rows',
    ],
    [['--window', '5h', '--timestamp', 'Date'], '--window "5h": an hour window must divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)'],
    [['--window', '1d'], '--window 1d needs --timestamp <column> (or use a row count such as 10000rows)'],
    [['--window', '1d', '--timestamp', 'When'], 'fixtures/activities/activities_full.csv column "When": the --timestamp column is not in the file'],
    [
      ['--window', '1d', '--timestamp', 'Duration'],
      'fixtures/activities/activities_full.csv column "Duration": not a time column: it holds numbers, not ISO 8601 dates or date-times',
    ],
    [
      ['--window', '1d', '--timestamp', 'Type'],
      'fixtures/activities/activities_full.csv:line 2 column "Type": not a time column: cells such as "Running" are not ISO 8601 dates or date-times',
    ],
    [['--reference-range', '2021-01-01..2020-01-01', '--timestamp', 'Date'], '--reference-range "2021-01-01..2020-01-01": the start must be before the end'],
    [
      ['--reference-range', 'last week', '--timestamp', 'Date'],
      '--reference-range "last week" is not a period: use START..END with ISO dates or date-times, e.g. 2026-11-01..2026-11-15',
    ],
    [
      ['--reference-range', '2030-01-01..2031-01-01', '--timestamp', 'Date'],
      'fixtures/activities/activities_full.csv column "Date": no row has a timestamp in the --reference-range 2030-01-01T00:00:00.000Z .. 2031-01-01T00:00:00.000Z',
    ],
    [
      ['--reference-range', '2020-01-01..2031-01-01', '--timestamp', 'Date'],
      'fixtures/activities/activities_full.csv column "Date": every row is in the --reference-range: no current data is left',
    ],
    [
      ['--window', '1h', '--timestamp', 'Date'],
      '--window 1h cuts 2020-08-01T00:00:00.000Z .. 2022-09-04T00:00:00.000Z into more than 1000 windows; use a larger window',
    ],
    [['--gate-window', 'any'], '--gate-window needs --window <size>'],
  ])('%j is one clear error line', async (args, message) => {
    const res = await runCli(['report', '-c', LOG, ...(args.includes('--reference-range') ? [] : ['-r', LOG]), ...args, '-o', join(tempDir(), 'out')]);
    expect(res.stderr).toBe(`mlobs: error: ${message}\n`);
    expect(res.code).toBe(2);
  });
});

describe('window arithmetic (UTC calendar)', () => {
  const at = (s: string) => parseTimestamp(s);
  const iso = (t: number) => new Date(t).toISOString();
  it('parses ISO dates and date-times, offsets included, and nothing else', () => {
    expect(iso(at('2026-12-01'))).toBe('2026-12-01T00:00:00.000Z');
    expect(iso(at('2026-12-01 06:30'))).toBe('2026-12-01T06:30:00.000Z');
    expect(iso(at('2026-12-01T06:30:15.250+01:30'))).toBe('2026-12-01T05:00:15.250Z');
    expect(iso(at('2026-12-01T06:30:15-0500'))).toBe('2026-12-01T11:30:15.000Z');
    for (const bad of ['2026-02-30', '2026-13-01', '12/01/2026', '1764547200', '2026-12-01T25:00']) expect(at(bad)).toBeNaN();
  });
  it('aligns windows to the UTC day, ISO week and calendar month', () => {
    const start = (spec: string, t: string) => iso(windowStart(parseWindowSpec(spec) as any, at(t)));
    const end = (spec: string, t: string) => iso(windowEnd(parseWindowSpec(spec) as any, at(t)));
    expect(start('6h', '2026-12-03T17:59:59Z')).toBe('2026-12-03T12:00:00.000Z');
    expect(start('1d', '2026-12-03T17:59:59Z')).toBe('2026-12-03T00:00:00.000Z');
    expect(start('7d', '2026-12-03T17:59:59Z')).toBe('2026-11-30T00:00:00.000Z'); // a Monday
    expect(start('1w', '2026-11-30T00:00:00Z')).toBe('2026-11-30T00:00:00.000Z');
    expect(start('1mo', '2026-12-31T23:59:59Z')).toBe('2026-12-01T00:00:00.000Z');
    expect(start('3mo', '2026-12-31T23:59:59Z')).toBe('2026-10-01T00:00:00.000Z');
    expect(end('1mo', '2026-12-01')).toBe('2027-01-01T00:00:00.000Z');
    expect(end('1mo', '2026-02-01')).toBe('2026-03-01T00:00:00.000Z');
    expect(parseWindowSpec('10000rows')).toEqual({ kind: 'rows', n: 10000, text: '10000rows' });
    expect(parseRange('2026-11-01..2026-11-15T12:00Z')).toMatchObject({ start: at('2026-11-01'), end: at('2026-11-15T12:00Z') });
  });
});

describe('windows in the Prometheus textfile', () => {
  it('carries the latest complete window, as a run over that window would', async () => {
    const dir = tempDir();
    const textfiles = join(dir, 'textfile');
    const res = await runCli([
      'report',
      '-c',
      LOG,
      '--reference-range',
      RANGE,
      '--window',
      '1mo',
      '--min-window-rows',
      '30',
      ...COMMON,
      '-o',
      join(dir, 'out'),
      '--textfile-dir',
      textfiles,
      '--quiet',
    ]);
    expect(res.stderr).toBe('');
    const report = readReport(join(dir, 'out'));
    const latest = report.windows[report.windowing.latest_complete];
    expect(latest.start).toBe('2022-08-01T00:00:00.000Z');
    const text = expectValidTextfile(join(textfiles, 'mlobs_default.prom'));
    expect(sampleValue(text, 'mlobs_rows', { dataset: 'current' })).toBe(latest.rows);
    expect(sampleValue(text, 'mlobs_drifted_columns_ratio')).toBe(latest.drift.share_of_drifted_columns);
    expect(sampleValue(text, 'mlobs_tests', { status: 'fail' })).toBe(latest.tests.by_status.FAIL ?? 0);
  });
});

describe('windows on worker threads', () => {
  /** A seeded log big enough for worker threads: 60 days of 400 rows, a reference of 20 000 rows, one column drifting from day 40. */
  function writeLog(dir: string): { reference: string; current: string } {
    const random = mulberry32(7);
    const header = 'ts,a,b,c,d,kind';
    const row = (t: number, shift: number) => {
      const n = () => random() + random() + random();
      return [
        new Date(t).toISOString().slice(0, 19),
        (n() + shift).toFixed(4),
        n().toFixed(3),
        (10 * n()).toFixed(2),
        Math.floor(5 * random()),
        `k${Math.floor(4 * random() ** (1 + shift))}`,
      ].join(',');
    };
    const start = Date.UTC(2026, 9, 1);
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, `${header}\n${Array.from({ length: 20_000 }, (_, i) => row(start - 86_400_000 + i * 4000, 0)).join('\n')}\n`);
    const current = join(dir, 'current.csv');
    writeFileSync(current, `${header}\n${Array.from({ length: 24_000 }, (_, i) => row(start + i * 216_000, i >= 16_000 ? 0.3 : 0)).join('\n')}\n`);
    return { reference, current };
  }

  it('gives the same windows as one thread, and each equals its rows alone', async () => {
    const dir = tempDir();
    const { reference, current } = writeLog(dir);
    const args = ['report', '-r', reference, '-c', current, '--timestamp', 'ts', '--window', '1d', '--quiet'];
    // Worker threads start from compiled files: a real process over dist/.
    const [threads, single] = await Promise.all([
      spawnCli([...args, '-o', join(dir, 'threads')]),
      spawnCli([...args, '--no-parallel', '-o', join(dir, 'single')]),
    ]);
    expect(threads.stderr + single.stderr).toBe('');
    const [a, b] = [readReport(join(dir, 'threads')), readReport(join(dir, 'single'))];
    expect(a.windows).toHaveLength(60);
    expect(a.windows).toEqual(b.windows);
    // Column a moves by 0.3 from day 40 on: it drifts there every day, and before only by chance.
    const drifts = a.windows.map((w: any) => w.drift.columns.find((c: any) => c.column === 'a').drift_detected);
    expect(drifts.slice(0, 40).filter(Boolean).length).toBeLessThan(8);
    expect(drifts.slice(40).every(Boolean)).toBe(true);
    const lines = readFileSync(current, 'utf8').trimEnd().split('\n');
    const day = 45;
    const cur = join(dir, 'day.csv');
    writeFileSync(cur, `${lines[0]}\n${lines.slice(1 + day * 400, 1 + (day + 1) * 400).join('\n')}\n`);
    const alone = await runCli(['report', '-r', reference, '-c', cur, '--datetime', 'ts', '--quiet', '-o', join(dir, 'alone')]);
    expect(alone.stderr).toBe('');
    expect(windowHeadline(a.windows[day])).toEqual(headline(readReport(join(dir, 'alone'))));
  });
});

describe('windows in the terminal', () => {
  it('one line per window under the summary, then when drift began; --quiet prints nothing', async () => {
    const args = ['report', ...DRIFT_FROM_MAY_2022, ...COMMON];
    const res = await runCli([...args, '-o', join(tempDir(), 'out')]);
    expect(res.code).toBe(0);
    const lines = res.stdout.split('\n');
    const head = lines.indexOf('Windows (1mo by Date, reference 2020-08-01..2022-05-01): 5');
    expect(head).toBeGreaterThan(0);
    expect(lines.slice(head + 1, head + 7)).toEqual([
      '  2022-05  45 rows  4 of 8 columns drifted (DRIFT), 15 of 46 tests failed',
      '  2022-06  42 rows  2 of 8 columns drifted (DRIFT), 11 of 46 tests failed',
      '  2022-07  38 rows  2 of 8 columns drifted (DRIFT), 13 of 46 tests failed',
      '  2022-08  37 rows  not judged: only 37 rows (fewer than --min-window-rows 38)',
      '  2022-09   9 rows  not judged: only 9 rows (fewer than --min-window-rows 38)',
      'Drift began in window 2022-05 (2 windows ago); columns drifting in the last 3 windows: Duration (2/3), Type (2/3), Average Heart rate (tpm) (1/3), Calories Burned (1/3), Climb (m) (1/3), Quality (1/3)',
    ]);
    const quiet = await runCli([...args, '--quiet', '-o', join(tempDir(), 'out')]);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
  });
});

describe('windows over other sources', () => {
  it('a Parquet log gives the windows the same log as CSV gives', async () => {
    const dir = tempDir();
    const parquet = join(dir, 'log.parquet');
    await csvToParquet([[LOG, parquet]]);
    const args = ['--reference-range', RANGE, '--window', '1mo', '--min-window-rows', '30', ...COMMON, '--quiet'];
    const fromCsv = await runCli(['report', '-c', LOG, ...args, '-o', join(dir, 'csv')]);
    const fromParquet = await runCli(['report', '-c', parquet, ...args, '-o', join(dir, 'parquet')]);
    expect([fromCsv.code, fromCsv.stderr, fromParquet.code, fromParquet.stderr]).toEqual([0, '', 0, '']);
    const csvReport = readReport(join(dir, 'csv'));
    expect(csvReport.windows.length).toBeGreaterThan(1);
    expect(reportDifferences(csvReport, readReport(join(dir, 'parquet')))).toEqual([]);
  });

  it('with --source, row windows and --reference-range are one clear error line each', async () => {
    const source = ['report', '--source', 'duckdb:', '--reference-sql', 'SELECT 1 AS x', '--current-sql', 'SELECT 1 AS x', '--timestamp', 'x'];
    const rows = await runCli([...source, '--window', '100rows']);
    expect([rows.code, rows.stderr]).toEqual([
      2,
      "mlobs: error: --window 100rows needs the rows in order, which the engine's aggregates do not keep; with --source use a calendar window (1h, 6h, 1d, 7d, 1mo)\n",
    ]);
    const range = await runCli([...source, '--window', '1d', '--reference-range', '2026-01-01..2026-02-01']);
    expect([range.code, range.stderr]).toEqual([
      2,
      'mlobs: error: --reference-range cuts a period out of a file; with --source the reference period is the WHERE clause of --reference-sql\n',
    ]);
  });
});
