import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { closeTo, readReport, runCli, tempDir, type CliResult } from './helpers/cli.js';
import { ACTIVITIES_ORACLE, activitiesArgs, goldenArgs, goldenCases, readGolden } from './helpers/golden.js';

// Each golden case goes through the CLI once (`mlobs test`, whose report.json also holds the drift, quality
// and target sections); the drift, quality and suite checks below all read that one run.
const runs = new Map<string, Promise<{ res: CliResult; report: any }>>();
function cliRun(key: string, args: (out: string) => string[]): Promise<{ res: CliResult; report: any }> {
  let run = runs.get(key);
  if (!run) {
    const out = tempDir();
    run = runCli(args(out)).then((res) => ({ res, report: res.code === 0 || res.code === 1 ? readReport(out) : undefined }));
    runs.set(key, run);
  }
  return run;
}
const goldenRun = (dir: string) => cliRun(dir, (out) => goldenArgs('test', dir, out));
const activitiesRun = (command: 'report' | 'test') => cliRun(command, (out) => activitiesArgs(command, out));
const activitiesOracle = JSON.parse(readFileSync(ACTIVITIES_ORACLE, 'utf8'));

interface GoldenColumn {
  column: string;
  type: 'num' | 'cat';
  stattest_id: string[];
  drift_score: number | string;
  threshold: number;
  drift_detected: boolean;
}

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

const BY_CLASS = new Set(['Precision Score by Class', 'Recall Score by Class']);

/** Evidently's tests carry their column in `column_name` or, for some, only in the description (**col**). */
function goldenKey(t: any): string {
  const about = BY_CLASS.has(t.name) ? String(t.parameters.label) : (t.parameters.column_name ?? /\*\*(.+?)\*\*/.exec(t.description)?.[1] ?? '');
  return `${t.name} [${about}]`;
}

const mineKey = (t: any) => `${t.name} [${t.label !== null ? String(t.label) : (t.column ?? '')}]`;

/** The value Evidently's test reports, wherever that test keeps it (Column Types and the drift share keep none). */
function goldenValue(t: any): number | undefined {
  if (t.name === 'Drift per Column') return t.parameters.score;
  if (t.name === 'Mean Value Stability') return t.parameters.current_mean;
  return t.parameters.value;
}

function sameCondition(mine: any, golden: any): boolean {
  return Object.entries<any>(golden).every(([op, bound]) =>
    typeof bound === 'object' ? ['value', 'relative', 'absolute'].every((k) => closeTo(mine?.[op]?.[k], bound[k])) : closeTo(mine?.[op], bound),
  );
}

/**
 * Evidently prints a most common value unrounded in this test's description, mlobs the 5-decimal value of
 * the column summary (docs/compatibility.md); every other description must be identical.
 */
function sameDescription(mine: string, golden: string): boolean {
  if (mine === golden) return true;
  const value = /is (-?[\d.]+)\. Its share/;
  const [m, g] = [value.exec(mine), value.exec(golden)];
  return !!m && !!g && Number(m[1]) === Math.round(Number(g[1]) * 1e5) / 1e5 && mine.replace(value, '') === golden.replace(value, '');
}

function expectSameTests(report: any, golden: any) {
  const mine = new Map<string, any>(report.tests.tests.map((t: any) => [mineKey(t), t]));
  expect([...mine.keys()].sort()).toEqual(golden.tests.map(goldenKey).sort());
  const problems: string[] = [];
  for (const g of golden.tests) {
    const key = goldenKey(g);
    const m = mine.get(key);
    if (m.status !== g.status) problems.push(`${key}: status ${m.status} vs ${g.status}`);
    if (!sameDescription(m.description, g.description)) problems.push(`${key}: "${m.description}" vs "${g.description}"`);
    const value = goldenValue(g);
    const mv = g.name === 'Drift per Column' ? m.parameters.score : m.value;
    if (value !== undefined && !closeTo(mv, value)) problems.push(`${key}: value ${mv} vs ${value}`);
    if (g.parameters.condition && !sameCondition(m.condition, g.parameters.condition)) problems.push(`${key}: condition ${JSON.stringify(m.condition)} vs ${JSON.stringify(g.parameters.condition)}`);
  }
  expect(problems).toEqual([]);
  expect(report.tests.summary).toEqual(golden.tests_summary);
}

describe('golden datasets (Evidently 0.4.40): same test, same verdict, same score', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const golden = readGolden(dir);
      const { res, report } = await goldenRun(dir);
      expect(res.stderr).toBe('');
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

describe('data quality and target correlations against Evidently 0.4.40', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const golden = readGolden(dir);
      const { report } = await goldenRun(dir);
      const compared = expectAgreement(report, golden);
      expect(compared > 0).toBe(golden.report_full.metrics.some((m: any) => m.metric === 'ColumnCorrelationsMetric'));
    });
  }
});

describe('test suites against Evidently 0.4.40: same tests, statuses, values, conditions and descriptions', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const { res, report } = await goldenRun(dir);
      // Every golden suite has failing tests, so `mlobs test` gates.
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain('Tests: FAILED');
      expectSameTests(report, readGolden(dir));
    });
  }
});

describe('activities (the seed project data) against its oracle', () => {
  it('reproduces the drift table and dataset drift', async () => {
    const oracle = activitiesOracle;
    const { res, report } = await activitiesRun('report');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^🔴 TESTS FAILING: .* columns drifted/);
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

  it('data quality and target correlations', async () => {
    expect(expectAgreement((await activitiesRun('report')).report, activitiesOracle)).toBe(30);
  });

  it('test suite', async () => {
    const { res, report } = await activitiesRun('test');
    expect(res.code, res.stderr).toBe(1);
    expectSameTests(report, activitiesOracle);
  });

  it('mlobs report and mlobs test write the same report.json but for the run timing', async () => {
    const [a, b] = [(await activitiesRun('report')).report, (await activitiesRun('test')).report];
    expect({ ...a, run: undefined }).toEqual({ ...b, run: undefined });
  });
});
