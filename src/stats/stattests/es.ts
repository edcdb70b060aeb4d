import { chi2Sf } from '../distributions.js';
import { StatTestError } from '../errors.js';
import { symmetricEigen } from '../numeric/linalg.js';
import { npSum } from '../numeric/npsum.js';
import { kthOfSortedPair, linearQuantile, numericSides, sortedCopy } from '../numeric/sorted.js';
import type { StatTestFn } from '../types.js';

const T = [0.4, 0.8];
const DIM = 2 * T.length;
const EPS = 2 ** -52;

/** numpy.percentile(concat(x, y), 100·q), read off the two sorted sides without building the pooled sample. */
function pooledPercentile(x: Float64Array, y: Float64Array, q: number): number {
  return linearQuantile(x.length + y.length, q, (k) => kthOfSortedPair(x, y, k));
}

/**
 * Per-sample empirical characteristic function features g(x) = (cos t1x, cos t2x, sin t1x, sin t2x): their
 * means (numpy's pairwise sums) and biased covariance (np.cov(bias=True), which scales by 1/n).
 */
function features(values: Float64Array, ts: readonly number[]): { mean: Float64Array; cov: Float64Array } {
  const n = values.length;
  const cols = Array.from({ length: DIM }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < ts.length; j++) {
      const arg = ts[j] * values[i];
      cols[j][i] = Math.cos(arg);
      cols[ts.length + j][i] = Math.sin(arg);
    }
  }
  const mean = new Float64Array(DIM);
  for (let f = 0; f < DIM; f++) {
    mean[f] = npSum(cols[f]) / n;
    for (let i = 0; i < n; i++) cols[f][i] -= mean[f];
  }
  const cov = new Float64Array(DIM * DIM);
  const prod = new Float64Array(n);
  for (let f = 0; f < DIM; f++) {
    for (let g = f; g < DIM; g++) {
      for (let i = 0; i < n; i++) prod[i] = cols[f][i] * cols[g][i];
      cov[f * DIM + g] = cov[g * DIM + f] = npSum(prod) * (1 / n);
    }
  }
  return { mean, cov };
}

/**
 * Epps-Singleton two-sample test on the empirical characteristic function, as Evidently runs it: ValueError
 * when the pooled IQR is 0, then scipy.stats.epps_singleton_2samp(ref, cur, t=(0.4, 0.8)): W = N·Δḡᵀ Σ⁺ Δḡ
 * with Σ⁺ numpy's pinv, the small-sample correction when both sides have fewer than 25 values, and a
 * chi-square p-value with the rank of Σ⁺ as degrees of freedom.
 */
export const eppsSingleton: StatTestFn = (sample) => {
  const { ref, cur } = numericSides(sample, 'es');
  const nx = ref.length;
  const ny = cur.length;
  const n = nx + ny;
  if (n === 0) throw new StatTestError('es needs data');

  const x = sortedCopy(ref);
  const y = sortedCopy(cur);
  const iqr = pooledPercentile(x, y, 0.75) - pooledPercentile(x, y, 0.25);
  if (iqr === 0) {
    throw new StatTestError(
      'Epps-Singleton testsinterquartile range (IQR) is zero. IQR of 0 means there is no variability in the middle 50% of your data, ' +
        'but the center of the distribution can be anywhere. Expected: your data sould have higher variability/variance.',
    );
  }
  if (nx < 5 || ny < 5) {
    throw new StatTestError(`x and y should have at least 5 elements, but len(x) = ${nx} and len(y) = ${ny}.`);
  }

  const sigma = iqr / 2;
  const ts = T.map((t) => t / sigma);
  const gx = features(ref, ts);
  const gy = features(cur, ts);
  const estCov = new Float64Array(DIM * DIM);
  for (let i = 0; i < DIM * DIM; i++) estCov[i] = (n / nx) * gx.cov[i] + (n / ny) * gy.cov[i];

  // pinv of a symmetric matrix: Σ v vᵀ/λ over eigenvalues above numpy's cutoff 1e-15·max|λ|; the rank of
  // that pseudo-inverse (matrix_rank's tolerance max·dim·eps on its singular values 1/|λ|) is the df.
  const { values, vectors } = symmetricEigen(estCov, DIM);
  const absMax = Math.max(...Array.from(values, Math.abs));
  const cutoff = 1e-15 * absMax;
  const inv = Array.from(values, (l) => (Math.abs(l) > cutoff ? 1 / l : 0));
  const invMax = Math.max(...inv.map(Math.abs));
  const rank = inv.filter((s) => Math.abs(s) > invMax * DIM * EPS).length;

  const diff = Array.from({ length: DIM }, (_, f) => gx.mean[f] - gy.mean[f]);
  let quad = 0;
  for (let e = 0; e < DIM; e++) {
    if (inv[e] === 0) continue;
    let proj = 0;
    for (let f = 0; f < DIM; f++) proj += vectors[f * DIM + e] * diff[f];
    quad += proj * proj * inv[e];
  }
  let w = n * quad;
  if (Math.max(nx, ny) < 25) w *= 1 / (1 + n ** -0.45 + 10.1 * (nx ** -1.7 + ny ** -1.7));
  const p = chi2Sf(w, rank);
  const details: Record<string, number | string> = { statistic: w, df: rank };
  if (rank < DIM) {
    details.warning =
      'Estimated covariance matrix does not have full rank. This indicates a bad choice of the input t and the test might not be consistent.';
  }
  return { score: p, details };
};
