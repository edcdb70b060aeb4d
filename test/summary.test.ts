import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import { terminalStyle, type CliIo } from '../src/console.js';
import { runCli, tempDir } from './helpers/cli.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

async function capture(args: string[], color: boolean) {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

const ARGS = ['report', '-r', 'fixtures/activities/reference.csv', '-c', 'fixtures/activities/current.csv', '--target', 'Quality', '--no-parallel'];

describe('terminal summary', () => {
  it('sorts drifted columns first, most severe first, and has no colour off a terminal', async () => {
    const { code, stdout } = await capture([...ARGS, '-o', tempDir()], false);
    expect(code).toBe(0);
    expect(stdout).not.toMatch(/\u001b\[/);
    const table = stdout.split('\n').filter((l) => / (DRIFT|ok)$/.test(l));
    expect(table.map((l) => l.split(/\s{2,}/)[0])).toEqual([
      'Distance (km)',
      'Quality (target)',
      'Climb (m)',
      'Average Speed (km/h)',
      'Calories Burned',
      'Average Heart rate (tpm)',
    ]);
    // The run status leads: failed critical tests outrank dataset drift, and the counts of both are there.
    expect(stdout.split('\n')[0]).toMatch(/^🔴 TESTS FAILING: \d+ of \d+ tests failed; 3 of 6 columns drifted \(50%; dataset drift at 50%\)$/);
    expect(stdout).toMatch(/^column +type +test +score +drift if +n ref\/cur +drift$/m);
    expect(stdout).toMatch(/^Distance \(km\) +num +ks +9\.05e-7 +≤ 0\.05 +1000\/50 +DRIFT$/m);
  });

  it('colours the status and drifted rows on a terminal', async () => {
    const { stdout } = await capture([...ARGS, '-o', tempDir()], true);
    expect(stdout).toMatch(/^\u001b\[1;31m🔴 TESTS FAILING: /);
    expect(stdout).toMatch(/\u001b\[31mDistance \(km\)/);
  });

  it('adds the failed tests and the model-quality change when the report has them', async () => {
    const dir = 'fixtures/golden/datasets/birthwt_maternal_age_split_regression';
    const { code, stdout } = await capture(
      ['report', '-r', `${dir}/reference.csv`, '-c', `${dir}/current.csv`, '--target', 'bwt', '--prediction', 'prediction', '--task', 'regression', '--no-parallel', '-o', tempDir()],
      false,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Tests: 22 of 57 failed \(35 SUCCESS, 22 FAIL\)$/m);
    // Most important first: the dataset's drift, then the model, then single columns (their scores as the table shows them).
    const failed = stdout.split('\n').filter((l) => l.startsWith('  FAIL'));
    expect(failed[0]).toBe('  FAIL   The drift is detected for 30% features (3 out of 10). The test threshold is lt=0.3');
    // Python's "3.74e+02" is written as our rule writes numbers.
    expect(failed[1]).toBe('  FAIL   The ME is 374. The test threshold is eq=0 ± 75.3.');
    expect(failed).toContain('  FAIL   The drift score (K-S p_value) for age is 4.41e-56; drift if ≤ 0.05.');
    expect(failed).toContain('  FAIL   The drift score (chi-square p_value) for ptl is < 1e-300; drift if < 0.05.');
    expect(stdout).toMatch(/^ {2}\.\.\. and 12 more$/m);
    expect(stdout).toMatch(/^Model quality \(regression, reference → current\):\n {2}RMSE 578\.9 → 837\.7 \(\+44\.7%, worse\)\n {2}MAE 470\.1 → 646\.2 \(\+37\.5%, worse\)/m);
  });

  it('fits 80 columns: long names are cut with an ellipsis, the verdict column stays, also piped with COLUMNS', async () => {
    const dir = tempDir();
    const long = ['a customer lifetime value estimate from the quarterly finance model', 'days since the last support ticket was opened by this account', 'plan'];
    const rows = (shift: number) => Array.from({ length: 60 }, (_, i) => `${i + shift},${(i * 7) % 13},${i % 3 ? 'basic' : 'pro'}`);
    writeFileSync(join(dir, 'ref.csv'), [long.map((n) => `"${n}"`).join(','), ...rows(0)].join('\n'));
    writeFileSync(join(dir, 'cur.csv'), [long.map((n) => `"${n}"`).join(','), ...rows(40)].join('\n'));
    const args = ['report', '-r', join(dir, 'ref.csv'), '-c', join(dir, 'cur.csv'), '-o', dir];
    let stdout = '';
    const io: CliIo = { stdout: (t) => void (stdout += t), stderr: () => undefined, color: true, width: 80 };
    expect(await run(args, io)).toBe(0);
    const visible = stdout.replace(/\u001b\[[\d;]*m/g, '').split('\n');
    expect(visible.filter((l) => [...l].length > 80)).toEqual([]);
    const table = visible.filter((l) => / (DRIFT|ok)$/.test(l));
    expect(table).toHaveLength(3);
    expect(table[0]).toMatch(/^a customer lifetime value est… +num +ks +\S+ +≤ 0\.05 +60\/60 +DRIFT$/);

    // Piped output is cut to COLUMNS too.
    let narrow = '';
    expect(await run(args, { stdout: (t) => void (narrow += t), stderr: () => undefined, ...terminalStyle({ COLUMNS: '60' }, { isTTY: false }) })).toBe(0);
    expect(narrow.split('\n').filter((l) => [...l].length > 60)).toEqual([]);
    expect(narrow).toMatch(/… .* DRIFT$/m);
  });

  it('colour and width: FORCE_COLOR wins over NO_COLOR and a pipe, COLUMNS over the terminal', () => {
    expect(terminalStyle({ FORCE_COLOR: '1', NO_COLOR: '1' }, { isTTY: false })).toEqual({ color: true, width: undefined });
    expect(terminalStyle({ FORCE_COLOR: '0' }, { isTTY: true, columns: 120 })).toEqual({ color: false, width: 120 });
    expect(terminalStyle({ NO_COLOR: '1' }, { isTTY: true })).toEqual({ color: false, width: undefined });
    expect(terminalStyle({ COLUMNS: '80' }, { isTTY: true, columns: 200 })).toEqual({ color: true, width: 80 });
  });

  it('--quiet with a tripped gate still says why, in one line on stderr', async () => {
    const r = await runCli([...ARGS, '-o', tempDir(), '--quiet', '--fail-on', 'drift']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('mlobs: --fail-on drift: dataset drift detected, 3 of 6 columns drifted (50%; dataset drift at 50%)\n');
    const t = await runCli(['test', ...ARGS.slice(1), '-o', tempDir(), '--quiet']);
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/^mlobs: --fail-on tests: \d+ of \d+ tests failed, most important: Share of Drifted Columns\n$/);
  });
});
