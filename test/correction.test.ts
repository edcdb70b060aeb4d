import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adjustPValues, correctedThreshold, type Correction } from '../src/drift/correction.js';
import { FIXTURES, readReport, runCli, tempDir } from './helpers/cli.js';

/**
 * Expected values are statsmodels' multipletests (pvals_corrected) worked by hand for the small set, and
 * for the larger one computed once with numpy/scipy (scipy.stats.false_discovery_control for BH; the Holm
 * and Bonferroni formulas of statsmodels in numpy) and pasted here: the tests need neither.
 */
const SMALL = [0.01, 0.04, 0.03, 0.005];
const LARGE = [0.01, 0.04, 0.03, 0.005, 0.2, 0.0001, 0.049, 0.6, 0.03, 1.0];
const EXPECTED: Record<Correction, { small: number[]; large: number[] }> = {
  bonferroni: { small: [0.04, 0.16, 0.12, 0.02], large: [0.1, 0.4, 0.3, 0.05, 1.0, 0.001, 0.49, 1.0, 0.3, 1.0] },
  holm: { small: [0.03, 0.06, 0.06, 0.02], large: [0.08, 0.21, 0.21, 0.045, 0.6, 0.001, 0.21, 1.0, 0.21, 1.0] },
  bh: { small: [0.02, 0.04, 0.04, 0.02], large: [0.03333333333333333, 0.06666666666666667, 0.06, 0.025, 0.25, 0.001, 0.07, 0.6666666666666666, 0.06, 1.0] },
};

describe('adjusted p-values (statsmodels multipletests)', () => {
  for (const method of ['bonferroni', 'holm', 'bh'] as const) {
    it(method, () => {
      const small = adjustPValues(SMALL, method);
      small.adjusted.forEach((x, i) => expect(x).toBeCloseTo(EXPECTED[method].small[i], 12));
      expect(small.rank).toEqual([2, 4, 3, 1]);
      adjustPValues(LARGE, method).adjusted.forEach((x, i) => expect(x).toBeCloseTo(EXPECTED[method].large[i], 12));
    });
  }

  it('the per-rank thresholds: α/m, α/(m − rank + 1), rank·α/m', () => {
    expect(correctedThreshold('bonferroni', 0.05, 3, 4)).toBeCloseTo(0.0125, 15);
    expect(correctedThreshold('holm', 0.05, 3, 4)).toBeCloseTo(0.025, 15);
    expect(correctedThreshold('bh', 0.05, 3, 4)).toBeCloseTo(0.0375, 15);
  });

  it('rejections match the step-down and step-up procedures', () => {
    const rejected = (method: Correction) => adjustPValues(SMALL, method).adjusted.map((x) => x <= 0.05);
    expect(rejected('bonferroni')).toEqual([true, false, false, true]);
    expect(rejected('holm')).toEqual([true, false, false, true]);
    expect(rejected('bh')).toEqual([true, true, true, true]);
  });
});

describe('--correction', () => {
  // fixtures/explanations: four p-value columns (chi-square 0, K-S 0.0013, 0.042 and 0.79).
  const ARGS = ['report', '-r', join(FIXTURES, 'explanations', 'reference.csv'), '-c', join(FIXTURES, 'explanations', 'current.csv'), '--format', 'json,html'];

  it('off by default: no correction fields', async () => {
    const dir = tempDir();
    expect((await runCli([...ARGS, '-o', dir])).code).toBe(0);
    const report = readReport(dir);
    expect(report.options.correction).toBeUndefined();
    expect(report.drift.columns.every((c: { correction?: unknown }) => c.correction === undefined)).toBe(true);
    expect(report.drift.number_of_drifted_columns).toBe(3);
  });

  it('bonferroni: per-column thresholds in report.json, dataset drift from the corrected verdicts, shown in HTML and the terminal', async () => {
    const dir = tempDir();
    const r = await runCli([...ARGS, '--correction', 'bonferroni', '-o', dir]);
    expect(r.code, r.stderr).toBe(0);
    const report = readReport(dir);
    expect(report.options.correction).toBe('bonferroni');
    const basket = report.drift.columns.find((c: { column: string }) => c.column === 'basket');
    expect(basket.drift_detected).toBe(false);
    expect(basket.correction).toMatchObject({ method: 'bonferroni', family_size: 4, rank: 3, threshold: 0.0125, drift_detected_uncorrected: true });
    expect(basket.correction.adjusted_score).toBeCloseTo(4 * basket.score, 12);
    expect(basket.explanations.map((e: { code: string }) => e.code)).toEqual(['corrected_threshold']);
    expect(report.drift.number_of_drifted_columns).toBe(2);
    expect(report.drift.share_of_drifted_columns).toBe(0.5);
    expect(r.stdout).toMatch(/^basket +num +ks +0\.04234 +≤ 0\.0125 +300\/300 +ok\*$/m);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toContain('≤ 0.0125<span class="tokens">Bonferroni; uncorrected ≤ 0.05</span>');
    expect(html).toContain('after Bonferroni correction over 4 p-value columns the adjusted p-value 0.1694 is above the threshold 0.05');
  });

  it('holm and bh agree with their adjusted p-values; an unknown method is named', async () => {
    for (const method of ['holm', 'bh'] as const) {
      const dir = tempDir();
      expect((await runCli([...ARGS, '--correction', method, '-o', dir, '--quiet'])).code).toBe(0);
      const report = readReport(dir);
      const ps = report.drift.columns.map((c: { score: number }) => c.score);
      const { adjusted } = adjustPValues(ps, method);
      report.drift.columns.forEach((c: { correction: { adjusted_score: number } }, i: number) =>
        expect(c.correction.adjusted_score).toBeCloseTo(adjusted[i], 14),
      );
    }
    const bad = await runCli([...ARGS, '--correction', 'fdr', '-o', tempDir()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^mlobs: error: --correction must be one of .*bonferroni.*holm.*bh.*, got "fdr"\n$/);
  });
});
