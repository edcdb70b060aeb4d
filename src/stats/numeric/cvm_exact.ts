import { npSumF32 } from './npsum.js';
import { gcd } from './round.js';

/**
 * Exact p-value of the two-sample Cramér-von Mises statistic as Evidently's `_pval_cvm_2samp_exact` computes
 * it (the Xiao-Gordon-Yakovlev recursion over frequency tables g_{u,v}).
 *
 * Evidently stores the tables in `np.min_scalar_type(max(zeta_bound, combinations))`. `combinations` is a
 * Python float, so whenever it is the larger bound the dtype is float16 (below 65000) or float32, and the
 * counts are rounded to that precision at every merge; numpy 1.24's value-based casting then also compares
 * the statistic bound in that precision and sums the selected counts in float32. Those roundings shift the
 * p-value by up to ~1e-3 for some sizes (e.g. 8 vs 8), so they are reproduced here, together with numpy's
 * ordering of the merged tables (which fixes the float32 summation order).
 */

type Precision = 'exact' | 'float16' | 'float32';

/** Nearest IEEE half-precision value (ties to even), as numpy's float → float16 conversion. */
function toFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const ax = Math.abs(x);
  let e = Math.floor(Math.log2(ax));
  if (2 ** e > ax) e--;
  else if (2 ** (e + 1) <= ax) e++;
  const ulp = 2 ** (Math.max(e, -14) - 10);
  const q = ax / ulp;
  const f = Math.floor(q);
  const diff = q - f;
  const r = diff > 0.5 || (diff === 0.5 && f % 2 === 1) ? f + 1 : f;
  const out = r * ulp;
  return Math.sign(x) * (out > 65504 ? Infinity : out);
}

function rounder(precision: Precision): (v: number) => number {
  if (precision === 'float16') return (v) => toFloat16(Math.fround(v));
  if (precision === 'float32') return Math.fround;
  return (v) => v;
}

/** np.min_scalar_type of Evidently's bound: unsigned ints hold integers exactly; float16/float32 do not. */
function tablePrecision(zetaBound: number, combinations: number): Precision {
  if (zetaBound >= combinations) return 'exact';
  return combinations < 65000 ? 'float16' : 'float32';
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** numpy's float floor_divide (via fmod), which differs from Math.floor(a / b) when a / b rounds up. */
function npFloorDivide(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  // numpy also moves mod into b's sign here; only the quotient is needed.
  if (mod && b < 0 !== mod < 0) div -= 1;
  if (!div) return 0 * Math.sign(a / b);
  let floordiv = Math.floor(div);
  if (div - floordiv > 0.5) floordiv += 1;
  return floordiv;
}

interface Table {
  values: number[];
  counts: number[];
}

/**
 * One step of the recursion: numpy's `intersect1d` + `delete` + `concatenate` of the table reached from the
 * left (`tmp`) and from below (`g`): common values first (ascending, counts added), then the rest of `tmp`,
 * then the rest of `g`, each in its existing order; then every value is shifted by `shift`.
 */
function mergeTables(tmp: Table, g: Table, shift: number, round: (v: number) => number): Table {
  const firstInTmp = new Map<number, number>();
  tmp.values.forEach((v, i) => { if (!firstInTmp.has(v)) firstInTmp.set(v, i); });
  const firstInG = new Map<number, number>();
  g.values.forEach((v, i) => { if (!firstInG.has(v)) firstInG.set(v, i); });
  const common = [...firstInTmp.keys()].filter((v) => firstInG.has(v)).sort((a, b) => a - b);
  const usedTmp = new Set<number>();
  const usedG = new Set<number>();
  const values: number[] = [];
  const counts: number[] = [];
  for (const v of common) {
    const i0 = firstInTmp.get(v)!;
    const i1 = firstInG.get(v)!;
    usedTmp.add(i0);
    usedG.add(i1);
    values.push(v);
    counts.push(round(tmp.counts[i0] + g.counts[i1]));
  }
  tmp.values.forEach((v, i) => { if (!usedTmp.has(i)) { values.push(v); counts.push(tmp.counts[i]); } });
  g.values.forEach((v, i) => { if (!usedG.has(i)) { values.push(v); counts.push(g.counts[i]); } });
  for (let i = 0; i < values.length; i++) values[i] = round(values[i] + shift);
  return { values, counts };
}

/** Exact P(U >= s) for sample sizes m (reference) and n (current); `s` is the U statistic. */
export function cvmExactPValue(s: number, m: number, n: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zetaBound = lcm * lcm * (m + n);
  const zeta = npFloorDivide(zetaBound * (6 * s - mn * (4 * mn - 1)), 6 * mn * mn);
  const combinations = binomial(m + n, m);
  const precision = tablePrecision(zetaBound, combinations);
  const round = rounder(precision);

  let gs: Table[] = [{ values: [0], counts: [1] }];
  for (let v = 0; v < m; v++) gs.push({ values: [], counts: [] });
  for (let u = 0; u <= n; u++) {
    const next: Table[] = [];
    let tmp: Table = { values: [], counts: [] };
    for (let v = 0; v < gs.length; v++) {
      tmp = mergeTables(tmp, gs[v], (a * v - b * u) ** 2, round);
      next.push(tmp);
    }
    gs = next;
  }

  const { values, counts } = gs[m];
  const bound = precision === 'exact' ? zeta : round(zeta);
  const selected = counts.filter((_, i) => values[i] >= bound);
  let total: number;
  if (precision === 'exact') total = selected.reduce((acc, c) => acc + c, 0);
  else if (precision === 'float32') total = npSumF32(selected);
  else total = toFloat16(npSumF32(selected));
  return total / combinations;
}
