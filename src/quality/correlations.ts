import type { ColumnPlan } from '../data/typing.js';
import { sideCodes } from '../data/values.js';
import type { ParsedColumn } from '../io/csv/types.js';
import { scoreToJson, type TargetDrift } from '../report/model.js';
import { npSum } from '../stats/numeric/npsum.js';
import { lowerBound, upperBound } from '../stats/numeric/sorted.js';

export type CorrelationKind = 'pearson' | 'spearman' | 'kendall' | 'cramer_v';

/** The rows where both columns have a value (pandas' pairwise-complete observations). */
function complete(a: Float64Array, b: Float64Array): [Float64Array, Float64Array] {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === a[i] && b[i] === b[i]) n++;
  if (n === a.length) return [a, b];
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0, k = 0; i < a.length; i++) {
    if (a[i] === a[i] && b[i] === b[i]) {
      x[k] = a[i];
      y[k++] = b[i];
    }
  }
  return [x, y];
}

/** `np.corrcoef(x, y)[0, 1]`: centred cross products over the two standard deviations, clipped to [-1, 1]. */
function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const mx = npSum(x) / n;
  const my = npSum(y) / n;
  const xy = new Float64Array(n);
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    xy[i] = dx * dy;
    xx[i] = dx * dx;
    yy[i] = dy * dy;
  }
  const fact = n - 1;
  const r = npSum(xy) / fact / Math.sqrt(npSum(xx) / fact) / Math.sqrt(npSum(yy) / fact);
  return Math.min(1, Math.max(-1, r));
}

/**
 * scipy's `rankdata` (ties get their average rank), read off a sorted copy by binary search. The ranks are
 * filled in a loop: `Float64Array.from(v, fn)` gathers a typed array into a list first (seconds and ~1 GB at
 * 50M rows, for every feature a target is correlated with).
 */
function averageRanks(v: Float64Array): Float64Array {
  const sorted = Float64Array.from(v).sort();
  const ranks = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) ranks[i] = (lowerBound(sorted, v[i]) + 1 + upperBound(sorted, v[i])) / 2;
  return ranks;
}

/** Dense ranks 0, 1, 2, ... of the distinct values, and how many there are. */
function denseRanks(v: Float64Array): { ranks: Int32Array; levels: number } {
  const sorted = Float64Array.from(v).sort();
  let levels = 0;
  const distinct = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct[levels++] = sorted[i];
  const keys = distinct.subarray(0, levels);
  const ranks = new Int32Array(v.length);
  for (let i = 0; i < v.length; i++) ranks[i] = lowerBound(keys, v[i]);
  return { ranks, levels };
}

/** Σ c(c−1)/2 over runs of equal values in an ascending array: the tied pairs. */
function tiedPairs(sorted: ArrayLike<number>): number {
  let ties = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    ties += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  return ties;
}

/**
 * scipy's `kendalltau` (tau-b): pairs sorted by x then y, discordant pairs counted as inversions of y with a
 * Fenwick tree, ties in x, in y and in both taken out exactly in integer arithmetic.
 */
function kendall(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const rx = denseRanks(x);
  const ry = denseRanks(y);
  const m = ry.levels;
  const keys = Float64Array.from({ length: n }, (_, i) => rx.ranks[i] * m + ry.ranks[i]).sort();
  const tree = new Float64Array(m + 1);
  let discordant = 0;
  for (let i = 0; i < n; i++) {
    const r = keys[i] % m;
    let notAbove = 0;
    for (let k = r + 1; k > 0; k -= k & -k) notAbove += tree[k];
    discordant += i - notAbove;
    for (let k = r + 1; k <= m; k += k & -k) tree[k]++;
  }
  const total = (n * (n - 1)) / 2;
  const xTies = tiedPairs(Float64Array.from(rx.ranks).sort());
  const yTies = tiedPairs(Float64Array.from(ry.ranks).sort());
  if (xTies === total || yTies === total) return NaN;
  const bothTies = tiedPairs(keys);
  const tau = (total - xTies - yTies + bothTies - 2 * discordant) / Math.sqrt(total - xTies) / Math.sqrt(total - yTies);
  return Math.min(1, Math.max(-1, tau));
}

/** Series.corr(other, method): NaN with fewer than two complete pairs, as numpy's corrcoef gives. */
export function numericCorrelation(kind: 'pearson' | 'spearman' | 'kendall', a: Float64Array, b: Float64Array): number {
  const [x, y] = complete(a, b);
  if (x.length < 2) return NaN;
  if (kind === 'pearson') return pearson(x, y);
  if (kind === 'spearman') return pearson(averageRanks(x), averageRanks(y));
  return kendall(x, y);
}

