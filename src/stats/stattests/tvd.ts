import { StatTestError } from '../errors.js';
import { RandomState } from '../random.js';
import type { StatTestFn } from '../types.js';

const ITERATIONS = 1000;

/**
 * 2·n_ref·n_cur·TVD(ref counts, cur counts) = Σ_k |ref_k·n_cur − cur_k·n_ref|, an integer: comparing these
 * instead of float TVDs makes ties between permuted and observed samples exact.
 */
function scaledTvd(refCounts: Float64Array, curCounts: Float64Array, nRef: number, nCur: number): number {
  let s = 0;
  for (let k = 0; k < refCounts.length; k++) s += Math.abs(refCounts[k] * nCur - curCounts[k] * nRef);
  return s;
}

/** The smallest unsigned typed array that holds every code, so the shuffled pool stays cache-resident. */
function compactPool(ref: Int32Array, cur: Int32Array, nLabels: number): Uint8Array | Uint16Array | Int32Array {
  const n = ref.length + cur.length;
  const pool = nLabels <= 0x100 ? new Uint8Array(n) : nLabels <= 0x10000 ? new Uint16Array(n) : new Int32Array(n);
  pool.set(ref);
  pool.set(cur, ref.length);
  return pool;
}

/**
 * Evidently's total-variation-distance permutation test: observed TVD between the category shares, then
 * 1000 splits of the pooled sample (`np.random.seed(0)`, `np.random.choice(pool, n_ref, replace=False)` each
 * time, i.e. the first n_ref items of numpy's legacy shuffle of the pool in row order), and
 * p = share of permuted TVDs ≥ observed.
 *
 * Deliberate deviation: TVDs are compared exactly. Evidently compares float sums whose rounding depends on
 * Python's per-process string hash order, so its p-value for the same input varies between runs; this
 * implementation gives the exact-arithmetic value of the same permutations (goldens'
 * `pvalue_exact_arithmetic`).
 *
 * Cost: 1000 × (n_ref + n_cur − 1) bounded MT19937 draws plus n_cur swaps and counts per permutation; only
 * the current side's positions are finalised before the remaining draws, so the reference part is never
 * touched. Memory: one copy of the pool (1–4 bytes per row) and two count arrays.
 */
export const tvd: StatTestFn = (sample) => {
  const cat = sample.cat();
  const nRef = cat.ref.length;
  const nCur = cat.cur.length;
  if (nRef === 0 || nCur === 0) throw new StatTestError('reference and current must both have at least one value');
  if (nRef * nCur * 2 > Number.MAX_SAFE_INTEGER) {
    throw new StatTestError('TVD exact arithmetic needs 2·n_ref·n_cur below 2^53');
  }
  const nLabels = cat.labels.length;
  const total = new Float64Array(nLabels);
  for (let k = 0; k < nLabels; k++) total[k] = cat.refCounts[k] + cat.curCounts[k];
  const observed = scaledTvd(cat.refCounts, cat.curCounts, nRef, nCur);

  const pool = compactPool(cat.ref, cat.cur, nLabels);
  const work = pool.slice();
  const curCounts = new Float64Array(nLabels);
  const refCounts = new Float64Array(nLabels);
  const rs = new RandomState(0);
  const n = pool.length;
  const draws = new Int32Array(Math.min(n, 1 << 16));
  let atLeastObserved = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    work.set(pool);
    curCounts.fill(0);
    // Fisher-Yates from the end: position i is final once step i is done, so positions n_ref.. (the new
    // current sample) are known after the first n_cur steps; the remaining steps only advance the generator.
    for (let i = n - 1; i >= nRef; ) {
      const count = Math.min(draws.length, i - nRef + 1);
      rs.shuffleDraws(i, count, draws);
      for (let t = 0; t < count; t++, i--) {
        const j = draws[t];
        const v = work[j];
        work[j] = work[i];
        curCounts[v]++;
      }
    }
    for (let i = nRef - 1; i > 0; ) {
      const count = Math.min(draws.length, i);
      rs.shuffleDraws(i, count, draws);
      i -= count;
    }
    for (let k = 0; k < nLabels; k++) refCounts[k] = total[k] - curCounts[k];
    if (observed <= scaledTvd(refCounts, curCounts, nRef, nCur)) atLeastObserved++;
  }
  return {
    score: atLeastObserved / ITERATIONS,
    details: { observed_tvd: observed / (2 * nRef * nCur), permutations: ITERATIONS },
  };
};
