import { StatTestError } from '../errors.js';
import { npSum, npSumOf } from './npsum.js';
import { sortedCopy, upperBound } from './sorted.js';

/** l1AgainstLongSide's parts, one buffer per thread grown to the longest short side: windows call it hundreds of times. */
let scratch = new Float64Array(0);

/**
 * A current side this many times shorter than the reference (a window) is integrated (l1AgainstLongSide):
 * a short bisection and the arithmetic per current value, nothing per reference value.
 * Sides of comparable size (a whole report) keep scipy's term-by-term sum, last bit included.
 */
const SHORT_SIDE_RATIO = 16;
/** Every BLOCK-th value of a long side goes into its sample (sampleOf). */
const BLOCK = 32;

/**
 * scipy.stats._stats_py._cdf_distance for p = 1 or 2 without weights: Σ |F_u − F_v|^p · Δx over the merged
 * sorted support (p = 2 returns the square root). numpy forms one term per gap between consecutive pooled
 * values (zero-width gaps between ties included) and sums them pairwise; the terms are laid out the same way
 * here so the sum is bit-identical. A much shorter current side (a window against a big reference) is
 * integrated instead (l1AgainstLongSide): within 1e-12 relative of scipy, and the same for the same inputs,
 * so a window still equals a report on its rows alone.
 */
export function cdfDistance(p: 1 | 2, u: Float64Array, v: Float64Array): number {
  if (u.length === 0 || v.length === 0) throw new StatTestError("Distribution can't be empty.");
  const nu = u.length;
  const nv = v.length;
  if (p === 1 && nu >= SHORT_SIDE_RATIO * nv) return l1AgainstLongSide(sortedCopy(u), sortedCopy(v));
  const n = nu + nv - 1;
  const x = sortedCopy(u);
  const y = sortedCopy(v);
  // forEachMergedValue's walk, inlined (this loop runs over the whole reference) and resumed block by block
  // (npSumOf): term k is the gap ending at merged index k, zero between tied values. Materialised, the terms
  // were an array as long as both sides (800 MB per thread at 50M + 50M rows).
  // The walk's state lives across blocks; each block works on local copies, which V8 keeps in registers.
  let walkI = 0;
  let walkJ = 0;
  let walkValue = 0;
  let walkDiff = 0;
  const sum = npSumOf(n, (block, start, count) => {
    block.fill(0, 0, count);
    const end = start + count;
    let i = walkI;
    let j = walkJ;
    let lastValue = walkValue;
    let lastDiff = walkDiff;
    // The gap that the next distinct value closes is term i + j − 1; stop before the one past this block.
    while ((i < nu || j < nv) && i + j - 1 < end) {
      const value = j >= nv || (i < nu && x[i] <= y[j]) ? x[i] : y[j];
      const closing = i + j - 1;
      if (closing >= start) block[closing - start] = p === 1 ? Math.abs(lastDiff) * (value - lastValue) : lastDiff * lastDiff * (value - lastValue);
      while (i < nu && x[i] === value) i++;
      while (j < nv && y[j] === value) j++;
      lastDiff = i / nu - j / nv;
      lastValue = value;
    }
    walkI = i;
    walkJ = j;
    walkValue = lastValue;
    walkDiff = lastDiff;
  });
  return p === 1 ? sum : Math.sqrt(sum);
}

/** Prefix integrals of a sorted side's ECDF, kept while the sorted array lives: a reference serves every window. */
const integrals = new WeakMap<Float64Array, Float64Array>();

/** What a sorted long side keeps for the windows placed in it (exportPrepared in data/values.ts): its prefix integrals and sample. */
export interface LongSide {
  integral: Float64Array;
  sample: Float64Array;
}

/** The prefix integrals and the sample kept for a sorted array, if any (both are made by the same first use). */
export function cachedLongSide(sorted: Float64Array): LongSide | undefined {
  const integral = integrals.get(sorted);
  const sample = samples.get(sorted);
  return integral && sample && { integral, sample };
}

export function adoptLongSide(sorted: Float64Array, kept: LongSide): void {
  integrals.set(sorted, kept.integral);
  samples.set(sorted, kept.sample);
}

/**
 * s[i] = ∫ F(t) dt from x[0] to x[i], F the ECDF of the sorted x: on [x[i-1], x[i]) F is i/n (a tie gives a
 * zero-width step). Summed with Neumaier's compensation, so each entry is the integral rounded once and the
 * difference of two entries is accurate to a rounding of the larger, however far apart they are.
 */
