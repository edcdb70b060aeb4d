import { describe, expect, it } from 'vitest';
import golden from '../fixtures/golden/stattests.json' with { type: 'json' };
import { STAT_TESTS, findStatTest, isDrift } from '../src/drift/registry.js';
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

  it('drift rules treat NaN as no drift and respect equality', () => {
    for (const rule of ['lt', 'le', 'ge', 'gt'] as const) expect(isDrift(rule, NaN, 0.1)).toBe(false);
    expect(isDrift('le', 0.05, 0.05)).toBe(true);
    expect(isDrift('lt', 0.05, 0.05)).toBe(false);
    expect(isDrift('ge', 0.1, 0.1)).toBe(true);
    expect(isDrift('gt', 0.1, 0.1)).toBe(false);
  });

  describe('golden battery through the registry: score, verdict, error kind', () => {
    for (const c of golden.cases) {
      it(`${c.id}: ${c.description}`, () => {
        const test = findStatTest(c.stattest)!;
        expect(test.displayName).toBe(c.display_name);
        if (c.threshold_is_default) expect(test.defaultThreshold).toBe(c.threshold);
        const sample = sampleFromArrays(c.feature_type as 'num' | 'cat', c.reference as (string | number)[], c.current as (string | number)[]);
        if ('error' in c && c.error && !SOUND_INSTEAD_OF_ERROR.has(c.id)) {
          let thrown: unknown;
          try { test.fn(sample); } catch (e) { thrown = e; }
          expect(thrown).toBeInstanceOf(StatTestError);
          expect(`${(thrown as StatTestError).pythonType}:`).toBe(String(c.error).split(' ')[0]);
          return;
        }
        if (SOUND_INSTEAD_OF_ERROR.has(c.id)) return;
        const { score } = test.fn(sample);
        const x = c as { score: number | string; drift_detected: boolean; rng_dependent?: boolean; extra?: Record<string, unknown> };
        if (c.stattest === 'TVD') {
          // mlobs compares permuted TVDs in exact integer arithmetic (docs/compatibility.md).
          expect(closeTo(score, x.extra!.pvalue_exact_arithmetic as number)).toBe(true);
          return;
        }
        expect(closeTo(scoreToJson(score), x.score), `${score} vs ${x.score}`).toBe(true);
        expect(isDrift(test.rule, score, c.threshold)).toBe(x.drift_detected);
      });
    }
  });
});
