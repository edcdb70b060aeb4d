import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatTestError } from '../../src/stats/errors.js';
import { numericDriftSample, sampleFromArrays } from '../../src/stats/sample.js';
import type { StatTestFn } from '../../src/stats/types.js';
import { anderson } from '../../src/stats/stattests/anderson.js';
import { cramerVonMises } from '../../src/stats/stattests/cramer_von_mises.js';
import { energyDistance } from '../../src/stats/stattests/ed.js';
import { eppsSingleton } from '../../src/stats/stattests/es.js';
import { ks, ksAsymptoticP } from '../../src/stats/stattests/ks.js';
import { kstwoSf } from '../../src/stats/numeric/kolmogorov.js';
import { mannWhitney } from '../../src/stats/stattests/mannw.js';
import { tTest } from '../../src/stats/stattests/t_test.js';
import { wasserstein } from '../../src/stats/stattests/wasserstein.js';
import { mulberry32 } from '../helpers/random.js';
import { adoptLongSide, cachedLongSide, cdfDistance } from '../../src/stats/numeric/cdf_distance.js';
import { adoptSorted, sortedCopy } from '../../src/stats/numeric/sorted.js';

const TESTS: Record<string, StatTestFn> = {
  ks,
  cramer_von_mises: cramerVonMises,
  anderson,
  mannw: mannWhitney,
  es: eppsSingleton,
  t_test: tTest,
  ed: energyDistance,
  wasserstein,
};

type Golden = number | 'nan' | 'inf' | '-inf';

function fromGolden(v: Golden): number {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  return v;
}