function ecdfIntegral(x: Float64Array): Float64Array {
  let s = integrals.get(x);
  if (s) return s;
  const n = x.length;
  s = new Float64Array(n);
  let sum = 0;
  let carry = 0;
  for (let i = 1; i < n; i++) {
    const term = (i / n) * (x[i] - x[i - 1]);
    const t = sum + term;
    carry += Math.abs(sum) >= Math.abs(term) ? sum - t + term : term - t + sum;
    sum = t;
    s[i] = sum + carry;
  }
  integrals.set(x, s);
  return s;
}

/** Per-thread buffers of l1AgainstLongSide, grown to the longest short side so far. */
let values = new Float64Array(0);
let places = new Int32Array(0);
let ranks = new Int32Array(0);

/**
 * ∫ |F_x − F_y| dt for a long sorted x (n values) and a short sorted y (m): between consecutive distinct y
 * values F_y is a constant c, and ∫ |F_x − c| over that stretch splits where F_x reaches c (at x[q − 1],
 * q = ⌈c·n⌉) into two integrals of F_x that the prefix integrals give in O(1). Nothing is summed per x value.
 */
function l1AgainstLongSide(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const m = y.length;
  const s = ecdfIntegral(x);
  if (values.length < m) [values, places, ranks] = [new Float64Array(m), new Int32Array(m), new Int32Array(m)];
  if (scratch.length < m + 1) scratch = new Float64Array(m + 1);
  // First each distinct y value's place in x (how many x are <= it) and rank in y (how many y are): the
  // sample of x, small enough to stay in cache, gives the block, a bisection the place inside it. Scanning x
  // itself streamed the whole reference through memory per window and column (twice as slow). The integrals
  // are read in a second loop, whose loads do not wait on each other.
  const sample = sampleOf(x);
  const blocks = sample.length;
  let d = 0;
  let block = 0;
  for (let j = 0; j < m;) {
    const v = y[j];
    while (j < m && y[j] === v) j++;
    // The first block starting above v: x[(block − 1)·BLOCK] <= v < x[block·BLOCK], the place in between.
    while (block < blocks && sample[block] <= v) block++;
    values[d] = v;
    places[d] = upperBound(x, v, block === 0 ? 0 : (block - 1) * BLOCK + 1, block === blocks ? n : block * BLOCK);
    ranks[d++] = j;
  }
  const integralTo = (i: number) => (places[i] === 0 ? 0 : s[places[i] - 1] + (places[i] / n) * (values[i] - x[places[i] - 1]));
  const parts = scratch;
  // Below the first y value F_y is 0: ∫ F_x up to it.
  let ga = integralTo(0);
  parts[0] = ga;
  for (let i = 1; i < d; i++) {
    const a = values[i - 1];
    const b = values[i];
    const gb = integralTo(i);
    // F_y = c on [a, b); F_x = q/n >= c from x[q - 1] on. The comparison is the walk's own (q/n against j/m
    // in floating point), so the split falls where the sign of F_x − F_y changes there.
    const c = ranks[i - 1] / m;
    let q = Math.min(n, Math.ceil(c * n));
    while (q > 1 && (q - 1) / n >= c) q--;
    while (q < n && q / n < c) q++;
    const cross = Math.min(Math.max(x[q - 1], a), b);
    const gc = cross === a ? ga : cross === b ? gb : s[q - 1];
    parts[i] = c * (cross - a) - (gc - ga) + (gb - gc) - c * (b - cross);
    ga = gb;
  }
  // Above the last y value F_y is 1: ∫ (1 − F_x) up to the last x.
  const a = values[d - 1];
  const last = x[n - 1];
  parts[d] = last > a ? last - a - (s[n - 1] - ga) : 0;
  return npSum(parts, 0, d + 1);
}

/** Every BLOCK-th value of a sorted long side, kept while the sorted array lives (a reference serves every window). */
const samples = new WeakMap<Float64Array, Float64Array>();

function sampleOf(x: Float64Array): Float64Array {
  let sample = samples.get(x);
  if (!sample) {
    sample = new Float64Array(Math.ceil(x.length / BLOCK));
    for (let b = 0; b < sample.length; b++) sample[b] = x[b * BLOCK];
    samples.set(x, sample);
  }
  return sample;
}
