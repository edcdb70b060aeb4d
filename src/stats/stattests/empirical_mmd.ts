import { StatTestError } from '../errors.js';
import { npSum } from '../numeric/npsum.js';
import { RandomState } from '../random.js';
import type { StatTestFn } from '../types.js';

const PERMUTATIONS = 100;

/**
 * Largest n_ref + n_cur accepted. The test needs the full (n+m)² kernel matrix (Evidently builds it too,
 * several times over); 8192² doubles is 512 MiB, and 100 permutations over it already take tens of seconds.
 */
export const MMD_MAX_POOLED = 8192;

/** k-th smallest of a[0..n) (partially reorders `a`): Hoare partitioning around a median of three. */
function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

/** Round half to even, as `np.around` does for numpy's 'nearest' percentile index. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Evidently's squared distance `y² − 2·x·y + x²` for row value `r` and column value `c`, in its float
 * evaluation order (`doty.T - 2 * np.dot(x, y.T) + dotx`). It is not (r − c)² and not symmetric.
 */
function sqDist(r: number, c: number): number {
  return c * c - 2 * (r * c) + r * r;
}

/**
 * `ndarray.sum()` of block [r0, r1) × [c0, c1) of the n×n matrix `k` seen through the permutation `idx`,
 * as numpy 1.24 evaluates it for a non-contiguous slice: the elements, in row-major order, pass through its
 * 8192-element iteration buffer; each buffer is pairwise-summed and added to the running total. That order
 * reproduces Evidently's statistics bit for bit in 6 of the 7 golden cases (the 7th differs in the last bits),
 * which matters when a permuted statistic ties the observed one.
 */
function blockSum(
  k: Float64Array, n: number, idx: Int32Array, r0: number, r1: number, c0: number, c1: number, buf: Float64Array,
): number {
  const size = buf.length;
  let acc = 0;
  let fill = 0;
  for (let r = r0; r < r1; r++) {
    const base = idx[r] * n;
    for (let c = c0; c < c1; ) {
      const take = Math.min(c1 - c, size - fill);
      for (let e = 0; e < take; e++) buf[fill + e] = k[base + idx[c + e]];
      fill += take;
      c += take;
      if (fill === size) {
        acc += npSum(buf, 0, size);
        fill = 0;
      }
    }
  }
  return acc + npSum(buf, 0, fill);
}

/**
 * MMD² with the zero-diagonal kernel matrix `k` (row-major, n×n) seen through the permutation `idx`:
 * ΣKxx / (n_x(n_x − 1)) + ΣKyy / (n_y(n_y − 1)) − 2·mean(Kxy), where Kxy is the current-rows,
 * reference-columns block, as Evidently slices `kernel_matrix[index][:, index]`.
 */
function mmdStatistic(k: Float64Array, n: number, nx: number, idx: Int32Array, buf: Float64Array): number {
  const ny = n - nx;
  const sxx = blockSum(k, n, idx, 0, nx, 0, nx, buf);
  const syy = blockSum(k, n, idx, nx, n, nx, n, buf);
  const sxy = blockSum(k, n, idx, nx, n, 0, nx, buf);
  const a = 1 / (nx * (nx - 1));
  const b = 1 / (ny * (ny - 1));
  return a * sxx + b * syy - 2.0 * (sxy / (nx * ny));
}

/**
 * Evidently's empirical maximum mean discrepancy permutation test (RBF kernel, bandwidth from the median
 * of the reference's squared pairwise distances, 100 row-and-column permutations of the pooled kernel
 * matrix), p = share of permuted statistics ≥ observed.
 *
 * Deliberate deviation: Evidently draws the permutations from numpy's global generator without seeding
 * it, so its p-value is random; here the legacy generator is seeded with 0 at each call (the goldens'
 * setting), which makes the result deterministic and equal to Evidently's after `np.random.seed(0)`.
 * Inputs with n_ref + n_cur above MMD_MAX_POOLED are refused (see there).
 */
export const empiricalMmd: StatTestFn = (sample) => {
  const num = sample.num;
  if (!num) throw new StatTestError('empirical_mmd needs numeric values');
  const nx = num.ref.length;
  const ny = num.cur.length;
  if (nx < 2 || ny < 2) {
    // 1/(n(n−1)) in Evidently divides by zero for a sample of one value.
    throw new StatTestError('division by zero: empirical_mmd needs at least 2 values on each side', 'ZeroDivisionError');
  }
  const n = nx + ny;
  if (n > MMD_MAX_POOLED) {
    throw new StatTestError(
      `empirical_mmd needs an (n_ref + n_cur)² kernel matrix; ${n} values exceed the limit of ${MMD_MAX_POOLED} (512 MiB)`,
    );
  }
  const z = new Float64Array(n);
  z.set(num.ref);
  z.set(num.cur, nx);

  const k = new Float64Array(n * n);
  // The reference block's distances, in the matrix's own buffer before it is filled.
  for (let i = 0; i < nx; i++) for (let j = 0; j < nx; j++) k[i * nx + j] = sqDist(z[i], z[j]);
  const median = selectKth(k, nx * nx, roundHalfEven((nx * nx - 1) * 0.5));
  // Evidently writes `** 0.5` and `sigma**2` (libm pow); sqrt and a product round the same way.
  let sigma = Math.sqrt(0.5 * median);
  if (sigma === 0) sigma = Math.sqrt(0.5);
  const gamma = 1.0 / (2.0 * (sigma * sigma));

  for (let a = 0; a < n; a++) {
    const base = a * n;
    for (let b = 0; b < n; b++) {
      // The current-vs-reference block is the transpose of the reference-vs-current one.
      const d = a >= nx && b < nx ? sqDist(z[b], z[a]) : sqDist(z[a], z[b]);
      k[base + b] = a === b ? 0 : Math.exp(-gamma * d);
    }
  }

  const buf = new Float64Array(8192);
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const observed = mmdStatistic(k, n, nx, identity, buf);
  const rs = new RandomState(0);
  let atLeastObserved = 0;
  for (let p = 0; p < PERMUTATIONS; p++) {
    if (observed <= mmdStatistic(k, n, nx, rs.permutation(n), buf)) atLeastObserved++;
  }
  return {
    score: atLeastObserved / PERMUTATIONS,
    details: { mmd_statistic: observed, sigma, permutations: PERMUTATIONS },
  };
};
