import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeTo, readReport, runCli, tempDir } from './helpers/cli.js';
import { ACTIVITIES_ORACLE, activitiesArgs, goldenArgs, goldenCases, readGolden } from './helpers/golden.js';

interface GoldenColumn {
  column: string;
  type: 'num' | 'cat';
  stattest_id: string[];
  drift_score: number | string;
  threshold: number;
  drift_detected: boolean;
}

describe('golden datasets (Evidently 0.4.40): same test, same verdict, same score', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const golden = readGolden(dir);
      const out = tempDir();
      const res = await runCli(goldenArgs('report', dir, out));
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const report = readReport(out);
      const mine = new Map<string, any>(report.drift.columns.map((c: any) => [c.column, c]));
      expect([...mine.keys()].sort()).toEqual(golden.columns.map((c: GoldenColumn) => c.column).sort());
      for (const g of golden.columns as GoldenColumn[]) {
        const m = mine.get(g.column);
        expect({ column: g.column, type: m.type, stattest: m.stattest, threshold: m.threshold, drift: m.drift_detected }).toEqual({
          column: g.column,
          type: g.type,
          stattest: g.stattest_id[0],
          threshold: g.threshold,
          drift: g.drift_detected,
        });
        expect(closeTo(m.score, g.drift_score), `${g.column}: ${m.score} vs ${g.drift_score}`).toBe(true);
      }
      const d = golden.dataset_drift;
      expect(report.drift).toMatchObject({
        dataset_drift: d.dataset_drift,
        number_of_columns: d.number_of_columns,
        number_of_drifted_columns: d.number_of_drifted_columns,
        drift_share: d.drift_share,
      });
      expect(closeTo(report.drift.share_of_drifted_columns, d.share_of_drifted_columns)).toBe(true);
      for (const t of golden.target_drift) {
        const m = mine.get(t.column_name);
        expect(m.stattest_name).toBe(t.stattest_name);
        expect(closeTo(m.score, t.drift_score)).toBe(true);
      }
    });
  }
});

describe('activities (the seed project data) against its oracle', () => {
  it('reproduces the drift table and dataset drift', async () => {
    const oracle = JSON.parse(readFileSync(ACTIVITIES_ORACLE, 'utf8'));
    const out = tempDir();
    const res = await runCli(activitiesArgs('report', out));
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^🔴 TESTS FAILING: .* columns drifted/);
    const report = readReport(out);
    expect(report.drift).toMatchObject({
      dataset_drift: oracle.dataset_drift.dataset_drift,
      number_of_columns: oracle.dataset_drift.number_of_columns,
      number_of_drifted_columns: oracle.dataset_drift.number_of_drifted_columns,
    });
    for (const g of oracle.columns as GoldenColumn[]) {
      const m = report.drift.columns.find((c: any) => c.column === g.column);
      expect(m.stattest).toBe(g.stattest_id[0]);
      expect(m.drift_detected).toBe(g.drift_detected);
      expect(closeTo(m.score, g.drift_score), `${g.column}: ${m.score} vs ${g.drift_score}`).toBe(true);
    }
    expect(report.drift.columns[0]).toMatchObject({ column: 'Quality', role: 'target' });
    expect(report.inputs.reference).toMatchObject({ rows: 1000, columns: 6 });
    expect(report.inputs.reference.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
