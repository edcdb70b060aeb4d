/**
 * Exact null distribution of the Mann-Whitney U statistic (no ties) for sample sizes m and n.
 *
 * The number of arrangements with U = u is the coefficient of q^u in the Gaussian binomial
 * [m+n choose m]_q = Π_{i=1..a} (1 − q^{b+i}) / (1 − q^i) with a = min(m, n), b = max(m, n). Applying one
 * factor pair at a time keeps every intermediate an exact integer polynomial (exact in doubles below 2^53),
 * and costs O(a·k) for the first k + 1 coefficients, so a tiny sample against a huge one stays feasible.
 */
function countsUpTo(k: number, m: number, n: number): Float64Array {
  const a = Math.min(m, n);
  const b = Math.max(m, n);
  const c = new Float64Array(k + 1);
  c[0] = 1;
  for (let i = 1; i <= a; i++) {
    for (let u = k; u >= b + i; u--) c[u] -= c[u - b - i];
    for (let u = i; u <= k; u++) c[u] += c[u - i];
  }
  return c;
}

/** scipy.special.binom(n, k) for integer k < 20: a running product, rescaled when the numerator gets large. */
function binom(n: number, k: number): number {
  let kx = k;
  if (kx > n / 2 && n > 0) kx = n - kx;
  let num = 1;
  let den = 1;
  for (let i = 1; i <= kx; i++) {
    num *= i + n - kx;
    den *= i;
    if (Math.abs(num) > 1e50) {
      num /= den;
      den = 1;
    }
  }
  return num / den;
}

/**
 * P(U <= k): the cumulative sum of count/binom(m+n, m), as scipy 1.10's `_MWU.cdf`. Above the centre the
 * complement is summed instead (the distribution is symmetric), which halves the work without changing the
 * value beyond rounding.
 */
export function mwuExactCdf(k: number, m: number, n: number): number {
  const total = binom(m + n, Math.min(m, n));
  const mn = m * n;
  const upper = k > mn / 2;
  const kk = upper ? mn - k - 1 : k;
  if (kk < 0) return 1;
  const counts = countsUpTo(kk, m, n);
  let cdf = 0;
  for (let u = 0; u <= kk; u++) cdf += counts[u] / total;
  return upper ? 1 - cdf : cdf;
}
