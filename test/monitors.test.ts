import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readReport, runCli, tempDir } from './helpers/cli.js';
import { expectValidTextfile, sampleValue } from './helpers/prom.js';

/** A config file with `monitors:`: activities drifts, requests does not. */
function config(extra: string[] = [], monitors?: string[]): { path: string; out: string; textfiles: string } {
  const dir = tempDir();
  const out = join(dir, 'out');
  const textfiles = join(dir, 'textfile');
  const lines = [
    `output:\n  dir: ${out}`,
    `prometheus:\n  textfile_dir: ${textfiles}`,
    'columns:',
    '  target: Quality',
    '  task: regression',
    ...extra,
    'monitors:',
    ...(monitors ?? [
      '  - name: activities',
      `    reference: ${FIXTURES}/activities/reference.csv`,
      `    current: ${FIXTURES}/activities/current.csv`,
      '  - name: requests',
      `    reference: ${FIXTURES}/activities/activities_full.csv`,
      `    current: ${FIXTURES}/activities/requests_sample.csv`,
      '    columns:',
      '      categorical: [Type]',
      '      id: [Activity ID]',
      '    drift:',
      '      stattest_threshold: 0.01',
    ]),
  ];
  const path = join(dir, 'mlobs.yaml');
  writeFileSync(path, lines.join('\n'));
  return { path, out, textfiles };
}

describe('several monitors in one config', () => {
  it('runs every monitor into its own subdirectory and textfile, top-level keys as defaults', async () => {
    const c = config();
    const res = await runCli(['report', '--config', c.path]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^Monitor activities\n🔴 TESTS FAILING: .*; 3 of 6 columns drifted/);
    // The id column's most-common-value share is judged (it was an ERROR for want of a summary), and fails.
    expect(res.stdout).toMatch(/\n\nMonitor requests\n🔴 TESTS FAILING: 11 of 48 tests failed; 0 of 8 columns drifted/);
    expect(readdirSync(c.out).sort()).toEqual(['activities', 'requests']);
    expect(readdirSync(c.textfiles).sort()).toEqual(['mlobs_activities.prom', 'mlobs_requests.prom']);

    const activities = readReport(join(c.out, 'activities'));
    const requests = readReport(join(c.out, 'requests'));
    expect(activities.options.task).toBe('regression');
    expect(requests.options.task).toBe('regression');
    expect(requests.options.stattest_threshold).toBe(0.01);
    expect(activities.options.stattest_threshold).toBeNull();
    expect(requests.columns.find((col: any) => col.name === 'Activity ID').role).toBe('id');

    const a = expectValidTextfile(join(c.textfiles, 'mlobs_activities.prom'));
    const r = expectValidTextfile(join(c.textfiles, 'mlobs_requests.prom'));
    expect(sampleValue(a, 'mlobs_dataset_drift_detected', { monitor: 'activities' })).toBe(1);
    expect(sampleValue(r, 'mlobs_dataset_drift_detected', { monitor: 'requests' })).toBe(0);
    // node_exporter merges the files of all monitors only if every family has the same HELP text in each.
    const help = (text: string) => text.split('\n').filter((l) => l.startsWith('# HELP'));
    expect(help(r)).toEqual(help(a));
  });

  it('--monitor runs only the one named; an unknown name lists the known ones', async () => {
    const c = config();
    const res = await runCli(['report', '--config', c.path, '--monitor', 'requests', '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(c.out)).toEqual(['requests']);
    expect(readdirSync(c.textfiles)).toEqual(['mlobs_requests.prom']);

    const bad = await runCli(['report', '--config', c.path, '--monitor', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('mlobs: error: no monitor "nope" in the config file; its monitors: activities, requests\n');
  });

  it('one monitor failing does not stop the others; the exit code is the worst of them', async () => {
    const c = config(['fail_on: drift'], [
      '  - name: broken',
      `    reference: ${FIXTURES}/activities/missing.csv`,
      `    current: ${FIXTURES}/activities/current.csv`,
      '  - name: activities',
      `    reference: ${FIXTURES}/activities/reference.csv`,
      `    current: ${FIXTURES}/activities/current.csv`,
    ]);
    const res = await runCli(['report', '--config', c.path, '--quiet']);
    expect(res.code).toBe(2);
    // --quiet still says why the other monitor's gate tripped, in one line.
    expect(res.stderr).toMatch(/^mlobs: error: monitor "broken": \/.*\/fixtures\/activities\/missing\.csv: .*\nmlobs: monitor "activities": --fail-on drift: dataset drift detected, .*\n$/);
    expect(existsSync(join(c.out, 'activities', 'report.json'))).toBe(true);
    const broken = expectValidTextfile(join(c.textfiles, 'mlobs_broken.prom'));
    const activities = expectValidTextfile(join(c.textfiles, 'mlobs_activities.prom'));
    expect(sampleValue(broken, 'mlobs_last_run_success')).toBe(0);
    expect(sampleValue(activities, 'mlobs_last_run_success')).toBe(1);

    // Without the broken monitor, the drift gate decides.
    const gate = await runCli(['report', '--config', c.path, '--monitor', 'activities', '--quiet']);
    expect(gate.code).toBe(1);
  });

  it('a single run is named by `monitor:` in the config or --monitor, else "default"', async () => {
    const dir = tempDir();
    const path = join(dir, 'mlobs.yaml');
    writeFileSync(path, ['monitor: shop', `reference: ${FIXTURES}/activities/reference.csv`, `current: ${FIXTURES}/activities/current.csv`, `output:\n  dir: ${join(dir, 'out')}`].join('\n'));
    const textfiles = join(dir, 'textfile');
    expect((await runCli(['report', '--config', path, '--textfile-dir', textfiles, '--quiet'])).code).toBe(0);
    expect((await runCli(['report', '--config', path, '--textfile-dir', textfiles, '--monitor', 'fraud', '--quiet'])).code).toBe(0);
    expect(readdirSync(textfiles).sort()).toEqual(['mlobs_fraud.prom', 'mlobs_shop.prom']);
    // A single run keeps writing straight into the output directory, as before monitors existed.
    expect(existsSync(join(dir, 'out', 'report.json'))).toBe(true);
    const plain = await runCli(['report', '-r', 'fixtures/activities/reference.csv', '-c', 'fixtures/activities/current.csv', '-o', tempDir(), '--textfile-dir', textfiles, '--quiet']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(readdirSync(textfiles)).toContain('mlobs_default.prom');
  });

  it('monitor names must be unique and usable in file names', async () => {
    const dup = config([], ['  - name: a', '    reference: x.csv', '  - name: a', '    reference: y.csv']);
    const res = await runCli(['report', '--config', dup.path]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/monitors: monitor names must be unique/);

    const slash = config([], ['  - name: a/b', '    reference: x.csv']);
    const bad = await runCli(['report', '--config', slash.path]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/monitors\.0\.name: use letters, digits/);
    expect((await runCli(['report', '--monitor', '../x', '-r', 'a.csv', '-c', 'b.csv'])).stderr).toMatch(/--monitor: use letters/);
  });
});
