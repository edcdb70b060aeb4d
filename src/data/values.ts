import { sharedFloat64 } from '../io/csv/reader.js';
import type { ParsedColumn } from '../io/csv/types.js';
import { adoptSorted, cachedSorted, releaseSorted } from '../stats/numeric/sorted.js';
import { adoptLongSide, cachedLongSide, type LongSide } from '../stats/numeric/cdf_distance.js';

const finiteCache = new WeakMap<ParsedColumn, Float64Array>();

/**
 * A column's finite values in row order: missing, coerced text and ±inf dropped (Evidently's drift cleaning).
 * Drift and data quality read the same array, so the sorted copy one of them makes serves the other;
 * `releaseValues` ends that sharing when the column is done.
 */
export function finiteNumbers(col: ParsedColumn): Float64Array {
  let out = finiteCache.get(col);
  if (out) return out;
  const v = col.numbers;
  let n = 0;
  for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) n++;
  if (n === v.length) {
    out = v;
  } else {
    out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < v.length; i++) if (Number.isFinite(v[i])) out[k++] = v[i];
  }
  finiteCache.set(col, out);
  return out;
}

/**
 * Pinned columns keep their cached values, sorted copies and memoised results across analyses: the reference
 * that every window of a windowed report is compared with is prepared once, not once per window.
 */
const pinned = new WeakMap<ParsedColumn, Map<string, unknown>>();

export function pinColumns(cols: readonly ParsedColumn[], pin: boolean): void {
  for (const col of cols) {
    if (pin) pinned.set(col, new Map());
    else {
      pinned.delete(col);
      releaseValues(col);
    }
  }
}

/** `make()` once per pinned column and key; every call for a column that is not pinned. */
export function pinnedMemo<T>(col: ParsedColumn, key: string, make: () => T): T {
  const memo = pinned.get(col);
  if (!memo) return make();
  if (!memo.has(key)) memo.set(key, make());
  return memo.get(key) as T;
}

/** What one pinned column has prepared, as a value a worker can receive (structured clone). */
export interface PreparedColumn {
  memo: Map<string, unknown>;
  finite?: Float64Array;
  sorted?: Float64Array;
  /** The sorted copy's prefix integrals and placement sample, when windows have been placed in it. */
  longSide?: LongSide;
}

function shared(a: Float64Array): Float64Array {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const copy = sharedFloat64(a.length);
  copy.set(a);
  return copy;
}

/** Makes `p`'s arrays the cached ones of `col` in this thread. */
function adopt(col: ParsedColumn, p: PreparedColumn): void {
  if (!p.finite) return;
  finiteCache.set(col, p.finite);
  if (!p.sorted) return;
  adoptSorted(p.finite, p.sorted);
  if (p.longSide) adoptLongSide(p.sorted, p.longSide);
}

/**
 * The preparation of pinned columns (memoised profiles, tallies and row checks; finite values, their sorted
 * copy, its ECDF integrals and placement sample), for worker threads comparing windows with the same reference: importing it
 * costs nothing like the sort per column that preparing costs. The arrays move to shared memory first
 * (here too), so every thread reads one sorted reference instead of holding a copy.
 */
export function exportPrepared(cols: readonly ParsedColumn[]): (PreparedColumn | null)[] {
  return cols.map((col) => {
    const memo = pinned.get(col);
    if (!memo) return null;
    const finite = finiteCache.get(col);
    const sorted = finite && cachedSorted(finite);
    const longSide = sorted && cachedLongSide(sorted);
    const p: PreparedColumn = {
      memo,
      finite: finite && shared(finite),
      sorted: sorted && shared(sorted),
      longSide: longSide && { integral: shared(longSide.integral), sample: shared(longSide.sample) },
    };
    adopt(col, p);
    return p;
  });
}

/** Pins `cols` with what exportPrepared gave for the same columns in another thread. */
export function importPrepared(cols: readonly ParsedColumn[], prepared: readonly (PreparedColumn | null)[]): void {
  cols.forEach((col, i) => {
    const p = prepared[i];
    pinned.set(col, p?.memo ?? new Map());
    if (p) adopt(col, p);
  });
}

export function releaseValues(...cols: (ParsedColumn | undefined)[]): void {
  for (const col of cols) {
    const finite = col && !pinned.has(col) && finiteCache.get(col);
    if (!finite) continue;
    releaseSorted(finite);
    finiteCache.delete(col);
  }
}

/**
 * Dictionary codes for one side of a categorical column (-1 = missing). Text cells keep the reader's codes;
 * numeric cells (an integer-coded category, or a declared-categorical numeric column) become number labels,
 * appended to the dictionary in first-seen order.
 */
export function sideCodes(col: ParsedColumn): { codes: Int32Array; dict: (string | number)[] } {
  const dict: (string | number)[] = [...col.texts];
  if (col.numericCount === 0 && col.textCodes) return { codes: col.textCodes, dict };
  const codes = col.textCodes ? Int32Array.from(col.textCodes) : new Int32Array(col.numbers.length).fill(-1);
  const index = new Map<number, number>();
  const v = col.numbers;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    let c = index.get(x);
    if (c === undefined) {
      c = dict.length;
      index.set(x, c);
      dict.push(x);
    }
    codes[i] = c;
  }
  return { codes, dict };
}
