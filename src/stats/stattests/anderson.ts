import { StatTestError } from '../errors.js';
import { polyfit, polyval } from '../numeric/linalg.js';
import { npSum } from '../numeric/npsum.js';
import { forEachMergedValue, numericSides, sortedCopy } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

// Scholz & Stephens (1987) Table 2 interpolation coefficients; with two samples m = k − 1 = 1, so the
// critical values are b0 + b1/√1 + b2/1 and the quadratic fit of log(significance) on them is a constant.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];
const CRITICAL = B0.map((b0, i) => b0 + B1[i] / 1 + B2[i] / 1);
const CRITICAL_MIN = Math.min(...CRITICAL);
const CRITICAL_MAX = Math.max(...CRITICAL);
const LOG_SIG_FIT = polyfit(CRITICAL, SIG.map(Math.log), 2);

/**
 * k-sample Anderson-Darling test for two samples, as scipy.stats.anderson_ksamp([ref, cur], midrank=True)
 * (scipy 1.10): the midrank statistic A2akN of Scholz & Stephens eq. 7, standardised, and a p-value
 * interpolated from the critical values, capped to [0.001, 0.25] (scipy warns when it caps).
 */
export const anderson: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'anderson');
  const sizes = [ref.length, cur.length];
  const N = sizes[0] + sizes[1];

  // One pass over the distinct pooled values Z*_j fills each sample's summand of Scholz & Stephens eq. 7.
  // (scipy uses the scalar 1 for the multiplicities when there are no ties; every l_j is 1 then anyway.)
  const inner0 = new Float64Array(N);
  const inner1 = new Float64Array(N);
  let seen0 = 0;
  let seen1 = 0;
  let nStar = 0;
  forEachMergedValue(sortedCopy(ref), sortedCopy(cur), (_v, c0, c1, before) => {
    const l = c0 + c1;
    const Bj = before + l / 2;
    const denom = Bj * (N - Bj) - (N * l) / 4;
    const M0 = seen0 + c0 - c0 / 2;
    const M1 = seen1 + c1 - c1 / 2;
    inner0[nStar] = ((l / N) * (N * M0 - Bj * sizes[0]) ** 2) / denom;
    inner1[nStar] = ((l / N) * (N * M1 - Bj * sizes[1]) ** 2) / denom;
    seen0 += c0;
    seen1 += c1;
    nStar++;
  });
  if (nStar < 2) throw new StatTestError('anderson_ksamp needs more than one distinct observation');
  if (sizes[0] === 0 || sizes[1] === 0) throw new StatTestError('anderson_ksamp encountered sample without observations');
  // scipy indexes an empty harmonic-sum array when N == 2 (IndexError); ValueError is the nearest kind.
  if (N === 2) throw new StatTestError('anderson_ksamp needs more than two observations in total');

  let A2akN = npSum(inner0.subarray(0, nStar)) / sizes[0] + npSum(inner1.subarray(0, nStar)) / sizes[1];
  A2akN *= (N - 1) / N;

  const k = 2;
  const H = npSum([1 / sizes[0], 1 / sizes[1]]);
  const hsCs = inner0.subarray(0, N - 2);
  let acc = 0;
  for (let i = 0; i < N - 2; i++) {
    acc += 1 / (N - 1 - i);
    hsCs[i] = acc;
  }
  const h = hsCs[N - 3] + 1;
  for (let i = 0; i < N - 2; i++) hsCs[i] /= i + 2;
  const g = npSum(hsCs);

  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k ** 2 + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k ** 2 + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k ** 2 - 4 * h * k;
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  if (sigmasq < 0) throw new StatTestError('math domain error');
  const A2 = (A2akN - (k - 1)) / Math.sqrt(sigmasq);

  let p: number;
  let warning: string | undefined;
  if (A2 < CRITICAL_MIN) {
    p = 0.25;
    warning = 'p-value capped: true value larger than 0.25';
  } else if (A2 > CRITICAL_MAX) {
    p = 0.001;
    warning = 'p-value floored: true value smaller than 0.001';
  } else {
    p = Math.exp(polyval(LOG_SIG_FIT, A2));
  }
  return { score: p, details: { statistic: A2, ...(warning ? { warning } : {}) } };
};
