import type { ColumnPlan } from '../data/typing.js';
import { finiteNumbers, pinnedMemo, releaseValues, sideCodes } from '../data/values.js';
import type { ParsedColumn } from '../io/csv/types.js';
import type { ColumnDrift, Distribution } from '../report/model.js';
import { scoreToJson } from '../report/model.js';
import { UsageError } from '../errors.js';
import { categoricalDriftSample, inBothFiles, mergeCategorical, mergeLevels, numericDriftSample, withoutOneFileLevels } from '../stats/sample.js';
import type { CategoricalSample, DriftSample, FeatureType, StatResult } from '../stats/types.js';
import { lowerBound, sortedCopy } from '../stats/numeric/sorted.js';
import { autoSelect, findStatTest, isDrift, ROW_ORDER_TEST_IDS, STAT_TEST_IDS, type StatTestDef } from './registry.js';
import { didYouMean } from '../suggest.js';
import type { DriftOptions } from './options.js';
import { OTHER_LABEL } from './explain.js';

const HISTOGRAM_BINS = 10;
const TOP_CATEGORIES = 20;

export function buildSample(plan: ColumnPlan, type: FeatureType): DriftSample {
  const ref = plan.ref!;
  const cur = plan.cur!;
  if (type === 'num') return numericDriftSample({ ref: finiteNumbers(ref), cur: finiteNumbers(cur) });
  return categoricalDriftSample((): CategoricalSample => {
    const r = pinnedMemo(ref, 'codes', () => sideCodes(ref));
    const c = sideCodes(cur);
    return mergeCategorical(r.codes, r.dict, c.codes, c.dict, pinnedMemo(ref, 'merged reference side', () => ({})));
  });
}

interface Resolved {
  test: StatTestDef;
  threshold: number;
  source: ColumnDrift['stattest_source'];
}

function lookup(id: string, where: string): StatTestDef {
  const test = findStatTest(id);
  if (!test) throw new UsageError(`unknown stat test "${id}" in ${where}${didYouMean(id, STAT_TEST_IDS)}`);
  return test;
}

/** Spec §1.2: per-column > type-specific > global > auto, separately for the test and the threshold. */
export function resolveStatTest(column: string, type: FeatureType, options: DriftOptions, auto: () => StatTestDef): Resolved {
  const typeTest = type === 'num' ? options.numStattest : options.catStattest;
  const typeThreshold = type === 'num' ? options.numStattestThreshold : options.catStattestThreshold;
  let test: StatTestDef;
  let source: Resolved['source'];
  // Own keys only: a column named "constructor" must not find Object.prototype's.
  const perColumnTest = Object.hasOwn(options.perColumnStattest, column) ? options.perColumnStattest[column] : undefined;
  const perColumnThreshold = Object.hasOwn(options.perColumnThreshold, column) ? options.perColumnThreshold[column] : undefined;
  if (perColumnTest !== undefined) {
    test = lookup(perColumnTest, `--per-column-stattest ${column}`);
    source = 'per_column';
  } else if (typeTest !== undefined) {
    test = lookup(typeTest, `the ${type} stat test`);
    source = 'type';
  } else if (options.stattest !== undefined) {
    test = lookup(options.stattest, '--stattest');
    source = 'global';
  } else {
    test = auto();
    source = 'auto';
  }
  const threshold = perColumnThreshold ?? typeThreshold ?? options.stattestThreshold ?? test.defaultThreshold;
  if (!(threshold > 0) || !Number.isFinite(threshold) || (test.scoreKind === 'p_value' && threshold > 1)) {
    const range = test.scoreKind === 'p_value' ? 'in (0, 1]' : 'a positive number';
    throw new UsageError(`threshold ${threshold} for column "${column}" (${test.id}) is out of range: a ${test.scoreKind.replace('_', '-')} threshold must be ${range}`);
  }
  return { test, threshold, source };
}

/** Above this share of both files in one equal-width bin, the chart shows reference deciles instead. */
const CROWDED_BIN = 0.5;

/** Counts per bin of a sorted side; bins are half-open [a, b) except the last, which is closed, as numpy's. */
function binCounts(v: Float64Array, x: number[]): number[] {
  const bins = x.length - 1;
  return Array.from({ length: bins }, (_, b) => (b === bins - 1 ? v.length : lowerBound(v, x[b + 1])) - lowerBound(v, x[b]));
}

/**
 * The reference's deciles as bin edges over the whole range, for data a few extremes stretch (flight
 * delays): every bin then holds about a tenth of the reference, so a shift shows. Null when ties leave
 * fewer than three bins.
 */
