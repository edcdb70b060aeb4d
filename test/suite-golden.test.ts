import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closeTo, readReport, runCli, tempDir } from './helpers/cli.js';
import { ACTIVITIES_ORACLE, activitiesArgs, goldenArgs, goldenCases, readGolden } from './helpers/golden.js';

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

describe('test suites against Evidently 0.4.40: same tests, statuses, values, conditions and descriptions', () => {
  for (const { name, dir } of goldenCases()) {
    it(name, async () => {
      const out = tempDir();
      const res = await runCli(goldenArgs('test', dir, out));
      // Every golden suite has failing tests, so `mlobs test` gates.
      expect(res.code, res.stderr).toBe(1);
      expect(res.stdout).toContain('Tests: FAILED');
      expectSameTests(readReport(out), readGolden(dir));
    });
  }

  it('activities', async () => {
    const out = tempDir();
    const res = await runCli(activitiesArgs('test', out));
    expect(res.code, res.stderr).toBe(1);
    expectSameTests(readReport(out), JSON.parse(readFileSync(ACTIVITIES_ORACLE, 'utf8')));
  });
});
