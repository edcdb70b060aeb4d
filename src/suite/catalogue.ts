import { metric, type MetricKey, type MetricKeyOf } from '../report/metrics.js';
import { scoreFromJson, type Report, type ScoreValue } from '../report/model.js';
import { roundHalfEven } from '../stats/numeric/round.js';
import { approx, type Condition } from './condition.js';
import { formatFloat, formatG, formatPrecision } from './format.js';

/** The report a suite reads: everything but the run metadata. */
export type SuiteReport = Omit<Report, 'run' | 'status'>;
export type Label = string | number;
export type Group = 'data_integrity' | 'data_quality' | 'data_drift' | 'regression' | 'classification';

/** One generated test: which test, and the column or class label it is about. */
export interface TestInstance {
  id: TestId;
  column?: string;
  label?: Label;
}

/** A test decided by comparing a value with a condition (Evidently's BaseCheckValueTest). */
export interface CheckOutcome {
  kind: 'check';
  value: number | null;
  condition: Condition;
  /** Which way is better, for the one-sided alternative to a reference-derived `eq approx(…)`. */
  better?: 'higher' | 'lower';
  describe(value: number, condition: string): string;
  parameters?: Record<string, unknown>;
}

/** A test with its own rule (drift verdict, type comparison, n-sigma range). */
export interface FixedOutcome {
  kind: 'fixed';
  passed: boolean;
  value: number | null;
  description: string;
  parameters: Record<string, unknown>;
}

/** A test that cannot be evaluated; its description is Evidently's "Test failed with exceptions: …". */
export class SuiteTestError extends Error {}

export interface TestOptions {
  /** mean_in_n_sigmas: the half-width of the allowed range in reference standard deviations. */
  nSigmas?: number;
}

interface TestDef {
  name: string;
  group: Group;
  /** Whether a user condition can replace the default (tests with their own rule take none). */
  conditions: boolean;
  evaluate(report: SuiteReport, test: TestInstance, options: TestOptions): CheckOutcome | FixedOutcome;
}

const num = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? null : scoreFromJson(x));

function need<T>(x: T | null | undefined, what: string): T {
  if (x === null || x === undefined) throw new SuiteTestError(what);
  return x;
}

function qualityOf(r: SuiteReport) {
  return need(r.quality, 'the data quality metrics are missing');
}

function columnQuality(r: SuiteReport, column: string) {
  return need(qualityOf(r).columns.find((c) => c.column === column), `column "${column}" has no data quality summary`);
}

/** Python's `str()` of a most common value: plain in an integer column, a float otherwise; text as it is. */
function showValue(value: string | number | null, integerColumn: boolean): string {
  if (value === null) return 'nan';
  if (typeof value === 'string') return value;
  return integerColumn ? String(value) : formatFloat(value);
}

function model(r: SuiteReport) {
  return need(r.model_quality, 'there is no model quality: the tests need a target and a prediction column');
}

function regression(r: SuiteReport, side: 'reference' | 'current') {
  const q = need(model(r).regression, 'the task is not regression');
  return need(q[side], `no regression metrics for the ${side} data`);
}

function classification(r: SuiteReport, side: 'reference' | 'current') {
  const q = need(model(r).classification, 'the task is not classification');
  if (q.error) throw new SuiteTestError(q.error);
  return need(q[side], `no classification metrics for the ${side} data`);
}

const integer = (x: number) => String(x);

function datasetCount(name: string, group: Group, read: (q: NonNullable<SuiteReport['quality']>['current']) => number, phrase: string, scaled: boolean): TestDef {
  return {
    name,
    group,
    conditions: true,
    evaluate(r) {
      const q = qualityOf(r);
      const ref = read(q.reference);
      // Counts that grow with the data are compared at the current size (Evidently's scaling).
      const condition: Condition = scaled ? { eq: approx((ref * q.current.number_of_rows) / q.reference.number_of_rows, 0.1) } : { lte: ref };
      return { kind: 'check', value: read(q.current), condition, better: scaled ? 'lower' : undefined, describe: (v, c) => `The number of ${phrase} is ${integer(v)}. The test threshold is ${c}.` };
    },
  };
}

/** Which way a metric is better, from the metric table; undefined for a signed error. */
const betterOf = (key: MetricKey) => metric(key).better ?? undefined;

