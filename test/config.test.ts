import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, readReport, runCli, tempDir } from './helpers/cli.js';

describe('config file', () => {
  it('YAML config drives the run and flags override it key by key', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    writeFileSync(
      join(dir, 'mlobs.yaml'),
      [
        `reference: ${FIXTURES}/activities/reference.csv`,
        `current: ${FIXTURES}/activities/current.csv`,
        'columns:',
        '  target: Quality',
        '  task: regression',
        'drift:',
        '  stattest: wasserstein',
        '  per_column_stattest:',
        '    Climb (m): psi',
        '  drift_share: 0.9',
        `output:\n  dir: ${out}`,
      ].join('\n'),
    );
    const res = await runCli(['report', '--config', join(dir, 'mlobs.yaml'), '--drift-share', '0.25']);
    expect(res.code, res.stderr).toBe(0);
    const report = readReport(out);
    expect(report.drift.drift_share).toBe(0.25);
    expect(report.options.task).toBe('regression');
    const byName = Object.fromEntries(report.drift.columns.map((c: any) => [c.column, c]));
    expect(byName['Climb (m)']).toMatchObject({ stattest: 'psi', stattest_source: 'per_column' });
    expect(byName['Distance (km)']).toMatchObject({ stattest: 'wasserstein', stattest_source: 'global', score_kind: 'distance', drift_rule: 'ge' });
  });

  it('JSON config works too, and the threshold precedence is per-column > type > global > default', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'mlobs.json'),
      JSON.stringify({
        reference: join(FIXTURES, 'activities/reference.csv'),
        current: join(FIXTURES, 'activities/current.csv'),
        drift: { stattest_threshold: 0.01, num_stattest_threshold: 0.02, per_column_threshold: { Quality: 0.03 } },
      }),
    );
    const out = tempDir();
    const res = await runCli(['report', '--config', join(dir, 'mlobs.json'), '-o', out, '--per-column-threshold', 'Climb (m)=0.04']);
    expect(res.code, res.stderr).toBe(0);
    const byName = Object.fromEntries(readReport(out).drift.columns.map((c: any) => [c.column, c]));
    expect(byName.Quality.threshold).toBe(0.03);
    expect(byName['Climb (m)'].threshold).toBe(0.04);
    expect(byName['Distance (km)'].threshold).toBe(0.02);
  });
});