/**
 * Cramér's V of two categorical columns, as Evidently computes it: crosstab of the rows where both have a
 * value, chi-square without continuity correction, sqrt(χ²/n / min(r−1, c−1)); NaN when a side has one level.
 */
export function cramerV(a: ParsedColumn, b: ParsedColumn): number {
  const ca = sideCodes(a);
  const cb = sideCodes(b);
  const rows = ca.dict.length;
  const cols = cb.dict.length;
  const table = new Float64Array(rows * cols);
  let n = 0;
  for (let i = 0; i < ca.codes.length; i++) {
    if (ca.codes[i] < 0 || cb.codes[i] < 0) continue;
    table[ca.codes[i] * cols + cb.codes[i]]++;
    n++;
  }
  const rowSum = new Float64Array(rows);
  const colSum = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      rowSum[r] += table[r * cols + c];
      colSum[c] += table[r * cols + c];
    }
  }
  const usedRows = rowSum.filter((s) => s > 0).length;
  const usedCols = colSum.filter((s) => s > 0).length;
  const k = Math.min(usedRows - 1, usedCols - 1);
  if (k <= 0) return NaN;
  const terms: number[] = [];
  for (let r = 0; r < rows; r++) {
    if (!rowSum[r]) continue;
    for (let c = 0; c < cols; c++) {
      if (!colSum[c]) continue;
      const expected = (rowSum[r] * colSum[c]) / n;
      const d = table[r * cols + c] - expected;
      terms.push((d * d) / expected);
    }
  }
  return Math.sqrt(npSum(terms) / n / k);
}

export interface TargetCorrelation {
  kind: CorrelationKind;
  feature: string;
  reference: number;
  current: number;
}

interface Column {
  name: string;
  type: 'num' | 'cat';
  ref: ParsedColumn;
  cur: ParsedColumn;
}

/**
 * Evidently's ColumnCorrelationsMetric for a target or prediction column on both sides: Pearson, Spearman
 * and Kendall against every numerical feature when it is numerical, Cramér's V against every categorical
 * feature when it is categorical. `targetDriftOf` drops a categorical column's list when no feature gives a
 * number, as Evidently does; that needs every feature, so it is not done here.
 */
function columnCorrelations(column: Column, features: Column[]): TargetCorrelation[] {
  const peers = features.filter((f) => f.type === column.type);
  if (column.type === 'cat') {
    return peers.map((f) => ({ kind: 'cramer_v' as const, feature: f.name, reference: cramerV(column.ref, f.ref), current: cramerV(column.cur, f.cur) }));
  }
  return (['pearson', 'spearman', 'kendall'] as const).flatMap((kind) =>
    peers.map((f) => ({
      kind,
      feature: f.name,
      reference: numericCorrelation(kind, column.ref.numbers, f.ref.numbers),
      current: numericCorrelation(kind, column.cur.numbers, f.cur.numbers),
    })),
  );
}

type Sided = ColumnPlan & { ref: ParsedColumn; cur: ParsedColumn; type: 'num' | 'cat' };

const sided = (p: ColumnPlan): p is Sided => !!p.ref && !!p.cur && (p.type === 'num' || p.type === 'cat');
const asColumn = (p: Sided): Column => ({ name: p.name, type: p.type, ref: p.ref, cur: p.cur });
const targets = (plans: ColumnPlan[]) => plans.filter((p): p is Sided & { role: 'target' | 'prediction' } => (p.role === 'target' || p.role === 'prediction') && sided(p));

/**
 * The correlations of the target and of a single prediction column with the features among `plans`, by
 * column name: the column-batch engine gathers them batch by batch, each batch paired with those columns.
 */
export function targetCorrelations(plans: ColumnPlan[]): Map<string, TargetCorrelation[]> {
  const features = plans.filter((p): p is Sided => p.role === 'feature' && sided(p)).map(asColumn);
  return new Map(targets(plans).map((p) => [p.name, columnCorrelations(asColumn(p), features)]));
}

/** The target-drift section from `targetCorrelations` over every feature. */
export function targetDriftOf(plans: ColumnPlan[], correlations: Map<string, TargetCorrelation[]>): TargetDrift | undefined {
  const columns = targets(plans).map((p) => {
    let list = correlations.get(p.name) ?? [];
    if (p.type === 'cat' && !list.some((c) => c.reference === c.reference || c.current === c.current)) list = [];
    return { column: p.name, role: p.role, type: p.type, correlations: list.map((c) => ({ ...c, reference: scoreToJson(c.reference), current: scoreToJson(c.current) })) };
  });
  return columns.length ? { columns } : undefined;
}

/** The target-drift section: correlations of the target and of a single prediction column, when present. */
export function targetDrift(plans: ColumnPlan[]): TargetDrift | undefined {
  return targetDriftOf(plans, targetCorrelations(plans));
}