function regressionTest(name: string, short: string, field: MetricKeyOf<'regression'>, op: 'eq' | 'lte', dot: string): TestDef {
  return {
    name,
    group: 'regression',
    conditions: true,
    evaluate(r) {
      const ref = need(num(regression(r, 'reference')[field]), `the reference ${short} is undefined`);
      return {
        kind: 'check',
        value: num(regression(r, 'current')[field]),
        condition: { [op]: approx(ref, 0.1) },
        better: op === 'eq' ? betterOf(field) : undefined,
        describe: (v, c) => `The ${short} is ${formatPrecision(v)}. The test threshold is ${c}${dot}`,
      };
    },
  };
}

/** Current values outside the reference's range (numerical) or list of values (categorical). */
function outsideShare(name: string, what: 'range' | 'list', gap: string): TestDef {
  return {
    name,
    group: 'data_quality',
    conditions: true,
    evaluate(r, t) {
      const q = columnQuality(r, t.column!);
      const part = need(what === 'range' ? q.out_of_range : q.out_of_list, `column "${t.column}" is not ${what === 'range' ? 'numerical' : 'categorical'}`);
      return {
        kind: 'check',
        value: num(part.share),
        condition: { eq: approx(0) },
        describe: (v, c) => `The share of values out of ${what} in the column **${t.column}** is ${formatG(v)} (${part.count} out of ${part.total}).${gap}The test threshold is ${c}.`,
        parameters: { column_name: t.column },
      };
    },
  };
}

function classificationTest(name: string, field: MetricKeyOf<'classification'>, missing?: string): TestDef {
  return {
    name,
    group: 'classification',
    conditions: true,
    evaluate(r) {
      const value = num(classification(r, 'current')[field]);
      if (value === null && missing) throw new SuiteTestError(missing);
      const ref = need(num(classification(r, 'reference')[field]), `the reference ${name} is undefined`);
      return { kind: 'check', value, condition: { eq: approx(ref, 0.2) }, better: betterOf(field), describe: (v, c) => `The ${name} is ${formatG(v)}. The test threshold is ${c}` };
    },
  };
}

function byClassTest(name: string, field: 'precision' | 'recall'): TestDef {
  return {
    name,
    group: 'classification',
    conditions: true,
    evaluate(r, t) {
      const find = (side: 'reference' | 'current') =>
        need(classification(r, side).by_class.find((c) => c.label === t.label), `label ${JSON.stringify(t.label)} is not in the ${side} data`);
      return {
        kind: 'check',
        value: num(find('current')[field]),
        condition: { eq: approx(need(num(find('reference')[field]), `the reference ${field} is undefined`), 0.2) },
        better: betterOf(field),
        describe: (v, c) => `The ${field} score of the label **${t.label}** is ${formatG(v)}. The test threshold is ${c}`,
        parameters: { label: t.label },
      };
    },
  };
}

const NO_PROBABILITIES = 'Consider providing probabilities instead of labels.';
const BINARY_ONLY = 'This test is applicable only for binary classification';

