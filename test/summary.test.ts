import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import type { CliIo } from '../src/console.js';
import { tempDir } from './helpers/cli.js';

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
    expect(stdout).toMatch(/^ {2}FAIL {3}The mean value of the column age is 27\.4\. The expected range is from 14\.7 to 23\.3$/m);
    expect(stdout).toMatch(/^ {2}\.\.\. and 12 more$/m);
    expect(stdout).toMatch(/^Model quality \(regression, reference → current\): RMSE 578\.9 → 837\.7 \(\+44\.7%, worse\), MAE 470\.1 → 646\.2 \(\+37\.5%, worse\)/m);
  });
});
