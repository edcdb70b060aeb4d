import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, readReport, runCli, tempDir } from './helpers/cli.js';
import { expectValidTextfile, familyNames, sampleValue } from './helpers/prom.js';

const REF = 'fixtures/activities/reference.csv';
const CUR = 'fixtures/activities/current.csv';
const ACTIVITIES = ['-r', REF, '-c', CUR, '--target', 'Quality', '--task', 'regression'];

const FAMILIES = [
  'mlobs_build_info',
  'mlobs_last_run_timestamp_seconds',
  'mlobs_last_success_timestamp_seconds',
  'mlobs_last_run_success',
  'mlobs_run_duration_seconds',
  'mlobs_run_status',
  'mlobs_rows',
  'mlobs_dataset_drift_detected',
  'mlobs_compared_columns',
  'mlobs_drifted_columns',
  'mlobs_drifted_columns_ratio',
  'mlobs_dataset_drift_threshold_ratio',
  'mlobs_column_errors',
  'mlobs_omitted_columns',
  'mlobs_drift_score',
  'mlobs_drift_threshold',
  'mlobs_drift_detected',
  'mlobs_missing_ratio',
  'mlobs_dataset_missing_ratio',
  'mlobs_rows_with_missing_ratio',
  'mlobs_duplicated_rows',
  'mlobs_constant_columns',
  'mlobs_empty_columns',
  'mlobs_tests',
  'mlobs_test_failed',
  'mlobs_omitted_tests',
];

const BIRTHWT = 'fixtures/golden/datasets/birthwt_maternal_age_split_regression';
const REGRESSION = ['-r', `${BIRTHWT}/reference.csv`, '-c', `${BIRTHWT}/current.csv`, '--target', 'bwt', '--prediction', 'prediction', '--task', 'regression'];

