import type { ColumnPlan } from '../data/typing.js';
import { finiteNumbers, pinnedMemo, sideCodes } from '../data/values.js';
import type { ParsedColumn } from '../io/csv/types.js';
import { npSum, npSumOf } from '../stats/numeric/npsum.js';
import { pandasMostCommonIndex } from '../stats/numeric/npsort.js';
import { linearQuantile, lowerBound, sortedCopy, upperBound } from '../stats/numeric/sorted.js';
import { pandasDtype, type PandasDtype } from './dtype.js';

/** A value as pandas' value_counts(dropna=False) sees it; null is the missing value (NaN). */
export type CellValue = string | number | null;

/**
 * What data quality needs from one side of one column. Numerical sides read the sorted copy drift makes
 * anyway, plus the sums of pandas' mean and variance. Counts and extremes add up across chunks of a side;
 * moments, quartiles and the most common value need the whole side (its sorted copy or its value counts).
 */
export interface SideProfile {
  rows: number;
  /** Missing cells (missing-value tokens, and the stray text of numeric columns). */
  missing: number;
  posInf: number;
  negInf: number;
  /** Distinct non-missing values (pandas nunique). */
  unique: number;
  /** First entry of pandas' value_counts(dropna=False): the most frequent value, ties settled as pandas does. */
  mostCommon: CellValue;
  mostCommonCount: number;
  /** The largest count of a non-missing value (0 when there is none): almost-constant columns. */
  maxValueCount: number;
  dtype: PandasDtype;
  /** Numerical columns: pandas describe() of the non-missing values (infinities included). */
  numeric?: { min: number; max: number; mean: number; std: number; p25: number; p50: number; p75: number };
  /** Datetime columns: the earliest and latest text (ISO text sorts in time order). */
  first?: string;
  last?: string;
}

/** Per-column results that compare the two sides (Evidently's ColumnValueRange / ColumnValueList metrics). */
export interface ColumnQuality {
  ref?: SideProfile;
  cur?: SideProfile;
  /** Numerical: current non-missing values outside [reference min, reference max]. */
  outOfRange?: { left: number; right: number; count: number; total: number };
  /** Categorical: current rows (missing included) whose value is not a reference value. */
  outOfList?: { count: number; total: number };
  /** Categorical: distinct current values not in the reference (missing counted as a value), and the converse. */
  newInCurrent?: number;
  unusedInCurrent?: number;
}

/**
 * The most common key (an index into `counts`; -1 is the missing value, counted `missing` times) and the
 * largest count of a real value. A tie is left to `settle`.
 */
function mostCommonKey(counts: Float64Array, missing: number, settle: () => number): { key: number; count: number; maxValue: number } {
  let maxValue = 0;
  let tied = 0;
  let key = -1;
  for (let k = 0; k < counts.length; k++) {
    const c = counts[k];
    if (c > maxValue) {
      maxValue = c;
      tied = 1;
      key = k;
    } else if (c === maxValue && c > 0) tied++;
  }
  if (missing > maxValue) return { key: -1, count: missing, maxValue };
  if (missing === maxValue && missing > 0) tied++;
  return { key: tied > 1 ? settle() : key, count: maxValue, maxValue };
}

/**
 * Settles a tie as pandas' value_counts(dropna=False) does: keys in first-seen order (`keyOf(row)` gives a
 * row's key, -1 when missing), then numpy's unstable sort by count, so its introsort picks the winner.
 */
function pandasTieBreak(counts: Float64Array, missing: number, rows: number, keyOf: (row: number) => number): number {
  const keys = counts.length;
  const total = keys + (missing > 0 ? 1 : 0);
  const seen = new Uint8Array(keys + 1);
  const ordered = new Float64Array(total);
  const order = new Int32Array(total);
  let n = 0;
  for (let r = 0; r < rows && n < total; r++) {
    const k = keyOf(r);
    const slot = k < 0 ? keys : k;
    if (!seen[slot]) {
      seen[slot] = 1;
      ordered[n] = k < 0 ? missing : counts[k];
      order[n++] = k;
    }
  }
  return order[pandasMostCommonIndex(ordered.subarray(0, n))];
}

