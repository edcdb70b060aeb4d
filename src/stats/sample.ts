import { lowerBound } from './numeric/sorted.js';
import type { CategoricalSample, DriftSample, FeatureType, NumericSample } from './types.js';

/** Sorted distinct values of a sorted array. */
function uniqueSorted(sorted: Float64Array): Float64Array {
  if (sorted.length === 0) return sorted;
  let k = 1;
  const out = new Float64Array(sorted.length);
  out[0] = sorted[0];
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== out[k - 1]) out[k++] = sorted[i];
  return out.slice(0, k);
}

function encodeAgainst(values: Float64Array, keys: Float64Array, counts: Float64Array): Int32Array {
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = lowerBound(keys, values[i]);
    codes[i] = c;
    counts[c]++;
  }
  return codes;
}

/** Treats each distinct number as a category (Evidently does this for low-cardinality numeric columns). */
export function numericAsCategorical(sample: NumericSample): CategoricalSample {
  const pooled = new Float64Array(sample.ref.length + sample.cur.length);
  pooled.set(sample.ref);
  pooled.set(sample.cur, sample.ref.length);
  pooled.sort();
  const keys = uniqueSorted(pooled);
  const refCounts = new Float64Array(keys.length);
  const curCounts = new Float64Array(keys.length);
  const ref = encodeAgainst(sample.ref, keys, refCounts);
  const cur = encodeAgainst(sample.cur, keys, curCounts);
  return { labels: Array.from(keys), ref, cur, refCounts, curCounts };
}

/** Label order: numbers ascending, then strings by code point. */
export function compareLabels(a: string | number, b: string | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * What mergeCategorical keeps of a reference side between calls, when the caller keeps this object with
 * the reference (a pinned one: every window of a windowed run): its code counts, and its last re-encoding,
 * which the next window reuses when the merged dictionary is laid out the same way for the reference.
 */
export interface ReferenceSideMemo {
  used?: { counts: Float64Array; n: number };
  encoded?: { map: Int32Array; size: number; codes: Int32Array; counts: Float64Array };
}

function codeCounts(codes: Int32Array, size: number): { counts: Float64Array; n: number } {
  const counts = new Float64Array(size);
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] >= 0) { counts[codes[i]]++; n++; }
  return { counts, n };
}

const sameCodes = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Merges two independently dictionary-encoded sides (code -1 = missing, dropped) into one sorted
 * dictionary. Labels that never occur in the data are not kept. The returned arrays are shared with
 * `memo` and must not be written to.
 */
export function mergeCategorical(
  refCodes: Int32Array,
  refDict: ReadonlyArray<string | number>,
  curCodes: Int32Array,
  curDict: ReadonlyArray<string | number>,
  memo: ReferenceSideMemo = {},
): CategoricalSample {
  const { counts: refUsed, n: nRef } = (memo.used ??= codeCounts(refCodes, refDict.length));
  const { counts: curUsed, n: nCur } = codeCounts(curCodes, curDict.length);
  const index = new Map<string | number, number>();
  const labels: (string | number)[] = [];
  const collect = (dict: ReadonlyArray<string | number>, used: Float64Array) => {
    for (let c = 0; c < dict.length; c++) {
      if (used[c] > 0 && !index.has(dict[c])) {
        index.set(dict[c], labels.length);
        labels.push(dict[c]);
      }
    }
  };
  collect(refDict, refUsed);
  collect(curDict, curUsed);
  const order = labels.map((_, i) => i).sort((a, b) => compareLabels(labels[a], labels[b]));
  const rank = new Int32Array(labels.length);
  order.forEach((oldIndex, newIndex) => { rank[oldIndex] = newIndex; });
  const sortedLabels = order.map((i) => labels[i]);
  const remap = (dict: ReadonlyArray<string | number>) =>
    Int32Array.from(dict, (label) => (index.has(label) ? rank[index.get(label)!] : -1));
  const refMap = remap(refDict);
  const curMap = remap(curDict);
  const refCounts = new Float64Array(labels.length);
  const curCounts = new Float64Array(labels.length);
  const encode = (codes: Int32Array, map: Int32Array, n: number, counts: Float64Array) => {
    const out = new Int32Array(n);
    let k = 0;
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] < 0) continue;
      const c = map[codes[i]];
      out[k++] = c;
      counts[c]++;
    }
    return out;
  };
  if (!memo.encoded || memo.encoded.size !== labels.length || !sameCodes(memo.encoded.map, refMap)) {
    memo.encoded = { map: refMap, size: labels.length, codes: encode(refCodes, refMap, nRef, refCounts), counts: refCounts };
  }
  return {
    labels: sortedLabels,
    ref: memo.encoded.codes,
    cur: encode(curCodes, curMap, nCur, curCounts),
    refCounts: memo.encoded.counts,
    curCounts,
  };
}

