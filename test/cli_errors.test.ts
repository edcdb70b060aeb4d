import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, spawnCli, tempDir } from './helpers/cli.js';

const REF = 'fixtures/activities/reference.csv';
const CUR = 'fixtures/activities/current.csv';

function files(contents: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Every user error: exit 2 (or 3 for output), exactly one line on stderr, no stack trace. */
async function expectError(args: string[], code: number, ...fragments: (string | RegExp)[]) {
  const res = await runCli(['report', ...args]);
  expect(res.code, res.stderr).toBe(code);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^mlobs: error: /);
  expect(res.stderr).not.toMatch(/\n\s+at /);
  for (const f of fragments) expect(lines[0]).toMatch(f);
  return res;
}

describe('bad input gives one clear line and exit 2', () => {
  it('missing file', async () => {
    await expectError(['-r', 'nope/ref.csv', '-c', CUR, '-o', tempDir()], 2, 'nope/ref.csv');
  });
  it('a directory instead of a file', async () => {
    const dir = tempDir();
    await expectError(['-r', dir, '-c', CUR, '-o', tempDir()], 2, dir);
  });
  it('empty file', async () => {
    const d = files({ 'e.csv': '' });
    await expectError(['-r', join(d, 'e.csv'), '-c', CUR, '-o', tempDir()], 2, 'e.csv', /empty/i);
  });
  it('header only', async () => {
    const d = files({ 'h.csv': 'a,b\n' });
    await expectError(['-r', join(d, 'h.csv'), '-c', CUR, '-o', tempDir()], 2, 'h.csv', /no data rows/i);
  });
  it('duplicate header names', async () => {
    const d = files({ 'd.csv': 'a,b,a\n1,2,3\n' });
    await expectError(['-r', join(d, 'd.csv'), '-c', CUR, '-o', tempDir()], 2, 'd.csv', /line 1/, /"a"/, /duplicate/i);
  });
  it('ragged row', async () => {
    const d = files({ 'r.csv': 'a,b\n1,2\n3\n4,5\n' });
    await expectError(['-r', join(d, 'r.csv'), '-c', CUR, '-o', tempDir()], 2, 'r.csv', /line 3/);
  });
  it('no common columns', async () => {
    const d = files({ 'a.csv': 'a,b\n1,2\n', 'b.csv': 'c,d\n1,2\n' });
    await expectError(['-r', join(d, 'a.csv'), '-c', join(d, 'b.csv'), '-o', tempDir()], 2, /no column name in common/);
  });
  it('named target absent', async () => {
    await expectError(['-r', REF, '-c', CUR, '--target', 'Score', '-o', tempDir()], 2, /"Score"/, /target/);
  });
  it('named prediction absent from one file', async () => {
    const d = files({ 'a.csv': 'x,p\n1,2\n', 'b.csv': 'x\n1\n' });
    await expectError(['-r', join(d, 'a.csv'), '-c', join(d, 'b.csv'), '--prediction', 'p', '-o', tempDir()], 2, 'b.csv', /"p"/);
  });
  it('unknown stat test', async () => {
    await expectError(['-r', REF, '-c', CUR, '--stattest', 'kolmogorov', '-o', tempDir()], 2, /unknown stat test "kolmogorov"/, /ks, chisquare/);
  });
  it('a per-column setting for a column no file has', async () => {
    await expectError(['-r', REF, '-c', CUR, '--per-column-stattest', 'Climb(m)=psi', '-o', tempDir()], 2, /--per-column-stattest names column "Climb\(m\)"/);
    await expectError(['-r', REF, '-c', CUR, '--per-column-threshold', 'Qualty=0.1', '-o', tempDir()], 2, /"Qualty", which is in neither file/);
  });
  it('unknown per-column stat test', async () => {
    await expectError(['-r', REF, '-c', CUR, '--per-column-stattest', 'Quality=foo', '-o', tempDir()], 2, /"foo"/);
  });
  it('threshold out of range', async () => {
    await expectError(['-r', REF, '-c', CUR, '--stattest-threshold', '-0.1', '-o', tempDir()], 2, /--stattest-threshold/);
    await expectError(['-r', REF, '-c', CUR, '--stattest', 'ks', '--stattest-threshold', '1.5', '-o', tempDir()], 2, /out of range/);
    await expectError(['-r', REF, '-c', CUR, '--stattest-threshold', 'abc', '-o', tempDir()], 2, /expects a number/);
  });
  it('a column named in --numerical that no file has', async () => {
    await expectError(['-r', REF, '-c', CUR, '--numerical', 'Speed', '-o', tempDir()], 2, /"Speed"/);
  });
  it('bad config file', async () => {
    const d = files({ 'c.yaml': 'drift:\n  drift_shar: 0.3\n', 'b.yaml': 'drift: [1, 2\n' });
    await expectError(['--config', join(d, 'c.yaml'), '-o', tempDir()], 2, 'c.yaml', /drift_shar/);
    await expectError(['--config', join(d, 'b.yaml'), '-o', tempDir()], 2, 'b.yaml', /YAML/);
  });
  it('missing --reference', async () => {
    await expectError(['-c', CUR], 2, /--reference/);
  });
  it('unknown flag or command: one line too', async () => {
    await expectError(['--refrence', REF], 2, /unknown option '--refrence'/);
    const res = await runCli(['reprot']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^mlobs: error: unknown command 'reprot' \(Did you mean report\?\) \(see --help\)\n$/);
  });
  it('an empty format list', async () => {
    await expectError(['-r', REF, '-c', CUR, '--format', '', '-o', tempDir()], 2, /no output format/);
  });
  it('one column as both target and prediction', async () => {
    await expectError(['-r', REF, '-c', CUR, '--target', 'Quality', '--prediction', 'Quality', '-o', tempDir()], 2, /both the target and a prediction/);
  });
});