/**
 * Above this many rows a numerical side settles most-common ties by first appearance instead of replaying
 * pandas, whose choice among equally common values is an accident of numpy's unstable sort: the replay
 * looks up every row (tens of milliseconds per million) (docs/compatibility.md).
 */
export const REPLAYED_TIES_MAX_ROWS = 100_000;
/** Up to this many tied values (512 KB) are listed for the first-appearance search of a big side. */
const FEW_TIES = 65_536;

/** Calls `visit` for each distinct non-missing value, ascending (infinities included), with its count. */
function forEachValue(sorted: Float64Array, negInf: number, posInf: number, visit: (value: number, count: number) => void): void {
  if (negInf) visit(-Infinity, negInf);
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    visit(sorted[i], j - i);
    i = j;
  }
  if (posInf) visit(Infinity, posInf);
}

const hashed = new Float64Array(1);
const hashedWords = new Uint32Array(hashed.buffer);

/**
 * The index of each of `keys` (distinct numbers) by open addressing on its bits: the replayed tie-break
 * looks up every row of a window, and a probe or two is far cheaper than bisecting tens of thousands of
 * keys. -0 hashes as 0, which it equals.
 */
function valueKeys(keys: Float64Array): (x: number) => number {
  const bits = Math.max(4, 32 - Math.clz32(2 * keys.length));
  const mask = (1 << bits) - 1;
  const slots = new Int32Array(mask + 1).fill(-1);
  const home = (x: number) => {
    hashed[0] = x + 0;
    return Math.imul(hashedWords[0] ^ Math.imul(hashedWords[1], 0x9e3779b1), 0x85ebca6b) >>> (32 - bits);
  };
  for (let k = 0; k < keys.length; k++) {
    let h = home(keys[k]);
    while (slots[h] >= 0) h = (h + 1) & mask;
    slots[h] = k;
  }
  return (x) => {
    let h = home(x);
    while (keys[slots[h]] !== x) h = (h + 1) & mask;
    return slots[h];
  };
}

/**
 * The most common value of a numerical side when several share the top count `max` (null: the missing
 * value): pandas' choice replayed for sides of up to REPLAYED_TIES_MAX_ROWS rows, else the first of them in
 * row order, found by matching rows against the `ties` values that occur `max` times.
 */
function settleNumericTie(v: Float64Array, sorted: Float64Array, negInf: number, posInf: number, missing: number, max: number, ties: number): number | null {
  if (v.length <= REPLAYED_TIES_MAX_ROWS) {
    const keys: number[] = [];
    const counts: number[] = [];
    forEachValue(sorted, negInf, posInf, (value, n) => {
      keys.push(value);
      counts.push(n);
    });
    const keyArray = Float64Array.from(keys);
    const keyOf = valueKeys(keyArray);
    const k = pandasTieBreak(Float64Array.from(counts), missing, v.length, (r) => (v[r] === v[r] ? keyOf(v[r]) : -1));
    return k < 0 ? null : keyArray[k];
  }
  // A few tied values are listed and bisected (the list stays in cache while the rows stream past). Many are
  // not listed: with every value distinct (continuous data) the list was the whole side again, pushed value by
  // value (seconds and 1 GB per column at 50M rows); a value's run in the sorted copy says whether it is tied,
  // and with that many tied values a tied row comes early.
  let isTied: (x: number) => boolean;
  if (ties <= FEW_TIES) {
    const list = new Float64Array(ties);
    let k = 0;
    forEachValue(sorted, negInf, posInf, (value, n) => {
      if (n === max) list[k++] = value;
    });
    isTied = (x) => list[lowerBound(list, x)] === x;
  } else {
    isTied = (x) => (x === Infinity ? posInf : x === -Infinity ? negInf : upperBound(sorted, x) - lowerBound(sorted, x)) === max;
  }
  for (let r = 0; r < v.length; r++) {
    const x = v[r];
    if (x !== x) {
      if (missing === max) return null;
    } else if (isTied(x)) return x;
  }
  return null;
}

