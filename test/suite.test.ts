import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { approx, check, describeCondition } from '../src/suite/condition.js';
import { formatFloat, formatG, formatPrecision } from '../src/suite/format.js';
import { readReport, runCli, tempDir } from './helpers/cli.js';
import { GOLDEN_DATASETS } from './helpers/golden.js';

describe("Python's number formatting in descriptions", () => {
  it("formats like format(x, '.3g')", () => {
    const cases: [number, string][] = [
      [0.19149999999999998 * 0.1, '0.0192'], // not a tie: the double is above the midpoint
      [0.8085 * 0.1, '0.0809'],
      [1311, '1.31e+03'],
      [1000, '1e+03'],
      [1e-12, '1e-12'],
      [0.021052631578947368, '0.0211'],
      [30.000000000000004, '30'],
      [0.00001234, '1.23e-05'],
      [0, '0'],
      [NaN, 'nan'],
    ];
    for (const [x, want] of cases) expect(formatG(x), String(x)).toBe(want);
    // Exact ties round to even, as Python does (JavaScript's toPrecision rounds them up).
    expect(formatG(0.125, 2)).toBe('0.12');
    expect(formatG(0.375, 2)).toBe('0.38');
  });

  it("formats like format(x, '.3') and str(x)", () => {
    expect([374.19263157894727, 31.2529169208048, 1, 99.96].map((x) => formatPrecision(x))).toEqual(['3.74e+02', '31.3', '1.0', '1e+02']);
    expect([3522, 0.05, 1e-5, 1e16, 95.679].map(formatFloat)).toEqual(['3522.0', '0.05', '1e-05', '1e+16', '95.679']);
  });
});

describe('conditions', () => {
  it('compares with approx as Evidently does: equality within the tolerance, orderings against its edges', () => {
    const a = approx(100, 0.1);
    expect([89, 90, 110, 111].map((x) => check({ eq: a }, x))).toEqual([false, true, true, false]);
    expect([check({ lt: a }, 90), check({ lt: a }, 89.9), check({ lte: a }, 110), check({ gt: a }, 110), check({ gte: a }, 90)]).toEqual([false, true, true, false, true]);
    expect(check({ gte: 1, lt: 3, not_in: [2] }, 2)).toBe(false);
    expect(check({ is_in: [1, 2] }, 2)).toBe(true);
    expect(describeCondition({ eq: approx(94, 0.1), lt: 0.3 })).toBe('eq=94 ± 9.4 and lt=0.3');
    expect(describeCondition({ lte: 1311, is_in: ['a', 1] })).toBe("lte=1311 and is_in=['a', 1]");
  });
});

const BIRTHWT = join(GOLDEN_DATASETS, 'birthwt_maternal_age_split_regression');
const birthwt = (reference: string, current: string) => [
  '--reference', join(BIRTHWT, reference), '--current', join(BIRTHWT, current),
  '--numerical', 'age,lwt,race,smoke,ptl,ht,ui,ftv', '--target', 'bwt', '--prediction', 'prediction', '--task', 'regression',
];

function config(yaml: string): string {
  const path = join(tempDir(), 'mlobs.yaml');
  writeFileSync(path, yaml);
  return path;
}

const byId = (report: any, id: string, column?: string) => report.tests.tests.filter((t: any) => t.id === id && (column === undefined || t.column === column));