function quantileEdges(ref: Float64Array, min: number, max: number): number[] | null {
  const inner = Array.from({ length: HISTOGRAM_BINS - 1 }, (_, i) => ref[Math.floor(((i + 1) * (ref.length - 1)) / HISTOGRAM_BINS)]);
  const edges = [...new Set([min, ...inner.filter((x) => x > min && x < max), max])];
  return edges.length >= 4 ? edges : null;
}

/** Shared-edge histogram from the sorted sides: binary searches instead of another pass over the data. */
function numericDistribution(ref: Float64Array, cur: Float64Array): Distribution {
  let min = Math.min(ref[0], cur[0]);
  let max = Math.max(ref[ref.length - 1], cur[cur.length - 1]);
  // numpy's convention for a degenerate range, so a constant column still gets a visible bar.
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  // Interpolated, not min + i·width: a range wider than the largest double (-1.7e308 .. 1.7e308) must not
  // overflow to an infinite width or edge.
  const x = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, i) => {
    const t = i / HISTOGRAM_BINS;
    return i === HISTOGRAM_BINS ? max : min * (1 - t) + max * t;
  });
  const reference = binCounts(ref, x);
  const current = binCounts(cur, x);
  const crowded = reference.some((r, b) => r + current[b] > CROWDED_BIN * (ref.length + cur.length));
  const quantiles = crowded && quantileEdges(ref, min, max);
  if (quantiles) return { kind: 'histogram', x: quantiles, reference: binCounts(ref, quantiles), current: binCounts(cur, quantiles), binning: 'reference_quantiles' };
  return { kind: 'histogram', x, reference, current, binning: 'equal_width' };
}

/** Level codes, most rows over both files first (ties in label order): the chart lists the first TOP_CATEGORIES. */
function levelsByRows(s: CategoricalSample): number[] {
  return s.labels.map((_, i) => i).sort((a, b) => s.refCounts[b] + s.curCounts[b] - (s.refCounts[a] + s.curCounts[a]) || a - b);
}

function categoricalDistribution(s: CategoricalSample): Distribution {
  const order = levelsByRows(s);
  const top = order.slice(0, TOP_CATEGORIES);
  const dist: Distribution = {
    kind: 'categories',
    x: top.map((i) => s.labels[i]),
    reference: top.map((i) => s.refCounts[i]),
    current: top.map((i) => s.curCounts[i]),
  };
  if (order.length > TOP_CATEGORIES) {
    const rest = order.slice(TOP_CATEGORIES);
    dist.other = {
      reference: rest.reduce((a, i) => a + s.refCounts[i], 0),
      current: rest.reduce((a, i) => a + s.curCounts[i], 0),
    };
  }
  return dist;
}

/**
 * Distinct values over both sides, counted only as far as auto-selection needs (it asks "at most 5?"), so a
 * million-row numeric column is not sorted just to learn that it has many values.
 */
function distinctUpTo(sample: DriftSample, limit: number): number {
  if (!sample.num) return sample.cat().labels.length;
  const seen = new Set<number>();
  for (const v of [sample.num.ref, sample.num.cur]) {
    for (let i = 0; i < v.length; i++) {
      seen.add(v[i]);
      if (seen.size > limit) return seen.size;
    }
  }
  return seen.size;
}

const EXAMPLES = 5;

/**
 * Levels seen in one file only, and the verdict without them: a single junk category present only in the
 * current file gives chi-square p = 0, and the reader needs to know that the rest of the column agrees.
 */
function oneFileLevels(s: CategoricalSample, test: StatTestDef, threshold: number): ColumnDrift['one_file_levels'] {
  const side = (counts: Float64Array, total: number) => {
    const codes = s.labels.map((_, c) => c).filter((c) => counts[c] > 0 && !inBothFiles(s, c)).sort((a, b) => counts[b] - counts[a]);
    const rows = codes.reduce((a, c) => a + counts[c], 0);
    return { levels: codes.length, share: total === 0 ? 0 : rows / total, examples: codes.slice(0, EXAMPLES).map((c) => s.labels[c]) };
  };
  const referenceOnly = side(s.refCounts, s.ref.length);
  const currentOnly = side(s.curCounts, s.cur.length);
  if (referenceOnly.levels + currentOnly.levels === 0) return undefined;
  let without: number | null = null;
  const shared = withoutOneFileLevels(s);
  if (shared.ref.length > 0 && shared.cur.length > 0) {
    try {
      without = test.fn(categoricalDriftSample(() => shared)).score;
    } catch {
      // A test that cannot run on the shared levels (one level left) leaves the question open: null says so.
    }
  }
  return {
    reference_only: referenceOnly,
    current_only: currentOnly,
    score_without: without === null ? null : scoreToJson(without),
    drift_without: without === null ? null : isDrift(test.rule, without, threshold),
  };
}