function numericProfile(col: ParsedColumn, dtype: PandasDtype): SideProfile {
  const v = col.numbers;
  const rows = v.length;
  const sorted = sortedCopy(finiteNumbers(col));
  const f = sorted.length;
  // A numeric cell is NaN exactly when it was missing or text, so only infinities need a look at the data.
  const missing = col.missingCount + col.textCount;
  let posInf = 0;
  let negInf = 0;
  if (rows - missing > f) {
    for (let i = 0; i < rows; i++) {
      if (v[i] === Infinity) posInf++;
      else if (v[i] === -Infinity) negInf++;
    }
  }
  const count = rows - missing;
  const at = (k: number) => (k < negInf ? -Infinity : k < negInf + f ? sorted[k - negInf] : Infinity);

  // pandas nanmean / nanvar(ddof=1): missing cells count as 0 in numpy's pairwise sums, then the two-pass
  // variance; reproducing the order makes describe() agree to the last bit before its rounding.
  // The terms are generated block by block (npSumOf): a row-long scratch array per thread cost 400 MB at 50M rows.
  const mean = missing
    ? npSumOf(rows, (block, start, n) => {
        for (let k = 0; k < n; k++) {
          const x = v[start + k];
          block[k] = x === x ? x : 0;
        }
      }) / count
    : npSum(v) / count;
  const squares = npSumOf(rows, (block, start, n) => {
    for (let k = 0; k < n; k++) {
      const x = v[start + k];
      block[k] = x === x ? (mean - x) * (mean - x) : 0;
    }
  });
  const std = count > 1 ? Math.sqrt(squares / (count - 1)) : NaN;

  let unique = 0;
  let maxValue = 0;
  let tied = 0;
  let top = NaN;
  forEachValue(sorted, negInf, posInf, (value, n) => {
    unique++;
    if (n > maxValue) {
      maxValue = n;
      tied = 1;
      top = value;
    } else if (n === maxValue) tied++;
  });
  let mostCommon: number | null = top;
  if (missing > maxValue || unique === 0) mostCommon = null;
  else if (tied + (missing === maxValue ? 1 : 0) > 1) mostCommon = settleNumericTie(v, sorted, negInf, posInf, missing, maxValue, tied);
  return {
    rows,
    missing,
    posInf,
    negInf,
    unique,
    mostCommon,
    mostCommonCount: Math.max(missing, maxValue),
    maxValueCount: maxValue,
    dtype,
    numeric: {
      min: count ? at(0) : NaN,
      max: count ? at(count - 1) : NaN,
      mean,
      std,
      p25: count ? linearQuantile(count, 0.25, at) : NaN,
      p50: count ? linearQuantile(count, 0.5, at) : NaN,
      p75: count ? linearQuantile(count, 0.75, at) : NaN,
    },
  };
}

interface Tally {
  codes: Int32Array;
  dict: (string | number)[];
  counts: Float64Array;
}

function tally(col: ParsedColumn): Tally {
  const { codes, dict } = sideCodes(col);
  if (col.numericCount === 0) return { codes, dict, counts: Float64Array.from(col.textCounts) };
  const counts = new Float64Array(dict.length);
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) counts[codes[i]]++;
  return { codes, dict, counts };
}

function categoricalProfile(col: ParsedColumn, dtype: PandasDtype, t: Tally, bounds: boolean): SideProfile {
  const rows = col.numbers.length;
  let present = 0;
  let unique = 0;
  for (const c of t.counts) {
    present += c;
    if (c > 0) unique++;
  }
  const missing = rows - present;
  const best = mostCommonKey(t.counts, missing, () => pandasTieBreak(t.counts, missing, rows, (r) => t.codes[r]));
  const mostCommon = best.key < 0 ? null : t.dict[best.key];
  const profile: SideProfile = { rows, missing, posInf: 0, negInf: 0, unique, mostCommon, mostCommonCount: best.count, maxValueCount: best.maxValue, dtype };
  if (bounds) {
    // A declared datetime column may hold plain numbers (years): those compare as numbers, as pandas' min
    // and max of an int64 column do; any text makes the column text, compared as text.
    const present = t.dict.filter((_, c) => t.counts[c] > 0);
    const values = present.every((v) => typeof v === 'number') ? present.sort((a, b) => Number(a) - Number(b)).map(String) : present.map(String).sort();
    if (values.length) {
      profile.first = values[0];
      profile.last = values[values.length - 1];
    }
  }
  return profile;
}