/** The battery's tolerance: relative 1e-6, absolute 1e-9 when the golden value is below 1e-9. */
function expectClose(actual: number, golden: Golden, label: string) {
  const expected = fromGolden(golden);
  if (!Number.isFinite(expected)) {
    expect(actual, label).toBe(expected);
    return;
  }
  const err = Math.abs(actual - expected);
  if (Math.abs(expected) < 1e-9) {
    expect(err, label).toBeLessThanOrEqual(1e-9);
    return;
  }
  const rel = err / Math.abs(expected);
  expect(rel, `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-6);
}

function expectPythonError(fn: () => unknown, error: string) {
  const pythonType = error.slice(0, error.indexOf(':'));
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(StatTestError);
  expect((thrown as StatTestError).pythonType).toBe(pythonType);
}

interface Case {
  id: string;
  stattest: string;
  feature_type: 'num' | 'cat';
  reference: number[];
  current: number[];
  score: Golden | null;
  error?: string;
  extra?: Record<string, Golden | string>;
}

const battery = JSON.parse(readFileSync('fixtures/golden/stattests.json', 'utf8')) as { cases: Case[] };

describe('golden battery', () => {
  const cases = battery.cases.filter((c) => c.stattest in TESTS);
  it('covers every case of the eight numeric tests', () => {
    expect(cases.length).toBe(17 + 11 + 10 + 10 + 10 + 9 + 10 + 11);
  });
  for (const c of cases) {
    it(`${c.id}: ${c.stattest} ${c.reference.length} vs ${c.current.length}`, () => {
      const run = () => TESTS[c.stattest](sampleFromArrays(c.feature_type, c.reference, c.current));
      if (c.error) {
        expectPythonError(run, c.error);
        return;
      }
      const result = run();
      expectClose(result.score, c.score!, c.id);
      const statistic = c.extra?.statistic ?? c.extra?.statistic_U;
      if (statistic !== undefined) {
        const ours = (result.details!.statistic ?? result.details!.statistic_U) as number;
        expectClose(ours, statistic as Golden, `${c.id} statistic`);
      }
      if (c.stattest === 'ks') {
        const pAsymp = ksAsymptoticP(c.extra!.statistic as number, c.reference.length, c.current.length);
        expectClose(pAsymp, c.extra!.pvalue_asymp as Golden, `${c.id} asymptotic`);
      }
    });
  }
});

function readCsv(path: string): Map<string, number[]> {
  const [header, ...rows] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header.split(',');
  const columns = new Map(names.map((name) => [name, [] as number[]]));
  for (const row of rows) row.split(',').forEach((cell, i) => columns.get(names[i])!.push(Number(cell)));
  return columns;
}

describe('activities columns (reference 1000 vs current 50)', () => {
  const reference = readCsv('fixtures/activities/reference.csv');
  const current = readCsv('fixtures/activities/current.csv');
  const dir = 'fixtures/golden/activities/stattests';
  for (const file of readdirSync(dir)) {
    const golden = JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as {
      column: string;
      results: { stattest_id: string; feature_type: string; drift_score?: Golden; error?: string; warnings?: string[] }[];
    };
    for (const r of golden.results.filter((r) => r.feature_type === 'num' && r.stattest_id in TESTS)) {
      it(`${golden.column}: ${r.stattest_id}`, () => {
        const sample = sampleFromArrays('num', reference.get(golden.column)!, current.get(golden.column)!);
        const run = () => TESTS[r.stattest_id](sample);
        if (r.error) {
          expectPythonError(run, r.error);
          return;
        }
        const result = run();
        expectClose(result.score, r.drift_score!, `${golden.column} ${r.stattest_id}`);
        const warning = r.warnings?.find((w) => w.startsWith('UserWarning: p-value'));
        if (r.stattest_id === 'anderson') expect(result.details?.warning).toBe(warning?.replace('UserWarning: ', ''));
      });
    }
  }
});

/** Reproducible uniform data: a 32-bit LCG whose arithmetic is exact in doubles, so Python gets the same values. */
function lcg(n: number, seed: number, scale: number, shift: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    state = (state * 1664525 + 1013904223) % 4294967296;
    out[i] = (state / 4294967296) * scale + shift;
  }
  return out;
}
// Python twin used for every "local scipy" value below (scipy 1.17.1, numpy 2.4.6):
//   def lcg(n, seed, scale, shift):
//       out = np.empty(n); s = seed
//       for i in range(n):
//           s = (s * 1664525 + 1013904223) % 4294967296; out[i] = (s / 4294967296) * scale + shift
//       return out

const num = (ref: number[], cur: number[]) => sampleFromArrays('num', ref, cur);

function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('ks', () => {
  it('kstwo.sf agrees with scipy in every regime of _kolmogn', () => {
    // [n, d, scipy.stats.kstwo.sf(d, n) from local scipy 1.17.1, regime]
    const table: [number, number, number, string][] = [
      [3, 0.25, 0.9722222222222222, 'Ruben-Gambino, n·d <= 1'],
      [5, 0.15, 0.9988, 'Ruben-Gambino, n·d <= 1'],
      [150, 0.0066, 1, 'Ruben-Gambino via Stirling, n > 140'],
      [10, 0.93, 5.649504979999961e-12, 'Ruben-Gambino, n·d >= n − 1'],
      [20, 0.6, 2.0483011649719853e-7, 'd >= 0.5: twice Smirnov'],
      [100, 0.05, 0.9532159710635725, 'Durbin matrix, n <= 140'],
      [100, 0.15, 0.019839242125643017, 'Pomeranz'],
      [100, 0.3, 1.7719869892662917e-8, 'twice Smirnov, n <= 140'],
      [5000, 0.004, 0.9999977369528622, 'Durbin matrix, n > 140'],
      [5000, 0.015, 0.20846142096186204, 'Pelz-Good'],
      [5000, 0.03, 0.00024159234422666817, 'twice Smirnov, n > 140'],
      [500000, 0.0021, 0.024276288597831493, 'twice Smirnov, n = 500000'],
      [500000, 0.001, 0.6989801443663661, 'Pelz-Good, n = 500000'],
      [2500000, 0.0012, 0.001491977523992425, "cephes' Smirnov approximation, n > 1e6"],
      [5000, 0.3, 0, 'n·d² >= 370'],
    ];
    for (const [n, d, expected, regime] of table) {
      const p = kstwoSf(d, n);
      if (expected === 0 || expected === 1) expect(p, regime).toBe(expected);
      else expect(relErr(p, expected), regime).toBeLessThan(1e-9);
    }
    expect(kstwoSf(0.5, 0)).toBeNaN();
    expect(kstwoSf(0.4, 2.5)).toBeNaN();
  });

  it('uses the asymptotic distribution above 10000 values, fast and accurate on a million rows', () => {
    const sample = numericDriftSample({ ref: lcg(1_000_000, 1, 1, 0), cur: lcg(1_000_000, 2, 1.002, 0) });
    const started = performance.now();
    const r = ks(sample);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(r.details).toMatchObject({ method: 'asymptotic', statistic: 0.002183000000000046 });
    // stats.ks_2samp(lcg(1_000_000, 1, 1, 0), lcg(1_000_000, 2, 1.002, 0)).pvalue
    expect(relErr(r.score, 0.01701261615674557)).toBeLessThan(1e-9);
  });

  it('unequal large sizes take the effective n = round(n·m/(n+m))', () => {
    // stats.ks_2samp(lcg(120_000, 3, 1, 0), lcg(90_000, 4, 1.003, 0)) and (lcg(60_000, 5, 1, 0), lcg(15_000, 6, 1, 0.004))
    const a = ks(numericDriftSample({ ref: lcg(120_000, 3, 1, 0), cur: lcg(90_000, 4, 1.003, 0) }));
    expect(relErr(a.score, 0.09070885182541599)).toBeLessThan(1e-9);
    const b = ks(numericDriftSample({ ref: lcg(60_000, 5, 1, 0), cur: lcg(15_000, 6, 1, 0.004) }));
    expect(relErr(b.score, 0.2344599153078024)).toBeLessThan(1e-9);
  });

  it('handles ties, identical samples and single values', () => {
    // stats.ks_2samp([1, 1, 2, 2, 3], [1, 2, 2, 3, 3, 3]): the ECDFs are compared after each block of ties
    const tied = ks(num([1, 1, 2, 2, 3], [1, 2, 2, 3, 3, 3]));
    expect(tied.details?.statistic).toBe(0.3);
    expect(relErr(tied.score, 0.8961038961038962)).toBeLessThan(1e-12);
    expect(ks(num([5, 1, 3], [3, 5, 1])).score).toBe(1);
    expect(ks(num([1], [1])).score).toBe(1);
    expect(ks(num([0], [1])).score).toBe(1);
    expect(() => ks(num([], [1]))).toThrow(StatTestError);
  });
});

describe('cramer_von_mises', () => {
  it("reproduces the float16/float32 tables Evidently's exact recursion uses", () => {
    // Evidently 0.4.40's _pval_cvm_2samp_exact run with numpy 1.24 semantics (value-based casting emulated on
    // numpy 2.4.6: the zeta comparison in the table dtype, the final division in float64). Exact integer
    // arithmetic would give 1 for the first case and differs from the others at the 1e-4..1e-3 level.
    const float16Ties = cramerVonMises(num([0, 0, 3, 2, 3, 0, 2, 1], [1, 0, 2, 3, 2, 0, 2, 1]));
    expect(float16Ties.score).toBe(1.0001554001554);
    const float16 = cramerVonMises(num(
      [-1.1140671431510563, -0.011521468038548173, -0.4435812229744192, 1.1661277761902227, 0.6530885027011638,
        -0.024143613009932233, 0.6683810232673438, -0.3398695517131494, 1.052126358426947, -0.005399560671626605],
      [0.5833823541804138, -1.2908932453234871, 0.34668004887842974, -1.6882041173665416, -2.0353289449399323,
        -0.3044768777114372, -0.8999276075985952, 0.16405279571222256],
    ));
    expect(float16.score).toBe(0.16170757347227935);
    const float32 = cramerVonMises(num(
      [-0.6944035277028942, -0.3266852600022522, -0.5602310505028996, 0.007959099184913658, -0.3752668396769557,
        -0.29992171594179834, -1.3785746841359137, -0.8068459276211205, 1.65405754880043, -0.6712332162517173],
      [-0.2540937876234928, 1.137326332575031, 2.207272199556532, -0.654024302481208, 0.5914781517487294,
        0.16794744606509227, -0.9610194743274028, 1.5349267092583916, 0.7765560814451554, 0.8714418442926054],
    ));
    expect(float32.score).toBe(0.029823118058412177);
  });

  it('asymptotic tail agrees to the rounding of 1 − cdf', () => {
    // Evidently's _cvm_2samp on lcg(3000, 7, 1, 0) vs lcg(2000, 8, 1, 0.03) with local scipy's gammaln/kv
    const r = cramerVonMises(numericDriftSample({ ref: lcg(3000, 7, 1, 0), cur: lcg(2000, 8, 1, 0.03) }));
    expect(r.details).toMatchObject({ method: 'asymptotic' });
    expect(relErr(r.details!.statistic as number, 2.3405912000000626)).toBeLessThan(1e-12);
    expect(Math.abs(r.score - 2.205646472908107e-6)).toBeLessThan(1e-15);
  });

  it('switches to the asymptotic method above 20 values per side and rejects single values', () => {
    expect(cramerVonMises(num([...Array(20).keys()], [...Array(20).keys()])).details?.method).toBe('exact');
    expect(cramerVonMises(num([...Array(21).keys()], [...Array(3).keys()])).details?.method).toBe('asymptotic');
    expect(() => cramerVonMises(num([1, 2], [3]))).toThrow(StatTestError);
  });
});

describe('anderson', () => {
  it('caps the p-value and says so', () => {
    const r = anderson(num([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]));
    expect(r.score).toBe(0.25);
    expect(r.details?.warning).toBe('p-value capped: true value larger than 0.25');
  });

  it('three values leave the variance undefined (0/0), as in scipy', () => {
    expect(anderson(num([1, 2], [3])).score).toBeNaN();
  });

  it('raises like scipy on degenerate input', () => {
    expect(() => anderson(num([2, 2, 2], [2, 2]))).toThrow(StatTestError);
    expect(() => anderson(num([1], [2]))).toThrow(StatTestError);
  });
});

describe('mannw', () => {
  it('exact distribution for a small side against a large one', () => {
    // stats.mannwhitneyu(lcg(8, 9, 1, 0.1), lcg(1000, 10, 1, 0), alternative='less', method='exact')
    const r = mannWhitney(numericDriftSample({ ref: lcg(8, 9, 1, 0.1), cur: lcg(1000, 10, 1, 0) }));
    expect(r.details).toMatchObject({ method: 'exact', statistic_U: 4042 });
    expect(relErr(r.score, 0.5202735120075376)).toBeLessThan(1e-12);
  });

  it('one value against a million has the closed form (U + 1)/(n + 1)', () => {
    const cur = lcg(1_000_000, 11, 1, 0);
    const r = mannWhitney(numericDriftSample({ ref: Float64Array.of(0.3), cur }));
    const below = cur.filter((v) => v < 0.3).length;
    expect(r.details).toMatchObject({ method: 'exact', statistic_U: below });
    // a cumulative sum of ~300000 probability masses, as scipy forms it, drifts a few 1e-12 from the closed form
    expect(relErr(r.score, (below + 1) / (1_000_001))).toBeLessThan(1e-10);
  });

  it('single values use the exact distribution', () => {
    expect(mannWhitney(num([1], [2]))).toEqual({ score: 0.5, details: { statistic_U: 0, method: 'exact' } });
  });

  it('ties force the normal approximation; all-tied samples give p = 1', () => {
    expect(mannWhitney(num([1, 2, 2], [3, 4])).details?.method).toBe('asymptotic');
    expect(mannWhitney(num([3, 3, 3, 3, 3, 3, 3, 3, 3], [3, 3, 3, 3, 3, 3, 3, 3, 3, 3])).score).toBe(1);
  });

  it("wraps the tie term in int64 like numpy for a constant column of 2.2 million values", () => {
    // numpy: t = np.array([2_200_000]); tie = (t**3 - t).sum() -> -7798744073711751616, then
    // norm.sf(-0.5 / sqrt(n1*n2/12*((n+1) - tie/(n*(n-1))))) with n1 = n2 = 1_100_000
    const side = new Float64Array(1_100_000).fill(7);
    const r = mannWhitney(numericDriftSample({ ref: side, cur: new Float64Array(side) }));
    expect(relErr(r.score, 0.5000000003217664)).toBeLessThan(1e-12);
  });
});

describe('es', () => {
  it('pinv and rank of a singular covariance, with the small-sample correction', () => {
    // stats.epps_singleton_2samp([0,0,0,1,1,1,0,1], [0,1,1,1,1,0,1,1,1]) on local scipy: rank 1
    const r = eppsSingleton(num([0, 0, 0, 1, 1, 1, 0, 1], [0, 1, 1, 1, 1, 0, 1, 1, 1]));
    expect(r.details).toMatchObject({ df: 1 });
    expect(r.details?.warning).toMatch(/does not have full rank/);
    expect(relErr(r.details!.statistic as number, 0.8426026821897061)).toBeLessThan(1e-9);
    expect(relErr(r.score, 0.3586534618333951)).toBeLessThan(1e-9);
  });

  it('two constant sides give a zero covariance, rank 0 and a NaN p-value, as in scipy', () => {
    const r = eppsSingleton(num([1, 1, 1, 1, 1], [2, 2, 2, 2, 2]));
    expect(r.details).toMatchObject({ statistic: 0, df: 0 });
    expect(r.score).toBeNaN();
  });

  it('checks the pooled IQR before the sample sizes, as Evidently does', () => {
    expect(() => eppsSingleton(num([1, 1, 1], [1, 1, 1, 1, 1, 1]))).toThrow(/interquartile range/);
    expect(() => eppsSingleton(num([1, 2, 3], [4, 5, 6, 7, 8, 9]))).toThrow(/at least 5 elements/);
  });
});

describe('t_test, ed, wasserstein', () => {
  it('identical samples', () => {
    const s = num([3, 1, 4, 1, 5], [3, 1, 4, 1, 5]);
    expect(tTest(s).score).toBe(1);
    expect(energyDistance(s).score).toBe(0);
    expect(wasserstein(s).score).toBe(0);
  });

  it('constant columns', () => {
    expect(tTest(num([2, 2, 2], [2, 2])).score).toBeNaN();
    expect(tTest(num([2, 2, 2], [3, 3])).score).toBe(0);
    // std(ref) = 0 is replaced by 0.001, so the distance is in thousandths of a unit
    expect(wasserstein(num([5, 5, 5], [5.5, 5.5])).score).toBeCloseTo(500, 9);
    expect(energyDistance(num([0, 0], [1, 1, 1])).score).toBeCloseTo(Math.SQRT2, 15);
  });

  it('tiny and unequal samples', () => {
    expect(tTest(num([1], [2])).score).toBeNaN();
    expect(wasserstein(num([0, 1], [0, 1, 1, 1])).score).toBeCloseTo(0.25 / 0.5, 15);
    expect(() => energyDistance(num([], [1]))).toThrow(StatTestError);
  });
});

/** ∫ |F_u − F_v| by the merged walk, summed with compensation: the yardstick for the integrated path. */
function walkedL1(u: Float64Array, v: Float64Array): number {
  const x = Float64Array.from(u).sort();
  const y = Float64Array.from(v).sort();
  let [i, j, sum, carry, last, diff] = [0, 0, 0, 0, NaN, 0];
  while (i < x.length || j < y.length) {
    const value = j >= y.length || (i < x.length && x[i] <= y[j]) ? x[i] : y[j];
    if (i + j > 0) {
      const term = Math.abs(diff) * (value - last);
      const t = sum + term;
      carry += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
      sum = t;
    }
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;
    diff = i / x.length - j / y.length;
    last = value;
  }
  return sum + carry;
}

describe('a window against a long reference', () => {
  it('the integrated Wasserstein distance agrees with the walk within 1e-13', () => {
    const random = mulberry32(11);
    const cases: [string, Float64Array, Float64Array][] = [];
    for (const [decimals, heavy] of [[10, false], [2, false], [0, false], [3, true]] as const) {
      const draw = (shift: number) => {
        const v = random() + random() + random() + shift;
        return Number((heavy ? Math.exp(6 * v) : v).toFixed(decimals));
      };
      const ref = Float64Array.from({ length: 20_000 }, () => draw(0));
      cases.push([`${decimals} decimals${heavy ? ', heavy tail' : ''}`, ref, Float64Array.from({ length: 600 }, () => draw(0.2))]);
    }
    const ref = cases[1][1];
    // Beyond both ends of the reference, on its values exactly, a single value, one repeated value.
    cases.push(['outside the reference', ref, Float64Array.from([-5, -1, 0.5, 9, 12])]);
    cases.push(['on reference values', ref, ref.slice(0, 500)]);
    cases.push(['one value', ref, Float64Array.of(1.5)]);
    cases.push(['one value repeated', ref, new Float64Array(300).fill(ref[7])]);
    for (const [label, u, v] of cases) {
      const expected = walkedL1(u, v);
      const { details } = wasserstein(numericDriftSample({ ref: u, cur: v }));
      expect(relErr(details!.distance as number, expected), label).toBeLessThan(1e-13);
    }
  });
});

describe('a window worker handed the reference\'s prefix integrals and placement sample', () => {
  it('uses them as they are and gives the distance bit for bit', () => {
    const random = mulberry32(5);
    const ref = Float64Array.from({ length: 20_000 }, () => Number(random().toFixed(3)));
    const win = Float64Array.from({ length: 500 }, () => Number((random() + 0.1).toFixed(3)));
    const here = cdfDistance(1, ref, win);
    const kept = cachedLongSide(sortedCopy(ref))!;
    expect(kept.sample.length).toBe(Math.ceil(ref.length / 32));
    // As a worker receives them (exportPrepared): copies, adopted for its copy of the sorted reference.
    const [refThere, sortedThere] = [Float64Array.from(ref), Float64Array.from(sortedCopy(ref))];
    const handed = { integral: Float64Array.from(kept.integral), sample: Float64Array.from(kept.sample) };
    adoptSorted(refThere, sortedThere);
    adoptLongSide(sortedThere, handed);
    expect(cdfDistance(1, refThere, win)).toBe(here);
    expect(cachedLongSide(sortedThere)).toEqual(handed);
    expect(cachedLongSide(sortedThere)!.sample).toBe(handed.sample);
  });
});

describe('a million rows per side', () => {
  it('every test finishes and matches local scipy', () => {
    const sample = numericDriftSample({ ref: lcg(1_000_000, 1, 1, 0), cur: lcg(1_000_000, 2, 1.002, 0) });
    // Local scipy 1.17.1 on the same data: mannwhitneyu(..., alternative='less'), ttest_ind, energy_distance,
    // wasserstein_distance / np.std(ref), epps_singleton_2samp, anderson_ksamp(midrank=True), Evidently's
    // _cvm_2samp. (scipy's stdtr is more accurate than the betainc behind studentTwoSidedP at df = 2e6.)
    const expected: [StatTestFn, number, number][] = [
      [mannWhitney, 0.03896649873405099, 1e-12],
      [tTest, 0.07741514958697908, 1e-9],
      [energyDistance, 0.001207302173386054, 1e-12],
      [wasserstein, 0.0025692739980039824, 1e-12],
      [eppsSingleton, 8.307094808318425e-8, 1e-9],
      [anderson, 0.001, 0],
      [cramerVonMises, 0.090588071468237, 1e-12],
    ];
    const started = performance.now();
    for (const [fn, value, tolerance] of expected) {
      const r = fn(sample);
      expect(relErr(r.score, value), fn.name).toBeLessThanOrEqual(tolerance);
    }
    expect(performance.now() - started).toBeLessThan(20000);
  });
});