describe('output safety', () => {
  it('unwritable output directory: exit 3, nothing computed', async () => {
    const d = files({ 'f.txt': 'x' });
    await expectError(['-r', REF, '-c', CUR, '-o', join(d, 'f.txt', 'sub')], 3, /f\.txt/);
  });
  it('a read-only output directory leaves the old report intact and no temp file', async () => {
    const out = tempDir();
    const first = await runCli(['report', '-r', REF, '-c', CUR, '-o', out]);
    expect(first.code).toBe(0);
    const before = readFileSync(join(out, 'report.json'), 'utf8');
    // root ignores permission bits, so make the target name a directory: rename onto it must fail.
    const blocked = tempDir();
    mkdirSync(join(blocked, 'report.json'));
    chmodSync(blocked, 0o755);
    await expectError(['-r', REF, '-c', CUR, '-o', blocked], 3, /report\.json/);
    expect(readdirSync(blocked)).toEqual(['report.json']);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
  });
});

describe('exit codes and reporting', () => {
  it('--fail-on drift exits 1 when the dataset drifts, 0 otherwise', async () => {
    const out = tempDir();
    const drifted = await spawnCli(['report', '-r', REF, '-c', CUR, '--target', 'Quality', '--fail-on', 'drift', '-o', out]);
    expect(drifted.code).toBe(1);
    const same = await spawnCli(['report', '-r', REF, '-c', REF, '--fail-on', 'drift', '-o', tempDir()]);
    expect(same.code).toBe(0);
  });
  it('an all-missing column gets its own error entry; the other columns are still scored', async () => {
    const d = files({ 'a.csv': 'x,y\n1,\n2,\n3,\n', 'b.csv': 'x,y\n1,\n5,\n6,\n' });
    const out = tempDir();
    const res = await runCli(['report', '-r', join(d, 'a.csv'), '-c', join(d, 'b.csv'), '-o', out]);
    expect(res.code).toBe(0);
    const report = readReport(out);
    expect(report.errors).toEqual([expect.objectContaining({ column: 'y', stage: 'drift', error_type: 'EmptyColumn' })]);
    expect(report.drift.columns.map((c: any) => c.column)).toEqual(['x']);
    expect(res.stdout).toMatch(/error: column "y" has no non-missing values/);
  });
  it('columns named after Object.prototype properties are ordinary columns', async () => {
    const d = files({ 'p.csv': `__proto__,constructor,toString,x\n${Array.from({ length: 30 }, (_, i) => `${i},${i % 4},${i % 3},${i}`).join('\n')}\n` });
    const out = tempDir();
    const res = await runCli(['report', '-r', join(d, 'p.csv'), '-c', join(d, 'p.csv'), '-o', out, '--per-column-threshold', 'constructor=0.2']);
    expect(res.code, res.stderr).toBe(0);
    const report = readReport(out);
    expect(report.drift.columns.map((c: any) => [c.column, c.threshold])).toEqual([
      ['__proto__', 0.05],
      ['constructor', 0.2],
      ['toString', 0.05],
      ['x', 0.05],
    ]);
  });
  it('values spanning the whole double range keep the report valid', async () => {
    const big = (sign: number) => Array.from({ length: 40 }, (_, i) => [1.7e308, -1.7e308, 0, 1e300][(i * sign) % 4 < 0 ? 0 : (i * sign) % 4]);
    const d = files({ 'a.csv': `x\n${big(1).join('\n')}\n`, 'b.csv': `x\n${big(3).join('\n')}\n` });
    const out = tempDir();
    const res = await runCli(['report', '-r', join(d, 'a.csv'), '-c', join(d, 'b.csv'), '-o', out]);
    expect(res.code, res.stderr).toBe(0);
    const dist = readReport(out).drift.columns[0].distribution;
    expect(dist.x.every((e: number) => Number.isFinite(e))).toBe(true);
    expect(dist.reference.reduce((a: number, b: number) => a + b, 0)).toBe(40);
  });
  it('--debug adds the stack to an error', async () => {
    const res = await runCli(['report', '-r', 'nope.csv', '-c', CUR, '-o', tempDir(), '--debug']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/\n\s+at /);
  });
  it('--help documents the exit codes', async () => {
    const res = await runCli(['report', '--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/Exit codes:/);
    expect(res.stdout).toMatch(/--per-column-stattest/);
  });
});
