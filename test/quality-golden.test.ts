import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closeTo, readReport, runCli, tempDir } from './helpers/cli.js';
import { ACTIVITIES_ORACLE, activitiesArgs, goldenArgs, goldenCases, readGolden } from './helpers/golden.js';

/** Counts and other integers exactly, other numbers to the goldens' relative 1e-6, anything else deeply. */
function same(mine: unknown, golden: unknown): boolean {
  if (typeof golden === 'number' && typeof mine === 'number') return Number.isInteger(golden) ? mine === golden : closeTo(mine, golden);
  return isDeepStrictEqual(mine, golden);
}

/** Every field of Evidently's data-quality metrics that differs in mlobs' report, as readable lines. */
function qualityMismatches(report: any, golden: any): { compared: number; mismatches: string[] } {
  const q = report.quality;
  const columns = new Map<string, any>(q.columns.map((c: any) => [c.column, c]));
  const mismatches: string[] = [];
  let compared = 0;
  const check = (where: string, mine: unknown, expected: unknown) => {
    compared++;
    if (!same(mine, expected)) mismatches.push(`${where}: ${JSON.stringify(mine)} vs ${JSON.stringify(expected)}`);
  };
  for (const { metric, result } of golden.report_full.metrics) {
    if (metric === 'ColumnSummaryMetric') {
      const mine = columns.get(result.column_name);
      check(`${result.column_name} type`, mine?.type, result.column_type);
      for (const [side, key] of [['reference', 'reference_characteristics'], ['current', 'current_characteristics']]) {
        for (const [field, value] of Object.entries(result[key])) check(`${result.column_name} ${side} ${field}`, mine?.[side][field], value);
      }
    } else if (metric === 'DatasetSummaryMetric' || metric === 'DatasetMissingValuesMetric') {
      for (const side of ['reference', 'current']) {
        const mine = metric === 'DatasetSummaryMetric' ? q[side] : q[side].missing_values;
        for (const [field, value] of Object.entries(result[side])) {
          if (['target', 'prediction', 'date_column', 'id_column'].includes(field)) continue;
          check(`${metric} ${side} ${field}`, mine[field], value);
        }
      }
    }
  }
  return { compared, mismatches };
}

describe('data quality against Evidently 0.4.40 (ColumnSummary, DatasetSummary, DatasetMissingValues)', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const out = tempDir();
      const res = await runCli(goldenArgs('report', dir, out));
      expect(res.code, res.stderr).toBe(0);
      const { compared, mismatches } = qualityMismatches(readReport(out), readGolden(dir));
      expect(compared).toBeGreaterThan(100);
      expect(mismatches).toEqual([]);
    });
  }

  it('activities', async () => {
    const out = tempDir();
    const res = await runCli(activitiesArgs('report', out));
    expect(res.code, res.stderr).toBe(0);
    const { compared, mismatches } = qualityMismatches(readReport(out), JSON.parse(readFileSync(ACTIVITIES_ORACLE, 'utf8')));
    expect(compared).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
  });
});
