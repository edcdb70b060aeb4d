import { StatTestError } from '../errors.js';
import type { DriftSample, NumericSample } from '../types.js';

/** The numeric view of a sample; the numeric tests are never registered for categorical-only columns. */
export function numericSides(sample: DriftSample, test: string): NumericSample {
  if (!sample.num) throw new StatTestError(`${test} needs numeric data`);
  return sample.num;
}

const sortedCache = new WeakMap<Float64Array, Float64Array>();

/** Below this size the engine's comparison sort beats the radix sort's fixed cost. */
const RADIX_MIN = 2048;
const DIGITS = 65536;
/** One scratch buffer per thread, grown to the largest column sorted so far, instead of one per sort. */
let scratch = new Float64Array(0);

/**
 * Ascending copy of finite, non-NaN doubles by LSD radix sort on the IEEE-754 bits (16-bit digits, passes
 * whose digit is the same for every value skipped): about twice as fast as the native typed-array sort on a
 * million values, and sorting dominates the rank and ECDF tests on big columns. -0 and +0 are equal
 * for every test, so their relative order does not matter.
 */
function radixSorted(src: Float64Array): Float64Array {
  const n = src.length;
  const a = new Float64Array(src);
  if (n < RADIX_MIN) return a.sort();
  if (scratch.length < n) scratch = new Float64Array(n);
  let from = new Uint32Array(a.buffer, 0, 2 * n);
  let to = new Uint32Array(scratch.buffer, 0, 2 * n);
  // Words are little-endian (lo, hi). Flipping makes unsigned integer order equal numeric order:
  // negatives get every bit inverted, positives just the sign bit.
  const counts = new Uint32Array(4 * DIGITS);
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = from[i];
    let hi = from[i + 1];
    if (hi & 0x80000000) {
      hi = ~hi >>> 0;
      lo = ~lo >>> 0;
      from[i] = lo;
    } else hi = (hi | 0x80000000) >>> 0;
    from[i + 1] = hi;
    counts[lo & 0xffff]++;
    counts[DIGITS + (lo >>> 16)]++;
    counts[2 * DIGITS + (hi & 0xffff)]++;
    counts[3 * DIGITS + (hi >>> 16)]++;
  }
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * DIGITS;
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    if (counts[base + ((from[word] >>> shift) & 0xffff)] === n) continue;
    let sum = 0;
    for (let d = 0; d < DIGITS; d++) {
      const c = counts[base + d];
      counts[base + d] = sum;
      sum += c;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = from[i];
      const hi = from[i + 1];
      const p = 2 * counts[base + (((word ? hi : lo) >>> shift) & 0xffff)]++;
      to[p] = lo;
      to[p + 1] = hi;
    }
    const t = from;
    from = to;
    to = t;
  }
  // The result must live in `a`: the scratch buffer is reused by the next sort.
  const out = new Uint32Array(a.buffer, 0, 2 * n);
  for (let i = 0; i < 2 * n; i += 2) {
    const hi = from[i + 1];
    if (hi & 0x80000000) {
      out[i] = from[i];
      out[i + 1] = hi & 0x7fffffff;
    } else {
      out[i] = ~from[i] >>> 0;
      out[i + 1] = ~hi >>> 0;
    }
  }
  return a;
}

/** Above this many values the buckets' counts and the scattered writes outgrow the caches: coarse buckets first. */
const BUCKET_SORT_MAX = 1 << 22;
/** About this many values (512 KB) per coarse bucket, sorted in the caches. */
const COARSE_BUCKET = 1 << 16;
/** Where a coarse bucket is sorted before it is copied back, one per thread. */
let bucketScratch = new Float64Array(0);
/** A bucket holding more values than this is sorted on its own first, so the insertion pass stays short. */
const BUCKET_RUN = 32;
/** The buckets' counts, one array per thread grown to the largest column: fresh memory costs a page fault per 4 KB. */
let bucketStarts = new Int32Array(0);
/**
 * Buffers of bucket-sorted copies released with their column, for the next columns' sorts in this thread: a new
 * 8 MB array costs two thousand page faults, as much as the sort itself on a busy machine. The last two are kept.
 */
const spareBuffers: ArrayBuffer[] = [];
const SPARE_BUFFERS = 2;
/** Longer copies (the column-batch engine's 50M values, 400 MB) are not kept between columns. */
const SPARE_MAX_LENGTH = 1 << 24;
/** The sorted copies whose buffer this thread made and may hand on once released. */
const recyclable = new WeakSet<Float64Array>();

