import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeNames, didYouMean } from '../src/suggest.js';
import { readReport, runCli, tempDir } from './helpers/cli.js';

const REF = 'fixtures/activities/reference.csv';
const CUR = 'fixtures/activities/current.csv';
const COLUMNS = ['Distance (km)', 'Quality', 'Climb (m)', 'Average Speed (km/h)', 'Calories Burned', 'Average Heart rate (tpm)'];

describe('closeNames', () => {
  it('finds another case, a name the typed one begins, and a few edits or a swap away; nothing for a stranger', () => {
    expect(closeNames('quality', COLUMNS)).toEqual(['Quality']);
    expect(closeNames('Climb', COLUMNS)).toEqual(['Climb (m)']);
    expect(closeNames('Qualty', COLUMNS)).toEqual(['Quality']);
    expect(closeNames('Qaulity', COLUMNS)).toEqual(['Quality']);
    expect(closeNames('regresion', ['regression', 'data_drift'])).toEqual(['regression']);
    expect(closeNames('Temperature', COLUMNS)).toEqual([]);
    expect(closeNames('a', ['b', 'c'])).toEqual(['b', 'c']);
  });

  it('words one or several candidates', () => {
    expect(didYouMean('Qualty', COLUMNS)).toBe('; did you mean "Quality"?');
    expect(didYouMean('x1', ['x2', 'x3'])).toBe('; did you mean "x2" or "x3"?');
    expect(didYouMean('Temperature', COLUMNS)).toBe('');
  });
});

async function error(args: string[]): Promise<string> {
  const r = await runCli(args);
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  return r.stderr;
}

describe('a mistyped name is answered with the close ones', () => {
  it('columns: --target, --per-column-stattest, --categorical', async () => {
    expect(await error(['report', '-r', REF, '-c', CUR, '--target', 'Qualty', '-o', tempDir()])).toMatch(
      /the target column is not in the file; did you mean "Quality"\?/,
    );
    expect(await error(['report', '-r', REF, '-c', CUR, '--per-column-stattest', 'Climb=psi', '-o', tempDir()])).toMatch(
      /"Climb", which is in neither file; did you mean "Climb \(m\)"\?/,
    );
    expect(await error(['report', '-r', REF, '-c', CUR, '--categorical', 'quality', '-o', tempDir()])).toMatch(/did you mean "Quality"\?/);
  });

  it('presets, stat tests and monitors', async () => {
    expect(await error(['report', '-r', REF, '-c', CUR, '--preset', 'regresion', '-o', tempDir()])).toMatch(
      /unknown preset "regresion"; did you mean "regression"\?/,
    );
    expect(await error(['report', '-r', REF, '-c', CUR, '--stattest', 'wasserstien', '-o', tempDir()])).toMatch(
      /unknown stat test "wasserstien" in --stattest; did you mean "wasserstein"\?/,
    );
    const dir = tempDir();
    const config = join(dir, 'mlobs.yaml');
    writeFileSync(config, `reference: ${REF}\ncurrent: ${CUR}\nmonitors:\n  - name: activities\n  - name: payments\n`);
    expect(await error(['report', '--config', config, '--monitor', 'activites', '-o', dir])).toMatch(
      /no monitor "activites" in the config file; did you mean "activities"\?/,
    );
  });

  it('stat test ids are accepted in any case and recorded as the canonical id', async () => {
    const dir = tempDir();
    const r = await runCli(['report', '-r', REF, '-c', CUR, '--stattest', 'KS', '--per-column-stattest', 'Quality=Psi', '-o', dir, '--quiet']);
    expect(r.stderr).toBe('');
    const report = readReport(dir);
    expect(new Set(report.drift.columns.map((c: { stattest: string }) => c.stattest))).toEqual(new Set(['ks', 'psi']));
  });
});