/**
 * The rarer levels the chart lumps into one bar, and the same test on the column as the chart shows it (those
 * levels merged into one level): when that score is not drift, the verdict rests on how rows move among levels
 * the chart does not show one by one.
 */
function tailLevels(s: CategoricalSample, test: StatTestDef, threshold: number): ColumnDrift['tail_levels'] {
  const order = levelsByRows(s);
  if (order.length <= TOP_CATEGORIES) return undefined;
  let merged: number | null = null;
  try {
    merged = test.fn(categoricalDriftSample(() => mergeLevels(s, order.slice(0, TOP_CATEGORIES), OTHER_LABEL))).score;
  } catch {
    // A test that cannot run on the merged levels leaves the question open: null says so.
  }
  const rest = order.slice(TOP_CATEGORIES);
  const share = (counts: Float64Array, total: number) => rest.reduce((a, c) => a + counts[c], 0) / total;
  return {
    levels: rest.length,
    reference_share: share(s.refCounts, s.ref.length),
    current_share: share(s.curCounts, s.cur.length),
    score_merged: merged === null ? null : scoreToJson(merged),
    drift_merged: merged === null ? null : isDrift(test.rule, merged, threshold),
  };
}

/** Test details travel as JSON: non-finite numbers become the same strings as non-finite scores. */
function jsonDetails(details: StatResult['details']): ColumnDrift['details'] {
  const out: ColumnDrift['details'] = {};
  for (const [k, v] of Object.entries(details ?? {})) out[k] = typeof v === 'number' ? scoreToJson(v) : v;
  return out;
}

export class ColumnDriftError extends Error {
  constructor(readonly column: string, readonly errorType: string, message: string) {
    super(message);
  }
}

/** Drift of one column (spec §1.3). Throws ColumnDriftError for a column that cannot be scored. */
export function columnDrift(plan: ColumnPlan, options: DriftOptions): ColumnDrift {
  const type = plan.type as FeatureType;
  const sample = buildSample(plan, type);
  const nRef = type === 'num' ? sample.num!.ref.length : sample.cat().ref.length;
  const nCur = type === 'num' ? sample.num!.cur.length : sample.cat().cur.length;
  for (const [n, side] of [[nRef, 'reference'], [nCur, 'current']] as const) {
    if (n === 0) throw new ColumnDriftError(plan.name, 'EmptyColumn', `column "${plan.name}" has no non-missing values in the ${side} file`);
  }
  const { test, threshold, source } = resolveStatTest(plan.name, type, options, () => autoSelect(type, nRef, distinctUpTo(sample, 5)));
  if (source !== 'auto' && !test.types.includes(type)) {
    throw new ColumnDriftError(plan.name, 'UnsupportedType', `stat test ${test.id} does not apply to ${type === 'num' ? 'numerical' : 'categorical'} column "${plan.name}"`);
  }
  const unordered = options.unordered && Object.hasOwn(options.unordered, plan.name) ? options.unordered[plan.name] : undefined;
  if (unordered !== undefined && ROW_ORDER_TEST_IDS.includes(test.id)) {
    throw new ColumnDriftError(plan.name, 'RowOrderUnavailable', `${test.id} on column "${plan.name}": ${unordered}`);
  }
  let result;
  try {
    result = test.fn(sample);
  } catch (e) {
    const err = e as Error & { pythonType?: string };
    throw new ColumnDriftError(plan.name, err.pythonType ?? err.name, `${test.id} on column "${plan.name}": ${err.message}`);
  }
  const dropped = (col: ParsedColumn, n: number) => col.numbers.length - n;
  let distribution: Distribution;
  if (type === 'num') {
    const { ref, cur } = sample.num!;
    distribution = numericDistribution(sortedCopy(ref), sortedCopy(cur));
    releaseValues(plan.ref, plan.cur);
  } else {
    distribution = categoricalDistribution(sample.cat());
  }
  const oneFile = type === 'cat' ? oneFileLevels(sample.cat(), test, threshold) : undefined;
  const tail = type === 'cat' ? tailLevels(sample.cat(), test, threshold) : undefined;
  return {
    column: plan.name,
    type,
    role: plan.role,
    stattest: test.id,
    stattest_name: test.displayName,
    stattest_source: source,
    score_kind: test.scoreKind,
    score: scoreToJson(result.score),
    threshold,
    drift_rule: test.rule,
    drift_detected: isDrift(test.rule, result.score, threshold),
    n_reference: nRef,
    n_current: nCur,
    missing_reference: dropped(plan.ref!, nRef),
    missing_current: dropped(plan.cur!, nCur),
    details: jsonDetails(result.details),
    distribution,
    ...(oneFile && { one_file_levels: oneFile }),
    ...(tail && { tail_levels: tail }),
  };
}