/** An array of n doubles for a sort that writes every element: a released copy's buffer when one fits. */
function sortOutput(n: number): Float64Array {
  let k = spareBuffers.length - 1;
  while (k >= 0 && spareBuffers[k].byteLength !== n * Float64Array.BYTES_PER_ELEMENT) k--;
  const out = k >= 0 ? new Float64Array(spareBuffers.splice(k, 1)[0]) : new Float64Array(n);
  recyclable.add(out);
  return out;
}

/**
 * Ascending copy of finite doubles by their place in [min, max]: each value goes to bucket ⌊(v − min)·scale⌋ of
 * n/2 (rounding is monotone, so bucket order is value order), then one insertion pass moves values only within
 * their bucket. That is a counting pass and a scatter pass instead of the radix sort's four scatters, about
 * half the time on a million values spread over their range. A crowded bucket (a far outlier squeezes the rest
 * into a few) is radix-sorted on its own unless it already ascends (ties), so skew costs at most a radix sort.
 * Above BUCKET_SORT_MAX values the scattered writes would miss the caches on every value, so the values are
 * first spread over buckets of about COARSE_BUCKET (a few streams, written in order), each then sorted as a small
 * column: at 10M values the radix sort took 13× its time on 1M, this about 10×.
 * The order is the radix sort's, -0 before +0 included (equal to each other, the zeros stay in row order, so
 * they are rewritten at the end). Null when the range has no finite scale (infinities, NaN, a constant column).
 * `out`, when given, receives the result (at least n long); else the copy is new or a released one's memory.
 */
function bucketSorted(src: Float64Array, out?: Float64Array): Float64Array | null {
  const n = src.length;
  let min = src[0];
  let max = src[0];
  let negativeZeros = 0;
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0 && 1 / v < 0) negativeZeros++;
  }
  const coarse = n > BUCKET_SORT_MAX;
  const buckets = coarse ? Math.ceil(n / COARSE_BUCKET) : n >>> 1;
  const scale = buckets / (max - min);
  if (!(scale > 0 && scale < Infinity)) return null;
  const last = buckets - 1;
  // starts[b + 1] counts bucket b, then the prefix sums make starts[b] where bucket b begins. The coarse
  // buckets' few counts are their own: sorting each bucket uses the thread's array.
  if (!coarse && bucketStarts.length < buckets + 1) bucketStarts = new Int32Array(buckets + 1);
  const starts = coarse ? new Int32Array(buckets + 1) : bucketStarts.fill(0, 0, buckets + 1);
  for (let i = 0; i < n; i++) starts[Math.min(last, Math.floor((src[i] - min) * scale)) + 1]++;
  let crowded = 0;
  for (let b = 1; b <= buckets; b++) {
    if (starts[b] > crowded) crowded = starts[b];
    starts[b] += starts[b - 1];
  }
  // A NaN falls in no bucket.
  if (starts[buckets] !== n) return null;
  const a = out ? out.subarray(0, n) : sortOutput(n);
  for (let i = 0; i < n; i++) {
    const v = src[i];
    a[starts[Math.min(last, Math.floor((v - min) * scale))]++] = v;
  }
  // Now starts[b] is where bucket b ends.
  if (coarse) {
    for (let b = 0; b < buckets; b++) {
      const bucket = a.subarray(b === 0 ? 0 : starts[b - 1], starts[b]);
      if (ascending(bucket)) continue;
      if (bucketScratch.length < bucket.length) bucketScratch = new Float64Array(bucket.length);
      const sorted = (bucket.length >= RADIX_MIN && bucket.length <= BUCKET_SORT_MAX && bucketSorted(bucket, bucketScratch)) || radixSorted(bucket);
      bucket.set(sorted.subarray(0, bucket.length));
    }
  } else {
    if (crowded > BUCKET_RUN) {
      for (let b = 0; b < buckets; b++) {
        const from = b === 0 ? 0 : starts[b - 1];
        if (starts[b] - from <= BUCKET_RUN) continue;
        const bucket = a.subarray(from, starts[b]);
        if (!ascending(bucket)) a.set(radixSorted(bucket), from);
      }
    }
    for (let i = 1; i < n; i++) {
      const v = a[i];
      let j = i - 1;
      if (a[j] <= v) continue;
      do {
        a[j + 1] = a[j];
        j--;
      } while (j >= 0 && a[j] > v);
      a[j + 1] = v;
    }
  }
  if (negativeZeros > 0) {
    const zeros = lowerBound(a, 0);
    a.fill(-0, zeros, zeros + negativeZeros).fill(0, zeros + negativeZeros, upperBound(a, 0, zeros));
  }
  return a;
}