describe('mlobs test and the tests: config', () => {
  it('applies user conditions, adds tests outside the presets and downgrades non-critical failures', async () => {
    const cfg = config(`
tests:
  presets: [data_quality, regression]
  conditions:
    - test: number_of_rows
      gte: 90
    - test: value_mae
      lte: { approx: 600, relative: 0.1 }
    - test: most_common_value_share
      critical: false
    - test: most_common_value_share
      column: age
      lt: 0.5
`);
    const out = tempDir();
    const res = await runCli(['test', ...birthwt('reference.csv', 'current.csv'), '--config', cfg, '-o', out]);
    expect(res.code, res.stderr).toBe(1);
    const report = readReport(out);
    expect(report.tests.presets).toEqual(['data_quality', 'regression']);
    expect(byId(report, 'number_of_rows')[0]).toMatchObject({ status: 'SUCCESS', condition: { gte: 90 }, condition_source: 'user', description: 'The number of rows is 95. The test threshold is gte=90.' });
    // 646 <= 600 + 60: the user's approx bound passes where the default (470 ± 47) fails.
    expect(byId(report, 'value_mae')[0]).toMatchObject({ status: 'SUCCESS', condition: { lte: { value: 600, relative: 0.1, absolute: 1e-12 } } });
    expect(byId(report, 'most_common_value_share', 'bwt')[0]).toMatchObject({ status: 'WARNING', critical: false, condition_source: 'default' });
    // The entry for one column wins over the one for all columns, condition and criticality alike.
    expect(byId(report, 'most_common_value_share', 'age')[0]).toMatchObject({ status: 'SUCCESS', critical: true, condition: { lt: 0.5 } });
    expect(report.tests.summary.by_status.WARNING).toBeGreaterThan(0);
    expect(res.stdout).toMatch(/^WARNING Share of the Most Common Value \[bwt\]/m);
  });

  it('offers one-sided defaults: a model better than its reference passes', async () => {
    // Reference and current swapped: the model is now much better on "current" than on "reference".
    const two = tempDir();
    const one = tempDir();
    const args = birthwt('current.csv', 'reference.csv');
    await runCli(['test', ...args, '--preset', 'regression', '-o', two]);
    const res = await runCli(['test', ...args, '--preset', 'regression', '--one-sided', '-o', one]);
    expect(byId(readReport(two), 'value_mae')[0]).toMatchObject({ status: 'FAIL', condition: { eq: { value: 646.2263157894736, relative: 0.1 } } });
    const mae = byId(readReport(one), 'value_mae')[0];
    expect(mae).toMatchObject({ status: 'SUCCESS', condition_source: 'one_sided', condition: { lte: { value: 646.2263157894736, relative: 0.1 } } });
    expect(mae.description).toBe('The MAE is 4.7e+02. The test threshold is lte=646 ± 64.6');
    expect(readReport(one).tests.defaults).toBe('one_sided');
    // The mean error has no reference to be better than: it stays two-sided around 0 and still fails.
    expect(res.code).toBe(1);
  });

  it('gates: test exits 0 when all pass, report only with --fail-on tests', async () => {
    const same = ['--reference', 'fixtures/activities/reference.csv', '--current', 'fixtures/activities/reference.csv'];
    const pass = await runCli(['test', ...same, '-o', tempDir()]);
    expect(pass.code, pass.stdout).toBe(0);
    expect(pass.stdout).toMatch(/^🟢 OK: 0 of \d+ tests failed; 0 of \d+ columns drifted .*\nTests: passed: \d+ passed, 0 failed/);
    const args = birthwt('reference.csv', 'current.csv');
    expect((await runCli(['report', ...args, '-o', tempDir(), '--quiet'])).code).toBe(0);
    expect((await runCli(['report', ...args, '-o', tempDir(), '--quiet', '--fail-on', 'tests'])).code).toBe(1);
    expect((await runCli(['test', ...args, '-o', tempDir(), '--quiet', '--fail-on', 'never'])).code).toBe(0);
  });

  it('rejects conditions a test cannot take, naming the entry', async () => {
    const cfg = config('tests:\n  conditions:\n    - test: column_drift\n      column: age\n      lt: 0.1\n');
    const res = await runCli(['test', ...birthwt('reference.csv', 'current.csv'), '--config', cfg, '-o', tempDir()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/tests: column_drift \(column "age"\): this test has its own rule and takes no condition/);
    const unknown = await runCli(['test', ...birthwt('reference.csv', 'current.csv'), '--config', config('tests:\n  conditions:\n    - test: no_such_test\n'), '-o', tempDir()]);
    expect(unknown.code).toBe(2);
  });
});
