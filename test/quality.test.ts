import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultOf } from '../src/settings/index.js';
import { DEFAULT_NA_VALUES } from '../src/io/csv/index.js';
import { analyze } from '../src/pipeline.js';
import { numericCorrelation } from '../src/quality/correlations.js';
import { REPLAYED_TIES_MAX_ROWS } from '../src/quality/profile.js';
import { npArgsortLast, pandasMostCommonIndex } from '../src/stats/numeric/npsort.js';
import { parse } from './csv/helpers.js';
import { readReport, runCli, tempDir } from './helpers/cli.js';

const DEFAULT_DRIFT_SHARE = defaultOf('report', 'drift.drift_share') as number;

async function quality(reference: string, current: string, roles = {}) {
  const report = await analyze(await parse(reference), await parse(current), {
    roles,
    drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: DEFAULT_DRIFT_SHARE },
    naValues: DEFAULT_NA_VALUES,
    parallel: false,
  });
  return report.quality!;
}

const column = (q: Awaited<ReturnType<typeof quality>>, name: string) => q.columns.find((c) => c.column === name)!;

describe('column summary', () => {
  it('keeps infinities in the statistics, as pandas describe() does', async () => {
    const q = await quality('x,k\n1,a\n2,a\ninf,a\n,a\n4,a\n', 'x,k\n-inf,a\n3,a\n5,a\n9,a\n');
    const x = column(q, 'x');
    expect(x.reference).toMatchObject({ number_of_rows: 5, count: 4, missing: 1, missing_percentage: 20, infinite_count: 1, mean: 'inf', std: 'nan', min: 1, max: 'inf', p50: 3 });
    expect(x.current).toMatchObject({ min: '-inf', max: 9, infinite_count: 1 });
    // Out of [1, inf]: -inf and nothing else; the +inf reference maximum admits every large value.
    expect(x.out_of_range).toEqual({ left: 1, right: 'inf', count: 1, total: 4, share: 0.25 });
  });

  it('counts the missing value as a value of its own for the most common one', async () => {
    const q = await quality('c,k\na,1\n,1\n,1\nb,1\n', 'c,k\nb,1\na,1\n,1\nz,1\n', { categorical: ['c'] });
    const c = column(q, 'c');
    expect(c.reference).toMatchObject({ most_common: 'nan', most_common_percentage: 50, unique: 2 });
    // Three values tie at one; with so few values numpy's sort keeps pandas' first-seen order.
    expect(c.current).toMatchObject({ most_common: 'b', new_in_current_values_count: 1, unused_in_current_values_count: 0 });
    // Every missing current row is out of the reference list, and so is "z".
    expect(c.out_of_list).toEqual({ count: 2, total: 4, share: 0.5 });
  });

  it('settles ties on big sides by first appearance', async () => {
    // 10 values seen once, then 50,000 values seen three times each: 150,010 rows, past the replay limit.
    const once = Array.from({ length: 10 }, (_, i) => 1e6 + i);
    const thrice = Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 50_000);
    const dir = tempDir();
    const file = join(dir, 'big.csv');
    writeFileSync(file, `x,k\n${[...once, ...thrice, ...thrice, ...thrice].map((x) => `${x},a`).join('\n')}\n`);
    expect(150_010).toBeGreaterThan(REPLAYED_TIES_MAX_ROWS);
    const res = await runCli(['report', '-r', file, '-c', file, '-o', dir, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const x = readReport(dir).quality.columns.find((c: any) => c.column === 'x');
    expect(x.reference).toMatchObject({ most_common: thrice[0], most_common_percentage: 0, unique: 50_010 });
  });

  it('settles ties among many values on big sides by first appearance too', async () => {
    // Missing and once-seen values first, then 70,000 values seen twice each (more tied values than are listed).
    const once = Array.from({ length: 5 }, (_, i) => 1e6 + i);
    const twice = Array.from({ length: 70_000 }, (_, i) => ((i * 7919) % 70_000) / 8);
    const dir = tempDir();
    const file = join(dir, 'big.csv');
    writeFileSync(file, `x,k\n,a\n${[...once, ...twice, ...twice].map((x) => `${x},a`).join('\n')}\n`);
    const res = await runCli(['report', '-r', file, '-c', file, '-o', dir, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const x = readReport(dir).quality.columns.find((c: any) => c.column === 'x');
    expect(x.reference).toMatchObject({ most_common: twice[0], unique: 70_005 });
  });

  it('new and unused values count a missing value only when the other side has none', async () => {
    const q = await quality('c,k\na,1\nb,1\n', 'c,k\na,1\n,1\n', { categorical: ['c'] });
    expect(column(q, 'c').current).toMatchObject({ new_in_current_values_count: 1, unused_in_current_values_count: 1 });
  });
});

describe('dataset summary', () => {
  it('finds duplicated and empty rows, missing equal to missing', async () => {
    const q = await quality('a,b\n1,x\n1,x\n,\n2,\n2,\n,\n', 'a,b\n1,x\n2,y\n');
    expect(q.reference).toMatchObject({ number_of_rows: 6, number_of_duplicated_rows: 3, number_of_empty_rows: 2, number_of_missing_values: 6 });
    expect(q.reference.missing_values).toMatchObject({ number_of_rows_with_missing_values: 4, columns_with_missing_values: ['a', 'b'] });
    expect(q.current.number_of_duplicated_rows).toBe(0);
  });

  it('pairs duplicated columns only when their pandas types agree', async () => {
    const rows = Array.from({ length: 20 }, (_, i) => `${i},${i},${i}.5,${i === 0 ? 99 : i},${i === 0 ? '' : i}`);
    const q = await quality(`a,b,c,d,e\n${rows.join('\n')}\n`, 'a,b,c,d,e\n1,1,1,1,1\n');
    // a = b; d differs from a in 1 of 20 rows (exactly 95%); e is float64 (a missing cell), so never paired with a.
    expect(q.reference).toMatchObject({ number_of_duplicated_columns: 1, number_of_almost_duplicated_columns: 3 });
    expect(q.reference.columns_type).toEqual({ a: 'int64', b: 'int64', c: 'float64', d: 'int64', e: 'float64' });
    expect(q.reference).toMatchObject({ number_of_constant_columns: 0, number_of_empty_columns: 0 });
  });

  it('sees every column of the file, ignored ones too', async () => {
    const q = await quality('a,id\n1,k\n1,k\n', 'a,id\n2,k\n', { ignore: ['id'] });
    expect(q.reference).toMatchObject({ number_of_columns: 2, number_of_constant_columns: 2, number_of_almost_constant_columns: 2, number_of_numeric_columns: 1 });
    expect(q.columns.map((c) => c.column)).toEqual(['a']);
  });
});

describe("numpy's quicksort tie-breaking", () => {
  it('leaves last what numpy 1.24 argsort leaves last', () => {
    // Expected indices from a line-by-line port of npysort/quicksort.cpp run to completion.
    expect(npArgsortLast([3, 1, 3, 2, 3])).toBe(4);
    expect(npArgsortLast(new Array(17).fill(1))).toBe(16);
    expect(npArgsortLast(Array.from({ length: 300 }, (_, i) => (i * 7919) % 5))).toBe(231);
  });

  it('picks the value pandas value_counts() lists first', () => {
    // Counts in first-seen order; with few keys the earliest of the tied maxima wins.
    expect(pandasMostCommonIndex([1, 2, 2, 1])).toBe(1);
  });
});

describe('correlations', () => {
  /** Kendall's tau-b by its definition, over all pairs. */
  function tauB(x: number[], y: number[]): number {
    let s = 0;
    let tx = 0;
    let ty = 0;
    let n0 = 0;
    for (let i = 0; i < x.length; i++) {
      for (let j = i + 1; j < x.length; j++) {
        n0++;
        const a = Math.sign(x[i] - x[j]);
        const b = Math.sign(y[i] - y[j]);
        s += a * b;
        if (a === 0) tx++;
        if (b === 0) ty++;
      }
    }
    return s / Math.sqrt((n0 - tx) * (n0 - ty));
  }

  it("Kendall's tau-b counts discordant pairs and ties exactly", () => {
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const x = Array.from({ length: 300 }, () => Math.floor(rand() * 12));
    const y = x.map((v) => Math.floor(v / 2 + rand() * 5));
    expect(numericCorrelation('kendall', Float64Array.from(x), Float64Array.from(y))).toBeCloseTo(tauB(x, y), 12);
  });

  it('uses the rows where both columns have a value, and is NaN for a constant column', () => {
    const a = Float64Array.from([1, 2, NaN, 4, 5]);
    const b = Float64Array.from([2, 4, 6, NaN, 10]);
    expect(numericCorrelation('pearson', a, b)).toBeCloseTo(1, 12);
    expect(numericCorrelation('spearman', a, Float64Array.from([5, 4, 3, 2, 1]))).toBeCloseTo(-1, 12);
    expect(numericCorrelation('kendall', a, Float64Array.from([3, 3, 3, 3, 3]))).toBeNaN();
  });

  it("reports Cramér's V for a categorical target", async () => {
    const rows = (pairs: string[]) => `y,c,x\n${pairs.map((p, i) => `${p},${i}`).join('\n')}\n`;
    const report = await analyze(await parse(rows(['a,u', 'a,u', 'b,v', 'b,v'])), await parse(rows(['a,u', 'b,u', 'a,v', 'b,v'])), {
      roles: { target: 'y', categorical: ['c'], ignore: ['x'] },
      drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: DEFAULT_DRIFT_SHARE },
      naValues: DEFAULT_NA_VALUES,
      parallel: false,
    });
    expect(report.target_drift!.columns).toEqual([{ column: 'y', role: 'target', type: 'cat', correlations: [{ kind: 'cramer_v', feature: 'c', reference: 1, current: 0 }] }]);
  });
});