/** One pass, stopping at the first descent, so unsorted input costs next to nothing. */
function ascending(a: Float64Array): boolean {
  for (let i = 1; i < a.length; i++) if (a[i] < a[i - 1]) return false;
  return true;
}

/**
 * Ascending copy, remembered while the input array lives so that every test on a column sorts it once.
 * Callers must treat it as read-only; `releaseSorted` ends its life early when a column is done.
 */
export function sortedCopy(a: Float64Array): Float64Array {
  let sorted = sortedCache.get(a);
  if (!sorted) {
    // Values that arrive sorted (a database's ORDER BY) serve as their own sorted copy: no second array, no sort.
    sorted = ascending(a) ? a : ((a.length >= RADIX_MIN && bucketSorted(a)) || radixSorted(a));
    sortedCache.set(a, sorted);
  }
  return sorted;
}

/** The sorted copy made of `a`, if one is kept. */
export const cachedSorted = (a: Float64Array): Float64Array | undefined => sortedCache.get(a);

/** Takes `sorted` (made elsewhere, e.g. in another thread) as the sorted copy of `a`. */
export function adoptSorted(a: Float64Array, sorted: Float64Array): void {
  sortedCache.set(a, sorted);
}

/** Ends the life of the sorted copies of `arrays`: nothing may read them afterwards, as their memory is reused. */
export function releaseSorted(...arrays: Float64Array[]): void {
  for (const a of arrays) {
    const sorted = sortedCache.get(a);
    sortedCache.delete(a);
    if (!sorted || !recyclable.delete(sorted) || sorted.length > SPARE_MAX_LENGTH) continue;
    if (spareBuffers.push(sorted.buffer as ArrayBuffer) > SPARE_BUFFERS) spareBuffers.shift();
  }
}

/** First index whose value is >= x in an ascending array. */
export function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose value is > x in an ascending array, searched within [lo, hi). */
export function upperBound(sorted: Float64Array, x: number, lo = 0, hi = sorted.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * numpy's 'linear' percentile (`np.percentile(..., q * 100)`) of `n` ordered values, the k-th smallest read
 * through `at(k)`: virtual index (n - 1)·q and numpy's two-sided lerp, which rounds differently above and
 * below the midpoint.
 */
export function linearQuantile(n: number, q: number, at: (k: number) => number): number {
  const vi = (n - 1) * q;
  const lo = Math.floor(vi);
  const gamma = vi - lo;
  const a = at(lo);
  const b = at(Math.min(lo + 1, n - 1));
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** The k-th smallest (0-based) value of the union of two ascending arrays, by binary search on the split. */
export function kthOfSortedPair(x: Float64Array, y: Float64Array, k: number): number {
  // Take i values from x and k + 1 − i from y so that together they are the k + 1 smallest.
  let lo = Math.max(0, k + 1 - y.length);
  let hi = Math.min(k + 1, x.length);
  while (lo < hi) {
    const i = (lo + hi) >>> 1;
    const j = k + 1 - i;
    if (j > 0 && i < x.length && y[j - 1] > x[i]) lo = i + 1;
    else hi = i;
  }
  const i = lo;
  const j = k + 1 - i;
  const fromX = i > 0 ? x[i - 1] : -Infinity;
  const fromY = j > 0 ? y[j - 1] : -Infinity;
  return Math.max(fromX, fromY);
}

/**
 * Walks two ascending arrays in merged order, one call per distinct value, with how many times that value
 * occurs on each side and how many pooled values precede it. This gives pooled average ranks, ECDFs and tie
 * counts without materialising the pooled sample.
 */
export function forEachMergedValue(
  x: Float64Array,
  y: Float64Array,
  visit: (value: number, countX: number, countY: number, before: number) => void,
): void {
  let i = 0;
  let j = 0;
  const nx = x.length;
  const ny = y.length;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i] <= y[j]) ? x[i] : y[j];
    const i0 = i;
    const j0 = j;
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    visit(v, i - i0, j - j0, i0 + j0);
  }
}
