/**
 * numpy's legacy `RandomState` (the `np.random.*` global generator), reduced to what the permutation tests
 * need. Evidently seeds it with `np.random.seed(0)` and draws with `np.random.choice(..., replace=False)` /
 * `np.random.permutation`, so reproducing its p-values bit for bit means reproducing this exact stream:
 * MT19937 seeded like numpy's `mt19937_seed`, numpy's 53-bit doubles, and the legacy shuffle's
 * masked-rejection bounded integers.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df | 0;
const UPPER_MASK = 0x80000000 | 0;
const LOWER_MASK = 0x7fffffff;
const TEMPER_B = 0x9d2c5680 | 0;
const TEMPER_C = 0xefc60000 | 0;

/** Typed arrays that `shuffle` can permute in place. */
export type ShuffleTarget = Int32Array | Uint32Array | Uint16Array | Uint8Array | Float64Array;

export class RandomState {
  // State words and their tempered outputs are kept as int32 bit patterns: V8 keeps int32 arithmetic
  // unboxed, while uint32 values above 2^31 would become doubles on every read.
  private readonly mt = new Int32Array(N);
  private readonly out = new Int32Array(N);
  private pos = N;

  constructor(seed = 0) {
    this.seed(seed);
  }

  /** `np.random.seed(seed)` for an integer seed: Knuth's initialisation (`init_genrand`). */
  seed(seed: number): void {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError('Seed must be between 0 and 2**32 - 1');
    }
    const mt = this.mt;
    mt[0] = seed | 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = Math.imul(1812433253, prev) + i;
    }
    this.pos = N;
  }

  /** Regenerates the 624 state words and tempers them into the next block of outputs. */
  private refill(): void {
    const mt = this.mt;
    let y: number;
    let kk = 0;
    for (; kk < N - M; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    for (; kk < N - 1; kk++) {
      y = (mt[kk] & UPPER_MASK) | (mt[kk + 1] & LOWER_MASK);
      mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }
    y = (mt[N - 1] & UPPER_MASK) | (mt[0] & LOWER_MASK);
    mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    const out = this.out;
    for (let i = 0; i < N; i++) {
      y = mt[i];
      y ^= y >>> 11;
      y ^= (y << 7) & TEMPER_B;
      y ^= (y << 15) & TEMPER_C;
      y ^= y >>> 18;
      out[i] = y;
    }
    this.pos = 0;
  }

  /** Next raw 32-bit output (`genrand_int32`), as an unsigned number. */
  nextUint32(): number {
    if (this.pos === N) this.refill();
    return this.out[this.pos++] >>> 0;
  }

  /** `random_sample()`: a double in [0, 1) from two draws (27 + 26 bits), as numpy builds it. */
  randomSample(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }

  /**
   * Uniform integer in [0, max] by masked rejection (numpy's `random_interval`), the draw the legacy
   * shuffle makes for every position. Bounds are limited to 2^31 − 1 (int32 arithmetic), more than any
   * typed array can hold.
   */
  interval(max: number): number {
    if (max === 0) return 0;
    if (!(max > 0 && max <= 0x7fffffff)) throw new RangeError('interval bound must be in [0, 2^31 - 1]');
    return this.masked(max, maskFor(max));
  }

  private masked(max: number, mask: number): number {
    const out = this.out;
    let value: number;
    do {
      if (this.pos === N) this.refill();
      value = out[this.pos++] & mask;
    } while (value > max);
    return value;
  }

  /**
   * The draws of the legacy shuffle's steps i = hi, hi − 1, …, hi − count + 1, into dst[0..count): the
   * same numbers as `count` calls of `interval(i)`, without per-call overhead, for callers that only need
   * part of a permutation (every draw must still be made to keep the stream in step).
   */
  shuffleDraws(hi: number, count: number, dst: Int32Array): void {
    if (count > 0 && !(hi - count + 1 >= 1 && hi <= 0x7fffffff)) {
      throw new RangeError('shuffle steps must lie in [1, 2^31 - 1]');
    }
    const out = this.out;
    let pos = this.pos;
    let max = hi;
    let mask = maskFor(hi);
    let t = 0;
    while (t < count) {
      if (pos === N) {
        this.refill();
        pos = 0;
      }
      const v = out[pos++] & mask;
      // Branch-free accept (v <= max): rejections are too irregular for the branch predictor. A rejected
      // value is overwritten by the next candidate.
      const accept = 1 - ((max - v) >>> 31);
      dst[t] = v;
      t += accept;
      max -= accept;
      if (max <= mask >>> 1) mask >>>= 1;
    }
    this.pos = pos;
  }

  /** The legacy `shuffle` of a 1-d array: Fisher-Yates from the last position down to 1. */
  shuffle(x: ShuffleTarget): void {
    for (let i = x.length - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
  }

  /** `permutation(n)`: a shuffled `arange(n)`. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    this.shuffle(out);
    return out;
  }
}

/** Smallest 2^k − 1 ≥ max. */
function maskFor(max: number): number {
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  return mask;
}