/** Evidently 0.4.40's tests (spec §6.2), by mlobs' id: its JSON name, group, default condition and description. */
export const TESTS = {
  number_of_rows: {
    name: 'Number of Rows',
    group: 'data_integrity',
    conditions: true,
    evaluate(r) {
      const q = qualityOf(r);
      return { kind: 'check', value: q.current.number_of_rows, condition: { eq: approx(q.reference.number_of_rows, 0.1) }, describe: (v, c) => `The number of rows is ${integer(v)}. The test threshold is ${c}.` };
    },
  },
  number_of_columns: {
    name: 'Number of Columns',
    group: 'data_integrity',
    conditions: true,
    evaluate(r) {
      const q = qualityOf(r);
      return { kind: 'check', value: q.current.number_of_columns, condition: { eq: q.reference.number_of_columns }, describe: (v, c) => `The number of columns is ${integer(v)}. The test threshold is ${c}.` };
    },
  },
  column_types: {
    name: 'Column Types',
    group: 'data_integrity',
    conditions: false,
    evaluate(r) {
      const q = qualityOf(r);
      const columns = Object.entries(q.reference.columns_type).map(([column_name, expected_type]) => {
        const actual_type = q.current.columns_type[column_name];
        if (actual_type === undefined) throw new SuiteTestError(`column "${column_name}" is not in the current data`);
        return { actual_type, column_name, expected_type };
      });
      const mismatches = columns.filter((c) => c.actual_type !== c.expected_type).length;
      return {
        kind: 'fixed',
        passed: mismatches === 0,
        value: mismatches,
        description: `The number of columns with a type mismatch is ${mismatches} out of ${columns.length}.`,
        parameters: { columns },
      };
    },
  },
  column_share_of_missing_values: {
    name: 'The Share of Missing Values in a Column',
    group: 'data_integrity',
    conditions: true,
    evaluate(r, t) {
      const q = qualityOf(r);
      const share = (side: 'reference' | 'current') => need(q[side].missing_values.share_of_missing_values_by_column[t.column!], `column "${t.column}" is not in the ${side} data`);
      return {
        kind: 'check',
        value: share('current'),
        condition: { lte: approx(share('reference'), 0.1) },
        describe: (v, c) => `The share of missing values in the column **${t.column}** is ${formatG(v)}. The test threshold is ${c}.`,
        parameters: { column_name: t.column },
      };
    },
  },
  // Evidently's out-of-range description has two spaces before "The test threshold".
  share_of_out_of_range_values: outsideShare('Share of Out-of-Range Values', 'range', '  '),
  share_of_out_of_list_values: outsideShare('Share of Out-of-List Values', 'list', ' '),
  mean_in_n_sigmas: {
    name: 'Mean Value Stability',
    group: 'data_quality',
    conditions: false,
    evaluate(r, t, options) {
      const c = columnQuality(r, t.column!);
      const nSigmas = options.nSigmas ?? 2;
      const [refMean, refStd, curMean] = [c.reference.mean, c.reference.std, c.current.mean].map((x) => need(num(x), `column "${t.column}" is not numerical`));
      // Evidently compares the rounded summary values, with a strict range.
      const low = refMean - nSigmas * refStd;
      const high = refMean + nSigmas * refStd;
      return {
        kind: 'fixed',
        passed: low < curMean && curMean < high,
        value: curMean,
        description: `The mean value of the column **${t.column}** is ${formatG(curMean)}. The expected range is from ${formatG(low)} to ${formatG(high)}`,
        parameters: { column_name: t.column, current_mean: curMean, n_sigmas: nSigmas, reference_mean: refMean, reference_std: refStd },
      };
    },
  },
  most_common_value_share: {
    name: 'Share of the Most Common Value',
    group: 'data_quality',
    conditions: true,
    evaluate(r, t) {
      const c = columnQuality(r, t.column!);
      const intColumn = qualityOf(r).current.columns_type[t.column!] === 'int64';
      return {
        kind: 'check',
        value: c.current.most_common_percentage / 100,
        condition: { eq: approx(c.reference.most_common_percentage / 100, 0.1) },
        describe: (v, cond) => `The most common value in the column **${t.column}** is ${showValue(c.current.most_common, intColumn)}. Its share is ${formatG(v)}. The test threshold is ${cond}.`,
        parameters: { column_name: t.column },
      };
    },
  },
  number_of_constant_columns: datasetCount('Number of Constant Columns', 'data_integrity', (s) => s.number_of_constant_columns, 'constant columns', false),
  number_of_duplicated_columns: datasetCount('Number of Duplicate Columns', 'data_integrity', (s) => s.number_of_duplicated_columns, 'duplicate columns', false),
  number_of_duplicated_rows: datasetCount('Number of Duplicate Rows', 'data_integrity', (s) => s.number_of_duplicated_rows, 'duplicate rows', true),
  number_of_empty_rows: datasetCount('Number of Empty Rows', 'data_integrity', (s) => s.number_of_empty_rows, 'empty rows', true),
  number_of_empty_columns: datasetCount('Number of Empty Columns', 'data_integrity', (s) => s.number_of_empty_columns, 'empty columns', false),
  share_of_missing_values: {
    name: 'Share of Missing Values',
    group: 'data_integrity',
    conditions: true,
    evaluate(r) {
      const q = qualityOf(r);
      return {
        kind: 'check',
        value: q.current.missing_values.share_of_missing_values,
        condition: { lte: approx(q.reference.missing_values.share_of_missing_values, 0.1) },
        describe: (v, c) => `The share of missing values is ${formatG(v)}. The test threshold is ${c}.`,
      };
    },
  },
  number_of_missing_values: {
    name: 'Number of Missing Values',
    group: 'data_integrity',
    conditions: true,
    evaluate(r) {
      const q = qualityOf(r);
      const ref = (q.reference.missing_values.number_of_missing_values * q.current.number_of_rows) / q.reference.number_of_rows;
      return {
        kind: 'check',
        value: q.current.missing_values.number_of_missing_values,
        condition: { lte: approx(ref, 0.1) },
        describe: (v, c) => `The number of missing values is ${integer(v)}. The test threshold is ${c}.`,
      };
    },
  },
  share_of_drifted_columns: {
    name: 'Share of Drifted Columns',
    group: 'data_drift',
    conditions: true,
    evaluate(r) {
      const d = r.drift;
      return {
        kind: 'check',
        value: d.share_of_drifted_columns,
        condition: { lt: 0.3 },
        describe: (v, c) => `The drift is detected for ${formatG(v * 100)}% features (${d.number_of_drifted_columns} out of ${d.number_of_columns}). The test threshold is ${c}`,
        parameters: { features: driftFeatures(r) },
      };
    },
  },
  number_of_drifted_columns: {
    name: 'Number of Drifted Features',
    group: 'data_drift',
    conditions: true,
    evaluate(r) {
      const d = r.drift;
      return {
        kind: 'check',
        value: d.number_of_drifted_columns,
        condition: { lt: Math.max(0, Math.floor(d.number_of_columns / 3)) },
        describe: (v, c) => `The drift is detected for ${integer(v)} out of ${d.number_of_columns} features. The test threshold is ${c}.`,
        parameters: { features: driftFeatures(r) },
      };
    },
  },
  column_drift: {
    name: 'Drift per Column',
    group: 'data_drift',
    conditions: false,
    evaluate(r, t) {
      const issue = r.errors.find((e) => e.column === t.column);
      if (issue) throw new SuiteTestError(issue.message);
      const d = need(r.drift.columns.find((c) => c.column === t.column), `column "${t.column}" has no drift result`);
      const score = roundScore(d.score);
      return {
        kind: 'fixed',
        passed: !d.drift_detected,
        value: num(d.score),
        description: `The drift score for the feature **${t.column}** is ${formatG(score)}. The drift detection method is ${d.stattest_name}. The drift detection threshold is ${formatFloat(d.threshold)}.`,
        parameters: { stattest: d.stattest_name, score, threshold: d.threshold, detected: d.drift_detected, column_name: t.column },
      };
    },
  },
  value_mean_error: {
    name: 'Mean Error (ME)',
    group: 'regression',
    conditions: true,
    evaluate(r) {
      const cur = regression(r, 'current');
      const sigma = need(num(cur.error_std), 'the error standard deviation is undefined');
      return { kind: 'check', value: num(cur.mean_error), condition: { eq: approx(0, undefined, 0.1 * sigma) }, describe: (v, c) => `The ME is ${formatPrecision(v)}. The test threshold is ${c}.` };
    },
  },
  value_mae: regressionTest('Mean Absolute Error (MAE)', 'MAE', 'mean_abs_error', 'eq', ''),
  value_rmse: regressionTest('Root Mean Square Error (RMSE)', 'RMSE', 'rmse', 'eq', '.'),
  value_mape: regressionTest('Mean Absolute Percentage Error (MAPE)', 'MAPE', 'mean_abs_perc_error', 'eq', '.'),
  value_abs_max_error: regressionTest('Max Absolute Error', 'Max Absolute Error', 'abs_error_max', 'lte', '.'),
  value_r2_score: regressionTest('R2 Score', 'R2 score', 'r2_score', 'eq', '.'),
  accuracy_score: classificationTest('Accuracy Score', 'accuracy'),
  precision_score: classificationTest('Precision Score', 'precision'),
  recall_score: classificationTest('Recall Score', 'recall'),
  f1_score: classificationTest('F1 Score', 'f1'),
  roc_auc: classificationTest('ROC AUC Score', 'roc_auc', `Not enough data to calculate ROC AUC. ${NO_PROBABILITIES}`),
  log_loss: classificationTest('Logarithmic Loss', 'log_loss', `Not enough data to calculate Logarithmic Loss. ${NO_PROBABILITIES}`),
  tpr: classificationTest('True Positive Rate', 'tpr', BINARY_ONLY),
  tnr: classificationTest('True Negative Rate', 'tnr', BINARY_ONLY),
  fpr: classificationTest('False Positive Rate', 'fpr', BINARY_ONLY),
  fnr: classificationTest('False Negative Rate', 'fnr', BINARY_ONLY),
  precision_by_class: byClassTest('Precision Score by Class', 'precision'),
  recall_by_class: byClassTest('Recall Score by Class', 'recall'),
} satisfies Record<string, TestDef>;

export type TestId = keyof typeof TESTS;
export const TEST_IDS = Object.keys(TESTS) as TestId[];

/** Evidently prints and reports drift scores rounded to 3 decimals (Python's round, which numpy floats share). */
function roundScore(score: ScoreValue): number {
  const x = scoreFromJson(score);
  return Number.isFinite(x) ? roundHalfEven(x * 1000) / 1000 : x;
}

function driftFeatures(r: SuiteReport) {
  return Object.fromEntries(
    r.drift.columns.map((c) => [c.column, { stattest: c.stattest_name, score: roundScore(c.score), threshold: c.threshold, detected: c.drift_detected }]),
  );
}