/** True when a label has rows in both files: the levels a comparison of shapes can speak about. */
export const inBothFiles = (s: CategoricalSample, code: number) => s.refCounts[code] > 0 && s.curCounts[code] > 0;

/** The sample restricted to the levels both files have (the rows of one-file-only levels dropped). */
export function withoutOneFileLevels(s: CategoricalSample): CategoricalSample {
  const shared = Int32Array.from(s.labels, (_, c) => (inBothFiles(s, c) ? c : -1));
  return mergeCategorical(mapCodes(s.ref, shared), s.labels, mapCodes(s.cur, shared), s.labels);
}

/**
 * Each code through `map`, counted into `counts` when given. A loop, not `Int32Array.from(codes, fn)`, which
 * gathers a typed array into a list before mapping it: 14 s and ~1 GB more for 50M codes.
 */
function mapCodes(codes: Int32Array, map: Int32Array, counts?: Float64Array): Int32Array {
  const out = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) {
    const c = map[codes[i]];
    out[i] = c;
    if (counts) counts[c]++;
  }
  return out;
}

/**
 * The sample with every level outside `keep` merged into one level, labelled `otherLabel`, placed last: the
 * column as a chart that lumps its rarer levels together shows it. Row order is kept.
 */
export function mergeLevels(s: CategoricalSample, keep: readonly number[], otherLabel: string): CategoricalSample {
  const map = new Int32Array(s.labels.length).fill(keep.length);
  keep.forEach((c, k) => { map[c] = k; });
  const refCounts = new Float64Array(keep.length + 1);
  const curCounts = new Float64Array(keep.length + 1);
  return {
    labels: [...keep.map((c) => s.labels[c]), otherLabel],
    ref: mapCodes(s.ref, map, refCounts),
    cur: mapCodes(s.cur, map, curCounts),
    refCounts,
    curCounts,
  };
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

export function numericDriftSample(sample: NumericSample, type: FeatureType = 'num'): DriftSample {
  return { type, num: sample, cat: lazy(() => numericAsCategorical(sample)) };
}

export function categoricalDriftSample(make: () => CategoricalSample): DriftSample {
  return { type: 'cat', cat: lazy(make) };
}

/** Builds a DriftSample from plain arrays, as the golden battery and unit tests describe inputs. */
export function sampleFromArrays(
  type: FeatureType,
  ref: ReadonlyArray<string | number>,
  cur: ReadonlyArray<string | number>,
): DriftSample {
  const allNumbers = ref.every((v) => typeof v === 'number') && cur.every((v) => typeof v === 'number');
  if (allNumbers) return numericDriftSample({ ref: Float64Array.from(ref as number[]), cur: Float64Array.from(cur as number[]) }, type);
  if (type === 'num') throw new TypeError('numeric stat test given non-numeric values');
  return categoricalDriftSample(() => {
    const dict: (string | number)[] = [];
    const index = new Map<string | number, number>();
    const encode = (values: ReadonlyArray<string | number>) =>
      Int32Array.from(values, (v) => {
        let c = index.get(v);
        if (c === undefined) { c = dict.length; index.set(v, c); dict.push(v); }
        return c;
      });
    const r = encode(ref);
    const c = encode(cur);
    return mergeCategorical(r, dict, c, dict);
  });
}
