import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import golden from '../fixtures/golden/stattests.json' with { type: 'json' };
import { STAT_TESTS, STAT_TEST_IDS, findStatTest, isDrift } from '../src/drift/registry.js';
import { sampleFromArrays } from '../src/stats/sample.js';
import { StatTestError } from '../src/stats/errors.js';
import { scoreToJson } from '../src/report/model.js';
import { closeTo } from './helpers/cli.js';

// Where mlobs deliberately does the sound thing instead of raising (docs/compatibility.md).
const SOUND_INSTEAD_OF_ERROR = new Set(['fisher_exact-04', 'g_test-02']);

describe('stat test registry', () => {
  it('has every Evidently 0.4.40 drift test with its drift rule', () => {
    expect(STAT_TESTS.map((t) => t.id).sort()).toEqual(Object.keys(golden.drift_rule).sort());
    const symbol = { lt: '<', le: '<=', ge: '>=', gt: '>' } as const;
    for (const t of STAT_TESTS) expect(`score ${symbol[t.rule]} threshold`).toBe((golden.drift_rule as Record<string, string>)[t.id]);
  });

  // One file per Evidently id, so `ls` finds a test by the name users type; ids are matched case-insensitively,
  // so TVD lives in tvd.ts. The only other files are helpers shared by several tests (docs/architecture.md).
  it('has one file named after each stat-test id and no other file but the shared helpers', () => {
    const helpers = ['binning', 'goodness_of_fit'];
    const files = readdirSync(new URL('../src/stats/stattests/', import.meta.url))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => f.slice(0, -'.ts'.length));
    expect(files.filter((f) => !helpers.includes(f)).sort()).toEqual(STAT_TEST_IDS.map((id) => id.toLowerCase()).sort());
  });

  it('drift rules treat NaN as no drift and respect equality', () => {
    for (const rule of ['lt', 'le', 'ge', 'gt'] as const) expect(isDrift(rule, NaN, 0.1)).toBe(false);
    expect(isDrift('le', 0.05, 0.05)).toBe(true);
    expect(isDrift('lt', 0.05, 0.05)).toBe(false);
    expect(isDrift('ge', 0.1, 0.1)).toBe(true);
    expect(isDrift('gt', 0.1, 0.1)).toBe(false);
  });

  // The scores and errors of all 191 cases are checked once, in test/stats/numeric.test.ts and categorical.test.ts,
  // against the implementations; here each case checks what the registry adds: name, default threshold and drift
  // rule (applied to Evidently's own score), and one scored case per id shows the id is wired to its implementation.
  describe('golden battery through the registry: name, default threshold, verdict', () => {
    for (const c of golden.cases) {
      it(`${c.id}: ${c.description}`, () => {
        const test = findStatTest(c.stattest)!;
        expect(test.displayName).toBe(c.display_name);
        if (c.threshold_is_default) expect(test.defaultThreshold).toBe(c.threshold);
        const x = c as { score: number | string | null; drift_detected: boolean | null };
        if (x.score === null || c.stattest === 'TVD') return;
        expect(isDrift(test.rule, typeof x.score === 'string' ? Number(x.score) : x.score, c.threshold)).toBe(x.drift_detected);
      });
    }
  });

  it('each id runs its own implementation: the first scored golden case of each gives the golden score', () => {
    const first = new Map<string, (typeof golden.cases)[number]>();
    for (const c of golden.cases) {
      const x = c as { score: number | string | null; error?: string };
      if (!first.has(c.stattest) && x.score !== null && !x.error && c.stattest !== 'TVD' && !SOUND_INSTEAD_OF_ERROR.has(c.id)) first.set(c.stattest, c);
    }
    expect(first.size).toBe(STAT_TESTS.length - 1);
    for (const c of first.values()) {
      const { score } = findStatTest(c.stattest)!.fn(sampleFromArrays(c.feature_type as 'num' | 'cat', c.reference, c.current));
      expect(closeTo(scoreToJson(score), (c as { score: number | string }).score), c.id).toBe(true);
    }
    const tvd = golden.cases.find((c) => c.stattest === 'TVD' && !('error' in c && c.error))!;
    const { score } = findStatTest('TVD')!.fn(sampleFromArrays(tvd.feature_type as 'num' | 'cat', tvd.reference, tvd.current));
    // mlobs compares permuted TVDs in exact integer arithmetic (docs/compatibility.md).
    expect(score).toBe((tvd as { extra: { pvalue_exact_arithmetic: number } }).extra.pvalue_exact_arithmetic);
  });

  it('an error keeps its Python exception type', () => {
    const errors = golden.cases.filter((c) => 'error' in c && c.error && !SOUND_INSTEAD_OF_ERROR.has(c.id));
    for (const id of new Set(errors.map((c) => c.stattest))) {
      const c = errors.find((e) => e.stattest === id)!;
      let thrown: unknown;
      try {
        findStatTest(id)!.fn(sampleFromArrays(c.feature_type as 'num' | 'cat', c.reference, c.current));
      } catch (e) {
        thrown = e;
      }
      expect(thrown, c.id).toBeInstanceOf(StatTestError);
      expect(`${(thrown as StatTestError).pythonType}:`).toBe(String((c as { error: string }).error).split(' ')[0]);
    }
  });
});
