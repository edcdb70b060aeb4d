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

/** Evidently's ColumnCorrelationsMetric values (TargetDriftPreset) that differ in mlobs' target_drift section. */
function correlationMismatches(report: any, golden: any): { compared: number; mismatches: string[] } {
  const columns = new Map<string, any>((report.target_drift?.columns ?? []).map((c: any) => [c.column, c]));
  const mismatches: string[] = [];
  let compared = 0;
  for (const { metric, result } of golden.report_full.metrics) {
    if (metric !== 'ColumnCorrelationsMetric') continue;
    const mine = new Map<string, any>((columns.get(result.column_name)?.correlations ?? []).map((c: any) => [`${c.kind} ${c.feature}`, c]));
    for (const side of ['reference', 'current']) {
      for (const [kind, { values }] of Object.entries<any>(result[side])) {
        values.x.forEach((feature: string, i: number) => {
          compared++;
          const value = mine.get(`${kind} ${feature}`)?.[side];
          if (!same(value, values.y[i])) mismatches.push(`${result.column_name} ${side} ${kind} ${feature}: ${value} vs ${values.y[i]}`);
        });
      }
    }
  }
  return { compared, mismatches };
}

function expectAgreement(report: any, golden: any) {
  const quality = qualityMismatches(report, golden);
  expect(quality.compared).toBeGreaterThan(100);
  expect(quality.mismatches).toEqual([]);
  const correlations = correlationMismatches(report, golden);
  expect(correlations.mismatches).toEqual([]);
  return correlations.compared;
}

describe('data quality and target correlations against Evidently 0.4.40', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const out = tempDir();
      const res = await runCli(goldenArgs('report', dir, out));
      expect(res.code, res.stderr).toBe(0);
      const golden = readGolden(dir);
      const compared = expectAgreement(readReport(out), golden);
      expect(compared > 0).toBe(golden.report_full.metrics.some((m: any) => m.metric === 'ColumnCorrelationsMetric'));
    });
  }

  it('activities', async () => {
    const out = tempDir();
    const res = await runCli(activitiesArgs('report', out));
    expect(res.code, res.stderr).toBe(0);
    expect(expectAgreement(readReport(out), JSON.parse(readFileSync(ACTIVITIES_ORACLE, 'utf8')))).toBe(30);
  });
});
