/** Drift feature type, as Evidently names it. */
export type FeatureType = 'num' | 'cat';

/** Cleaned numeric samples: finite values only, in original row order. */
export interface NumericSample {
  ref: Float64Array;
  cur: Float64Array;
}

/**
 * Cleaned categorical samples, dictionary-encoded over the union of both sides' values.
 * `labels` are sorted (numbers ascending, strings by code point, numbers before strings) so that code order
 * is label order; `ref`/`cur` keep original row order because the permutation tests depend on it.
 */
export interface CategoricalSample {
  labels: ReadonlyArray<string | number>;
  ref: Int32Array;
  cur: Int32Array;
  refCounts: Float64Array;
  curCounts: Float64Array;
}

/**
 * What a stat test receives for one column. `num` is present when the column is numeric (its values may
 * still be scored as categories, e.g. chi-square on a 4-valued integer column); `cat()` builds the
 * categorical view on demand.
 */
export interface DriftSample {
  type: FeatureType;
  num?: NumericSample;
  cat(): CategoricalSample;
}

export interface StatResult {
  score: number;
  /** Intermediate values worth showing a user (test statistic, bins, method). */
  details?: Record<string, number | string | boolean>;
}

export type StatTestFn = (sample: DriftSample) => StatResult;