describe('Prometheus textfile output', () => {
  it('--format prom writes metrics.prom beside the report and --textfile-dir the same text as mlobs_<monitor>.prom', async () => {
    const out = tempDir();
    const textfiles = tempDir();
    const res = await runCli(['report', ...ACTIVITIES, '-o', out, '-f', 'json,prom', '--textfile-dir', textfiles, '--monitor', 'activities']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(join(textfiles, 'mlobs_activities.prom'));
    const text = expectValidTextfile(join(out, 'metrics.prom'));
    expect(readFileSync(join(textfiles, 'mlobs_activities.prom'), 'utf8')).toBe(text);
    expect(readdirSync(textfiles)).toEqual(['mlobs_activities.prom']);
    expect([...familyNames(text)]).toEqual(FAMILIES);

    const report = readReport(out);
    const m = { monitor: 'activities' };
    expect(sampleValue(text, 'mlobs_build_info', { ...m, version: report.run.mlobs_version })).toBe(1);
    expect(sampleValue(text, 'mlobs_last_run_success', m)).toBe(1);
    expect(sampleValue(text, 'mlobs_last_run_timestamp_seconds', m)).toBe(Date.parse(report.run.finished_at) / 1000);
    expect(sampleValue(text, 'mlobs_last_success_timestamp_seconds', m)).toBe(Date.parse(report.run.finished_at) / 1000);
    expect(sampleValue(text, 'mlobs_run_duration_seconds', m)).toBe(report.run.timings.total_s);
    // The run status as a state set: the report's status 1, the other three 0; failing tests are never ok.
    expect(report.status.code).toBe('tests_failing');
    for (const status of ['ok', 'drift', 'tests_failing', 'error']) {
      expect(sampleValue(text, 'mlobs_run_status', { ...m, status }), status).toBe(Number(status === report.status.code));
    }
    expect(sampleValue(text, 'mlobs_rows', { ...m, dataset: 'reference' })).toBe(1000);
    expect(sampleValue(text, 'mlobs_rows', { ...m, dataset: 'current' })).toBe(50);
    expect(sampleValue(text, 'mlobs_dataset_drift_detected', m)).toBe(1);
    expect(sampleValue(text, 'mlobs_compared_columns', m)).toBe(6);
    expect(sampleValue(text, 'mlobs_drifted_columns', m)).toBe(3);
    expect(sampleValue(text, 'mlobs_drifted_columns_ratio', m)).toBe(0.5);
    expect(sampleValue(text, 'mlobs_dataset_drift_threshold_ratio', m)).toBe(0.5);
    expect(sampleValue(text, 'mlobs_column_errors', m)).toBe(0);
    expect(sampleValue(text, 'mlobs_omitted_columns', m)).toBe(0);
    for (const c of report.drift.columns) {
      const labels = { ...m, column: c.column, role: c.role, stattest: c.stattest, score_kind: c.score_kind };
      expect(sampleValue(text, 'mlobs_drift_score', labels), c.column).toBe(c.score);
      expect(sampleValue(text, 'mlobs_drift_threshold', labels), c.column).toBe(c.threshold);
      expect(sampleValue(text, 'mlobs_drift_detected', labels), c.column).toBe(Number(c.drift_detected));
      expect(sampleValue(text, 'mlobs_missing_ratio', { ...m, column: c.column, dataset: 'current' }), c.column).toBe(0);
    }
    for (const dataset of ['reference', 'current'] as const) {
      const q = report.quality![dataset];
      const d = { ...m, dataset };
      expect(sampleValue(text, 'mlobs_dataset_missing_ratio', d)).toBe(q.missing_values.share_of_missing_values);
      expect(sampleValue(text, 'mlobs_rows_with_missing_ratio', d)).toBe(q.missing_values.share_of_rows_with_missing_values);
      expect(sampleValue(text, 'mlobs_duplicated_rows', d)).toBe(q.number_of_duplicated_rows);
      expect(sampleValue(text, 'mlobs_constant_columns', d)).toBe(q.number_of_constant_columns);
      expect(sampleValue(text, 'mlobs_empty_columns', d)).toBe(q.number_of_empty_columns);
    }

    // Every status is a series, 0 included, and every test has a failed flag (35 tests, under the cap of 50).
    const suite = report.tests!;
    for (const status of ['FAIL', 'ERROR', 'WARNING', 'SUCCESS']) {
      expect(sampleValue(text, 'mlobs_tests', { ...m, status: status.toLowerCase() }), status).toBe(suite.summary.by_status[status] ?? 0);
    }
    expect(suite.summary.failed_tests).toBeGreaterThan(0);
    for (const t of suite.tests) {
      const labels = { ...m, test: t.id, column: t.column ?? '', class: '' };
      expect(sampleValue(text, 'mlobs_test_failed', labels), `${t.id} ${t.column}`).toBe(Number(t.status === 'FAIL'));
    }
    expect(sampleValue(text, 'mlobs_omitted_tests', m)).toBe(0);
  });

  it('model quality is exported per metric and dataset, MAPE as a ratio; without a prediction there is none', async () => {
    const out = tempDir();
    const res = await runCli(['report', ...REGRESSION, '-o', out, '-f', 'json,prom', '--monitor', 'birthwt']);
    expect(res.code, res.stderr).toBe(0);
    const text = expectValidTextfile(join(out, 'metrics.prom'));
    const quality = readReport(out).model_quality!.regression!;
    const metrics = ['r2_score', 'rmse', 'mean_error', 'mean_abs_error', 'abs_error_max', 'error_std'] as const;
    for (const dataset of ['reference', 'current'] as const) {
      const side = quality[dataset]!;
      const labels = (metric: string) => ({ monitor: 'birthwt', metric, dataset });
      for (const metric of metrics) expect(sampleValue(text, 'mlobs_model_quality', labels(metric)), metric).toBe(side[metric]);
      expect(sampleValue(text, 'mlobs_model_quality', labels('mean_abs_perc_error'))).toBeCloseTo((side.mean_abs_perc_error as number) / 100, 12);
    }
    expect(text.match(/^mlobs_model_quality\{/gm)).toHaveLength(2 * (metrics.length + 1));

    const none = tempDir();
    expect((await runCli(['report', ...ACTIVITIES, '-o', none, '-f', 'prom'])).code).toBe(0);
    expect(familyNames(expectValidTextfile(join(none, 'metrics.prom'))).has('mlobs_model_quality')).toBe(false);
  });

  it('files are mode 0644 whatever the umask, and no temp file is left behind', () => {
    const out = tempDir();
    const textfiles = tempDir();
    const args = ['report', ...ACTIVITIES, '-o', out, '-f', 'prom', '--textfile-dir', textfiles, '--quiet'].map((a) => `'${a}'`).join(' ');
    const res = spawnSync('sh', ['-c', `umask 077 && exec '${process.execPath}' '${BIN}' ${args}`], { encoding: 'utf8' });
    expect(res.status, res.stderr).toBe(0);
    expect(readdirSync(textfiles)).toEqual(['mlobs_default.prom']);
    for (const file of [join(out, 'metrics.prom'), join(textfiles, 'mlobs_default.prom')]) {
      expect(statSync(file).mode & 0o777, file).toBe(0o644);
      expectValidTextfile(file);
    }
  });

  it('column names with quotes, backslashes, newlines and non-ASCII are escaped label values', async () => {
    const dir = tempDir();
    const header = 'plain,"quote "" back \\ slash","multi\nline",ünïcode';
    const rows = (shift: number) => Array.from({ length: 60 }, (_, i) => [0, 1, 2, 3].map((j) => ((i * (j + 3)) % 17) + shift).join(','));
    writeFileSync(join(dir, 'ref.csv'), [header, ...rows(0)].join('\n'));
    writeFileSync(join(dir, 'cur.csv'), [header, ...rows(5)].join('\n'));
    const res = await runCli(['report', '-r', join(dir, 'ref.csv'), '-c', join(dir, 'cur.csv'), '-o', dir, '-f', 'prom', '--monitor', 'odd.names-1']);
    expect(res.code, res.stderr).toBe(0);
    const text = expectValidTextfile(join(dir, 'metrics.prom'));
    expect(text).toContain('column="quote \\" back \\\\ slash"');
    expect(text).toContain('column="multi\\nline"');
    expect(text).toContain('column="ünïcode"');
    expect(text).toContain('monitor="odd.names-1"');
  });

  it('--prom-max-columns keeps the target first, then the most drifted columns, and counts the rest', async () => {
    const out = tempDir();
    const res = await runCli(['report', ...ACTIVITIES, '-o', out, '-f', 'prom', '--prom-max-columns', '2']);
    expect(res.code, res.stderr).toBe(0);
    const text = expectValidTextfile(join(out, 'metrics.prom'));
    const columns = (name: string) => [...text.matchAll(new RegExp(`^${name}\\{.*column="([^"]*)"`, 'gm'))].map((m) => m[1]);
    expect(columns('mlobs_drift_score')).toEqual(['Quality', 'Distance (km)']);
    expect(columns('mlobs_drift_detected')).toEqual(['Quality', 'Distance (km)']);
    expect(new Set(columns('mlobs_missing_ratio'))).toEqual(new Set(['Quality', 'Distance (km)']));
    expect(sampleValue(text, 'mlobs_omitted_columns')).toBe(4);

    const none = tempDir();
    expect((await runCli(['report', ...ACTIVITIES, '-o', none, '-f', 'prom', '--prom-max-columns', '0'])).code).toBe(0);
    const bare = expectValidTextfile(join(none, 'metrics.prom'));
    expect(familyNames(bare).has('mlobs_drift_score')).toBe(false);
    expect(sampleValue(bare, 'mlobs_omitted_columns')).toBe(6);
    expect(familyNames(bare).has('mlobs_test_failed')).toBe(false);
    expect(sampleValue(bare, 'mlobs_tests', { status: 'fail' })).toBe(12);
  });

  it('the cap keeps failed tests first and counts the rest', async () => {
    const out = tempDir();
    const res = await runCli(['report', ...REGRESSION, '-o', out, '-f', 'json,prom', '--prom-max-columns', '25']);
    expect(res.code, res.stderr).toBe(0);
    const text = expectValidTextfile(join(out, 'metrics.prom'));
    const { summary } = readReport(out).tests!;
    expect(summary.total_tests).toBeGreaterThan(25);
    expect(summary.failed_tests).toBeLessThan(25);
    const flags = [...text.matchAll(/^mlobs_test_failed\{.*\} (\d)$/gm)].map((m) => Number(m[1]));
    expect(flags).toHaveLength(25);
    expect(flags.filter((f) => f === 1)).toHaveLength(summary.failed_tests);
    expect(flags.indexOf(0)).toBe(summary.failed_tests);
    expect(sampleValue(text, 'mlobs_omitted_tests')).toBe(summary.total_tests - 25);
  });

  it('a failed run records success 0 and its time, keeping the last success and the last results', async () => {
    const textfiles = tempDir();
    const file = join(textfiles, 'mlobs_shop.prom');
    const ok = await runCli(['report', ...ACTIVITIES, '-o', tempDir(), '--textfile-dir', textfiles, '--monitor', 'shop', '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
    const before = expectValidTextfile(file);
    const m = { monitor: 'shop' };
    const lastSuccess = sampleValue(before, 'mlobs_last_success_timestamp_seconds', m)!;

    const failed = await runCli(['report', '-r', 'nope/ref.csv', '-c', CUR, '-o', tempDir(), '--textfile-dir', textfiles, '--monitor', 'shop']);
    expect(failed.code).toBe(2);
    expect(failed.stderr.trimEnd().split('\n')).toHaveLength(1);
    const after = expectValidTextfile(file);
    expect(sampleValue(after, 'mlobs_last_run_success', m)).toBe(0);
    expect(sampleValue(after, 'mlobs_run_status', { ...m, status: 'error' })).toBe(1);
    expect(sampleValue(after, 'mlobs_run_status', { ...m, status: 'tests_failing' })).toBe(0);
    expect(sampleValue(after, 'mlobs_last_success_timestamp_seconds', m)).toBe(lastSuccess);
    expect(sampleValue(after, 'mlobs_last_run_timestamp_seconds', m)).toBeGreaterThan(lastSuccess);
    const carried = (text: string) => text.split('\n').filter((l) => /^mlobs_(rows|drift|dataset|drifted|missing|compared|tests|test_failed)/.test(l));
    expect(carried(after)).toEqual(carried(before));
    expect(familyNames(after)).toEqual(familyNames(before));
    expect(readdirSync(textfiles)).toEqual(['mlobs_shop.prom']);
  });

  it('a first run that fails exports last success 0, so the stale-report alert fires', async () => {
    const textfiles = tempDir();
    const res = await runCli(['report', '-r', REF, '-c', CUR, '--stattest', 'nope', '--textfile-dir', textfiles, '-o', tempDir()]);
    expect(res.code).toBe(2);
    const text = expectValidTextfile(join(textfiles, 'mlobs_default.prom'));
    expect([...familyNames(text)]).toEqual(FAMILIES.slice(0, 6));
    expect(sampleValue(text, 'mlobs_run_status', { monitor: 'default', status: 'error' })).toBe(1);
    expect(sampleValue(text, 'mlobs_last_success_timestamp_seconds')).toBe(0);
    expect(sampleValue(text, 'mlobs_last_run_success')).toBe(0);
  });

  it('an unwritable textfile directory is an output error (exit 3)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), '');
    const res = await runCli(['report', ...ACTIVITIES, '-o', tempDir(), '--textfile-dir', join(dir, 'file', 'sub')]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^mlobs: error: cannot create output directory .*file\/sub/m);
  });
});
