/**
 * numpy's `add.reduce` over a contiguous 1-D array: pairwise summation with blocks of 128 and eight
 * accumulators. Reproducing its exact order makes means, variances and sums bit-identical to numpy's,
 * which matters where Evidently's result hinges on an exact zero (constant columns) or a tie.
 */
export function npSum(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return 0 + pairwise(a, start, n);
}

function pairwise(a: ArrayLike<number>, s: number, n: number): number {
  if (n <= 128) return leafSum(a, s, n);
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, s, n2) + pairwise(a, s + n2, n - n2);
}

/** numpy's sum of one block (at most 128 values): eight accumulators, or one below eight values. */
function leafSum(a: ArrayLike<number>, s: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[s + i];
    return res;
  }
  let r0 = a[s], r1 = a[s + 1], r2 = a[s + 2], r3 = a[s + 3];
  let r4 = a[s + 4], r5 = a[s + 5], r6 = a[s + 6], r7 = a[s + 7];
  const end = n - (n % 8);
  let i = 8;
  for (; i < end; i += 8) {
    const b = s + i;
    r0 += a[b]; r1 += a[b + 1]; r2 += a[b + 2]; r3 += a[b + 3];
    r4 += a[b + 4]; r5 += a[b + 5]; r6 += a[b + 6]; r7 += a[b + 7];
  }
  let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
  for (; i < n; i++) res += a[s + i];
  return res;
}

/** The one block that {@link npSumOf} fills at a time. */
const block = new Float64Array(128);

/**
 * {@link npSum} of n terms that are never stored as an array: `fill(block, start, count)` writes terms
 * start … start + count − 1 into block[0 … count − 1]. Blocks are asked for in ascending order, so a
 * sequential walk can produce them. Same splits, same bits as npSum over the materialised terms, without
 * an array as long as the column (hundreds of MB per thread at 50M rows).
 */
export function npSumOf(n: number, fill: (block: Float64Array, start: number, count: number) => void): number {
  return 0 + pairwiseOf(0, n, fill);
}

function pairwiseOf(s: number, n: number, fill: (block: Float64Array, start: number, count: number) => void): number {
  if (n <= 128) {
    fill(block, s, n);
    return leafSum(block, 0, n);
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseOf(s, n2, fill) + pairwiseOf(s + n2, n - n2, fill);
}

/** Same order as {@link npSum} with every operation rounded to float32 (numpy's float32/float16 sums). */
export function npSumF32(a: ArrayLike<number>): number {
  return Math.fround(0 + pairwiseF32(a, 0, a.length));
}

function pairwiseF32(a: ArrayLike<number>, s: number, n: number): number {
  const f = Math.fround;
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f(res + a[s + i]);
    return res;
  }
  if (n <= 128) {
    const r = [f(a[s]), f(a[s + 1]), f(a[s + 2]), f(a[s + 3]), f(a[s + 4]), f(a[s + 5]), f(a[s + 6]), f(a[s + 7])];
    const end = n - (n % 8);
    let i = 8;
    for (; i < end; i += 8) for (let j = 0; j < 8; j++) r[j] = f(r[j] + a[s + i + j]);
    let res = f(f(f(r[0] + r[1]) + f(r[2] + r[3])) + f(f(r[4] + r[5]) + f(r[6] + r[7])));
    for (; i < n; i++) res = f(res + a[s + i]);
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f(pairwiseF32(a, s, n2) + pairwiseF32(a, s + n2, n - n2));
}

/** numpy's `mean` of a float64 array. */
export function npMean(a: Float64Array): number {
  return npSum(a) / a.length;
}

/** numpy's `var(a, ddof)`: two passes, squared deviations summed pairwise. */
export function npVar(a: Float64Array, ddof = 0): number {
  const n = a.length;
  const mean = npMean(a);
  const sq = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = a[i] - mean;
    sq[i] = d * d;
  }
  return npSum(sq) / (n - ddof);
}