/** Current values outside the reference's [min, max] (pandas between(inclusive="both"), infinities included). */
function outOfRange(ref: SideProfile, cur: SideProfile, curCol: ParsedColumn): ColumnQuality['outOfRange'] {
  const left = ref.numeric!.min;
  const right = ref.numeric!.max;
  const sorted = sortedCopy(finiteNumbers(curCol));
  const total = cur.rows - cur.missing;
  let inside = 0;
  if (left === left && right === right) {
    inside = Math.max(0, upperBound(sorted, right) - lowerBound(sorted, left));
    if (left === -Infinity) inside += cur.negInf;
    if (right === Infinity) inside += cur.posInf;
  }
  return { left, right, count: total - inside, total };
}

/** Whether a column gets numeric profiles, which count its infinities (categorical ones leave them at 0). */
export function isNumericProfile(plan: ColumnPlan): boolean {
  return plan.type === 'num' || plan.type === 'unknown';
}

/**
 * One column's data quality on both sides. Numerical columns sort their finite values through the shared
 * cache, so drift scoring the same column afterwards reuses the sort.
 */
export function profileColumn(plan: ColumnPlan): ColumnQuality {
  const out: ColumnQuality = {};
  if (isNumericProfile(plan)) {
    if (plan.ref) out.ref = pinnedMemo(plan.ref, 'numeric', () => numericProfile(plan.ref!, pandasDtype(plan.ref!, true)));
    if (plan.cur) out.cur = numericProfile(plan.cur, pandasDtype(plan.cur, true));
    if (out.ref && out.cur && plan.type === 'num') out.outOfRange = outOfRange(out.ref, out.cur, plan.cur!);
    return out;
  }
  const bounds = plan.type === 'datetime';
  const refTally = plan.ref && pinnedMemo(plan.ref, 'tally', () => tally(plan.ref!));
  const curTally = plan.cur && tally(plan.cur);
  if (refTally) out.ref = pinnedMemo(plan.ref!, `categorical ${bounds}`, () => categoricalProfile(plan.ref!, pandasDtype(plan.ref!, false), refTally, bounds));
  if (curTally) out.cur = categoricalProfile(plan.cur!, pandasDtype(plan.cur!, false), curTally, bounds);
  if (refTally && curTally && plan.type === 'cat') Object.assign(out, compareValues(refTally, curTally, out.ref!, out.cur!));
  return out;
}

/**
 * New and unused values, and the out-of-list share. Evidently's set differences of unique() hold NaN on
 * each side that has a missing value and cancel one pair when both do: missing counts as a new value only
 * when the reference has none, and as unused only when the current has none. Every missing current row is
 * out of the list.
 */
function compareValues(ref: Tally, cur: Tally, refProfile: SideProfile, curProfile: SideProfile): Partial<ColumnQuality> {
  const refValues = new Set(ref.dict.filter((_, c) => ref.counts[c] > 0));
  const curValues = new Set(cur.dict.filter((_, c) => cur.counts[c] > 0));
  let inList = 0;
  let newInCurrent = 0;
  cur.dict.forEach((value, c) => {
    if (cur.counts[c] === 0) return;
    if (refValues.has(value)) inList += cur.counts[c];
    else newInCurrent++;
  });
  let unusedInCurrent = 0;
  for (const value of refValues) if (!curValues.has(value)) unusedInCurrent++;
  if (curProfile.missing > 0 && refProfile.missing === 0) newInCurrent++;
  if (refProfile.missing > 0 && curProfile.missing === 0) unusedInCurrent++;
  return { newInCurrent, unusedInCurrent, outOfList: { count: curProfile.rows - inList, total: curProfile.rows } };
}
