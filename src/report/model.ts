import { z } from 'zod';

/**
 * The report model: the one document every writer (JSON, terminal, and later HTML, Prometheus, Slack)
 * consumes. It is defined once, here, as a zod schema: the TypeScript types are inferred from it and
 * schema/report.schema.json is generated from it, so the three cannot disagree.
 */
export const SCHEMA_VERSION = '1.6.0';

/** Multiple-testing corrections (`--correction`, src/drift/correction.ts); the flag and the report take these. */
export const CORRECTIONS = ['bonferroni', 'holm', 'bh'] as const;

/** JSON has no NaN or infinity; like the golden files, non-finite numbers travel as these strings. */
export const Score = z
  .union([z.number(), z.enum(['nan', 'inf', '-inf'])])
  .describe('A number, or "nan" / "inf" / "-inf" for non-finite values');

const InputInfo = z.object({
  path: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rows: z.number().int().nonnegative(),
  columns: z.number().int().nonnegative(),
  format: z.enum(['csv', 'parquet', 'sql']).describe('csv, parquet (a file, a directory or a glob; `bytes` and `sha256` cover its files back to back), or sql (a query on --source: `sha256` is the query text\'s, `bytes` 0)'),
  delimiter: z.string().nullable().describe('The CSV delimiter; null for Parquet'),
});

export const ColumnRole = z.enum(['feature', 'target', 'prediction', 'prediction_proba', 'datetime', 'id', 'ignored']);
export const ColumnType = z.enum(['num', 'cat', 'datetime', 'unknown']);

const SideCounts = z.object({
  rows: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative().describe('Cells holding a missing-value token'),
  coerced: z.number().int().nonnegative().describe('Non-numeric cells of a numeric column, treated as missing'),
  infinite: z.number().int().nonnegative(),
});

const ColumnInfo = z.object({
  name: z.string(),
  role: ColumnRole,
  type: ColumnType,
  type_source: z.enum(['inferred', 'declared', 'role']).describe('Why the column has its type'),
  in_reference: z.boolean(),
  in_current: z.boolean(),
  reference: SideCounts.nullable(),
  current: SideCounts.nullable(),
  coerced_tokens: z
    .array(z.object({ token: z.string(), reference: z.number().int(), current: z.number().int() }))
    .describe('Text tokens found in a numeric column and treated as missing (most frequent first, at most 10)'),
});

const Distribution = z
  .object({
    kind: z.enum(['histogram', 'categories']),
    x: z.array(z.union([z.number(), z.string()])).describe('histogram: bin edges (one more than counts); categories: labels'),
    reference: z.array(z.number().int().nonnegative()),
    current: z.array(z.number().int().nonnegative()),
    other: z
      .object({ reference: z.number().int().nonnegative(), current: z.number().int().nonnegative() })
      .optional()
      .describe('categories: counts of the levels beyond the listed ones'),
    binning: z
      .enum(['equal_width', 'reference_quantiles'])
      .optional()
      .describe('histogram: equal-width bins, or the reference deciles when equal widths would put most values in one bin; since schema 1.3'),
  })
  .describe('Small pre-binned distribution of both sides over shared bins');

const OneFileSide = z.object({
  levels: z.number().int().nonnegative().describe('Levels with rows in this file only'),
  share: z.number().describe("Share (0-1) of this file's rows in those levels"),
  examples: z.array(z.union([z.string(), z.number()])).describe('The most frequent of them, at most 5'),
});

export const ExplanationCode = z.enum(['one_file_levels', 'small_sample', 'corrected_threshold', 'tail_levels']);

const ColumnDrift = z.object({
  column: z.string(),
  type: z.enum(['num', 'cat']),
  role: ColumnRole,
  stattest: z.string().describe('Registry id of the stat test (Evidently\'s)'),
  stattest_name: z.string().describe('Evidently\'s display name'),
  stattest_source: z.enum(['auto', 'per_column', 'type', 'global']),
  score_kind: z.enum(['p_value', 'distance']),
  score: Score,
  threshold: z.number(),
  drift_rule: z.enum(['lt', 'le', 'ge', 'gt']).describe('Drift is detected when `score <rule> threshold`'),
  drift_detected: z.boolean(),
  n_reference: z.number().int().nonnegative(),
  n_current: z.number().int().nonnegative(),
  missing_reference: z.number().int().nonnegative(),
  missing_current: z.number().int().nonnegative(),
  details: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])),
  distribution: Distribution,
  one_file_levels: z
    .object({
      reference_only: OneFileSide,
      current_only: OneFileSide,
      score_without: Score.nullable().describe('The same test on the levels both files have; null when it cannot run on them'),
      drift_without: z.boolean().nullable(),
    })
    .optional()
    .describe('Categorical columns with levels seen in one file only: how much of each file they hold, and the verdict without them; since schema 1.3'),
  tail_levels: z
    .object({
      levels: z.number().int().positive().describe('Levels beyond the chart\'s top 20, shown as one "(other levels)" bar'),
      reference_share: z.number().describe("Share (0-1) of the reference's rows in those levels"),
      current_share: z.number().describe("Share (0-1) of the current's rows in those levels"),
      score_merged: Score.nullable().describe('The same test with those levels merged into one level; null when it cannot run on them'),
      drift_merged: z.boolean().nullable(),
    })
    .optional()
    .describe("Categorical columns with more levels than the chart lists: the tail's share of each file and the verdict with the tail as one level; since schema 1.5"),
  correction: z
    .object({
      method: z.enum(CORRECTIONS),
      family_size: z.number().int().positive().describe('p-value columns corrected together'),
      rank: z.number().int().positive().describe('1 = the smallest p-value'),
      adjusted_score: Score.describe("The adjusted p-value (statsmodels' multipletests pvals_corrected); the verdict is the test's rule on it and the threshold"),
      threshold: z.number().describe("The raw p-value threshold this column's rank gets: α/m (Bonferroni), α/(m − rank + 1) (Holm), rank·α/m (Benjamini-Hochberg)"),
      drift_detected_uncorrected: z.boolean(),
    })
    .optional()
    .describe('With --correction, p-value columns only; drift_detected is then the corrected verdict; since schema 1.3'),
  explanations: z
    .array(z.object({ code: ExplanationCode, message: z.string() }))
    .optional()
    .describe('Why the verdict should be read with care, in words every channel shows on the row; since schema 1.3'),
});

const ColumnIssue = z.object({
  column: z.string(),
  stage: z.enum(['drift']),
  error_type: z.string(),
  message: z.string(),
});

const Warning = z.object({
  code: z.string(),
  message: z.string(),
  column: z.string().optional(),
});

export const HttpUrl = z.string().regex(/^https?:\/\/[^\s"<>]+$/, 'must be an http:// or https:// URL').describe('An http(s) URL');

/** Where a reader of the report goes next; only http(s), since the HTML report turns these into links. */
export const ReportLinks = z
  .object({ grafana: HttpUrl.optional(), prometheus: HttpUrl.optional(), alertmanager: HttpUrl.optional() })
  .strict();

// ---- Data quality (Evidently's DataQualityPreset: ColumnSummary, DatasetSummary, DatasetMissingValues) ----

const Count = z.number().int().nonnegative();
const Percentage = z.number().describe('A percentage (0-100) rounded half to even to 2 decimals, as Evidently');

const ColumnStats = z
  .object({
    number_of_rows: Count,
    count: Count.describe('Non-missing cells'),
    missing: Count,
    missing_percentage: Percentage,
    unique: Count.describe('Distinct non-missing values'),
    unique_percentage: Percentage,
    most_common: z
      .union([z.number(), z.string(), z.null()])
      .describe('The most frequent value, missing included (written "nan"), ties broken as pandas 1.5 does. Numerical: rounded to 5 decimals, ±inf as "inf"/"-inf"'),
    most_common_percentage: Percentage,
    infinite_count: Count.optional(),
    infinite_percentage: Percentage.optional(),
    min: Score.optional(),
    max: Score.optional(),
    mean: Score.optional(),
    std: Score.optional().describe('Sample standard deviation (ddof = 1)'),
    p25: Score.optional(),
    p50: Score.optional(),
    p75: Score.optional(),
    new_in_current_values_count: Count.nullable().optional().describe('Categorical, current side: values not seen in the reference'),
    unused_in_current_values_count: Count.nullable().optional().describe('Categorical, current side: reference values absent from the current'),
    first: z.string().nullable().optional(),
    last: z.string().nullable().optional(),
  })
  .describe('Evidently ColumnSummaryMetric characteristics of one side; numbers rounded to 2 decimals');

const ColumnQuality = z.object({
  column: z.string(),
  role: ColumnRole,
  type: ColumnType,
  reference: ColumnStats,
  current: ColumnStats,
  out_of_range: z
    .object({ left: Score, right: Score, count: Count, total: Count, share: Score })
    .optional()
    .describe('Numerical: current non-missing values outside [reference min, reference max]'),
  out_of_list: z
    .object({ count: Count, total: Count, share: Score })
    .optional()
    .describe('Categorical: current rows (missing included) whose value the reference does not have'),
});

const MissingValues = z
  .object({
    different_missing_values: z.record(z.string(), Count).describe('Cells per kind: "" (empty text), "Infinity", "-Infinity", "null" (missing)'),
    number_of_different_missing_values: Count,
    different_missing_values_by_column: z.record(z.string(), z.record(z.string(), Count)),
    number_of_different_missing_values_by_column: z.record(z.string(), Count),
    number_of_missing_values: Count,
    share_of_missing_values: z.number(),
    number_of_missing_values_by_column: z.record(z.string(), Count),
    share_of_missing_values_by_column: z.record(z.string(), z.number()),
    number_of_rows: Count,
    number_of_rows_with_missing_values: Count,
    share_of_rows_with_missing_values: z.number(),
    number_of_columns: Count,
    columns_with_missing_values: z.array(z.string()),
    number_of_columns_with_missing_values: Count,
    share_of_columns_with_missing_values: z.number(),
  })
  .describe('Evidently DatasetMissingValuesMetric: missing cells and ±inf count as missing values');

const DatasetStats = z
  .object({
    number_of_columns: Count,
    number_of_rows: Count,
    number_of_missing_values: Count,
    number_of_numeric_columns: Count,
    number_of_categorical_columns: Count,
    number_of_datetime_columns: Count,
    number_of_text_columns: Count,
    number_of_constant_columns: Count.describe('At most one distinct value (all-missing columns included)'),
    number_of_almost_constant_columns: Count.describe('One value fills at least 95% of the rows'),
    number_of_duplicated_columns: Count.describe('Pairs of columns with the same type and identical cells'),
    number_of_almost_duplicated_columns: Count.describe('Pairs of columns with the same type and at least 95% equal cells'),
    number_of_empty_rows: Count,
    number_of_empty_columns: Count,
    number_of_duplicated_rows: Count.describe('Rows equal to an earlier row'),
    nans_by_columns: z.record(z.string(), Count),
    number_uniques_by_columns: z.record(z.string(), Count),
    columns_type: z.record(z.string(), z.string()).describe('pandas dtype per column: int64, float64, bool_, object_'),
    missing_values: MissingValues,
  })
  .describe('Evidently DatasetSummaryMetric over every column of one file');

const DataQuality = z.object({
  almost_constant_threshold: z.number(),
  almost_duplicated_threshold: z.number(),
  reference: DatasetStats,
  current: DatasetStats,
  columns: z.array(ColumnQuality).describe('Every analysed column present in both files (not ignored or identifier columns)'),
});

// ---- Target and prediction drift (Evidently's TargetDriftPreset: ColumnDrift + ColumnCorrelations) ----

const TargetDrift = z
  .object({
    columns: z.array(
      z.object({
        column: z.string(),
        role: z.enum(['target', 'prediction']),
        type: z.enum(['num', 'cat']),
        correlations: z
          .array(
            z.object({
              kind: z.enum(['pearson', 'spearman', 'kendall', 'cramer_v']),
              feature: z.string(),
              reference: Score,
              current: Score,
            }),
          )
          .describe('Numerical column: Pearson, Spearman and Kendall with each numerical feature; categorical: Cramér\'s V with each categorical feature'),
      }),
    ),
  })
  .describe('The drift of target and prediction is in drift.columns; this adds how they relate to the features on each side');

// ---- Model quality (Evidently's RegressionPreset / ClassificationPreset metrics, both sides) ----

const Label = z.union([z.string(), z.number()]);
const Rates = z.object({ mean_error: Score, std_error: Score });

const RegressionQuality = z
  .object({
    rows: Count.describe('Rows where target and prediction are both finite'),
    r2_score: Score,
    rmse: Score,
    mean_error: Score.describe('Mean of prediction − target'),
    mean_abs_error: Score,
    mean_abs_perc_error: Score.describe('100 · mean(|error| / max(target, ε)), Evidently\'s MAPE (not |target|)'),
    abs_error_max: Score,
    error_std: Score,
    abs_error_std: Score,
    abs_perc_error_std: Score.describe('Standard deviation of |error| / max(target, ε), a fraction'),
    underperformance: z
      .object({ majority: Rates, underestimation: Rates, overestimation: Rates })
      .describe('Errors at or below their 5th percentile, at or above their 95th, and between'),
    error_normality: z.object({ slope: Score, intercept: Score, r: Score }).describe('Normal probability plot fit of the errors (scipy probplot)'),
  })
  .nullable();

const ClassificationQuality = z
  .object({
    rows: Count,
    accuracy: Score,
    precision: Score.describe('Binary: of the positive label; multiclass: macro average'),
    recall: Score,
    f1: Score,
    roc_auc: Score.nullable().describe('With probabilities only'),
    log_loss: Score.nullable(),
    tpr: Score.nullable().describe('Binary only'),
    tnr: Score.nullable(),
    fpr: Score.nullable(),
    fnr: Score.nullable(),
    confusion_matrix: z.object({ labels: z.array(Label), values: z.array(z.array(Count)) }).describe('Rows: actual, columns: predicted'),
    by_class: z.array(z.object({ label: Label, precision: Score, recall: Score, f1: Score, support: Count, roc_auc: Score.nullable() })),
    roc_curve: z
      .object({ fpr: z.array(z.number()), tpr: z.array(z.number()) })
      .nullable()
      .optional()
      .describe('Binary with probabilities: ROC points of the positive label from (0, 0) to (1, 1), at most 101; since schema 1.2'),
  })
  .nullable();

const ModelQuality = z.object({
  task: z.enum(['classification', 'regression']),
  target: z.string(),
  prediction: z.array(z.string()),
  regression: z
    .object({
      reference: RegressionQuality,
      current: RegressionQuality,
      charts: z
        .object({
          predicted_vs_actual: z
            .object({ reference: z.array(z.tuple([z.number(), z.number()])), current: z.array(z.tuple([z.number(), z.number()])) })
            .describe('[target, prediction] pairs, every k-th row so that at most 300 per side'),
          errors: z
            .object({ x: z.array(z.number()), reference: z.array(Count), current: z.array(Count) })
            .describe('Histogram of prediction − target over bin edges x shared by both sides'),
        })
        .optional()
        .describe('What the HTML draws; since schema 1.3'),
    })
    .optional(),
  classification: z
    .object({
      type: z.enum(['binary', 'multiclass']),
      prediction_type: z.enum(['labels', 'probabilities']),
      labels: z.array(Label),
      pos_label: Label.nullable(),
      probas_threshold: z.number().nullable(),
      reference: ClassificationQuality,
      current: ClassificationQuality,
      error: z.string().nullable().describe('Why the metrics could not be computed'),
    })
    .optional(),
});

// ---- Test suites (Evidently's test presets: pass/fail verdicts over all of the above) ----

const ApproxBound = z.object({ value: Score, relative: z.number(), absolute: z.number() }).describe('approx(value): within max(|value|·relative, absolute)');
const TestCondition = z
  .object({
    eq: z.union([Score, ApproxBound]).optional(),
    gt: z.union([Score, ApproxBound]).optional(),
    gte: z.union([Score, ApproxBound]).optional(),
    lt: z.union([Score, ApproxBound]).optional(),
    lte: z.union([Score, ApproxBound]).optional(),
    not_eq: z.union([Score, ApproxBound]).optional(),
    is_in: z.array(z.union([z.number(), z.string(), z.boolean()])).optional(),
    not_in: z.array(z.union([z.number(), z.string(), z.boolean()])).optional(),
  })
  .describe('All operators must hold');

const TestResult = z.object({
  id: z.string().describe('mlobs\' test id, as in the config file'),
  name: z.string().describe('Evidently\'s test name'),
  group: z.enum(['data_integrity', 'data_quality', 'data_drift', 'regression', 'classification']),
  column: z.string().nullable(),
  label: Label.nullable(),
  status: z.enum(['SUCCESS', 'FAIL', 'WARNING', 'ERROR']).describe('WARNING: failed, but not critical'),
  critical: z.boolean(),
  description: z.string(),
  value: Score.nullable(),
  condition: TestCondition.nullable().describe('Null for tests with their own rule (drift verdict, column types, mean in n sigmas)'),
  condition_source: z.enum(['default', 'one_sided', 'user']).nullable(),
  parameters: z.record(z.string(), z.unknown()),
});

const TestSuite = z.object({
  presets: z.array(z.string()),
  defaults: z.enum(['evidently', 'one_sided']),
  summary: z.object({
    all_passed: z.boolean().describe('Every test SUCCESS or WARNING'),
    total_tests: Count,
    success_tests: Count.describe('SUCCESS and WARNING'),
    failed_tests: Count,
    by_status: z.record(z.string(), Count),
  }),
  tests: z.array(TestResult),
});

const EngineInfo = z
  .object({
    name: z.string().describe('csv (mlobs\' own reader), clickhouse, duckdb'),
    version: z.string().nullable().describe('The engine\'s version; null for mlobs\' own reader'),
    mode: z
      .enum(['in-memory', 'duckdb', 'pushdown', 'column-batches'])
      .describe(
        'pushdown: the engine sent aggregates and mlobs computed every statistic from them; column-batches: DuckDB read a few columns at a time into memory (data larger than memory) and ran the row checks itself',
      ),
    memory_limit_bytes: z.number().int().positive().optional().describe('column-batches: the memory the run planned for (--memory-limit)'),
    batches: z.number().int().positive().optional().describe('column-batches: how many batches of columns were read'),
    location: z.string().optional().describe('Where the data was queried, without credentials'),
    reference_sql: z.string().optional(),
    current_sql: z.string().optional(),
    not_exact: z
      .array(z.object({ section: z.string(), reason: z.string() }))
      .describe('Report parts that could not be computed exactly from what the engine sent, and why; they are left out or flagged, never approximated silently'),
  })
  .describe('What computed the report');

/** A window's per-column drift: the verdict fields of the whole report's drift row (`pick` them with `.parse`). */
export const WindowColumn = ColumnDrift.pick({
  column: true,
  type: true,
  role: true,
  stattest: true,
  score_kind: true,
  score: true,
  threshold: true,
  drift_rule: true,
  drift_detected: true,
  n_reference: true,
  n_current: true,
});

/** One window of the current data: the numbers `mlobs report` gives on that window's rows alone. */
const Window = z.object({
  index: Count,
  start: z.string().nullable().describe('ISO 8601 UTC; calendar windows: the first instant, row windows: the earliest timestamp (null without --timestamp)'),
  end: z.string().nullable().describe('ISO 8601 UTC; calendar windows: the first instant after the window, row windows: the latest timestamp'),
  rows: Count,
  complete: z.boolean().describe('Calendar windows: the run started after the window ended; row windows: the window has its full row count'),
  judged: z.boolean().describe('false: too few rows, no rows, or the window could not be analysed; its verdicts count for no gate, trend or alert'),
  not_judged_reason: z.string().nullable(),
  drift: z
    .object({
      drift_share: z.number(),
      number_of_columns: Count,
      number_of_drifted_columns: Count,
      share_of_drifted_columns: z.number(),
      dataset_drift: z.boolean(),
      columns: z.array(WindowColumn),
    })
    .nullable(),
  quality: z.object({ rows: Count, missing_share: z.number().describe('Missing cells over all cells of the window (the whole report\'s share_of_missing_values)') }),
  tests: z
    .object({
      total_tests: Count,
      failed_tests: Count,
      by_status: z.record(z.string(), Count),
      failed: z.array(z.object({ id: z.string(), column: z.string().nullable(), status: z.enum(['FAIL', 'ERROR']), critical: z.boolean() })),
    })
    .nullable(),
  errors: z.array(ColumnIssue),
  warnings: z.array(Warning),
});

/** Which windows `--fail-on` judges; the config key and the report take these. */
export const GateWindow = z.enum(['latest', 'any', 'all']);

const Windowing = z.object({
  timestamp: z.string().nullable(),
  window: z.string().describe('The window size: 1h, 6h, 1d, 7d, 1mo, ... or Nrows'),
  min_rows: Count,
  gate: GateWindow.describe('Which windows --fail-on judges'),
  reference_range: z.object({ start: z.string(), end: z.string(), rows: Count }).nullable().describe('The reference as a period of the log (start included, end excluded)'),
  rows_without_time: z.object({ missing: Count, unparseable: Count }).describe('Current rows whose timestamp is missing or not a date: in the whole report, in no calendar window'),
  latest_complete: Count.nullable().describe('Index of the latest complete, judged window'),
});
export const StatusCode = z.enum(['ok', 'drift', 'tests_failing', 'error']);

const RunStatus = z
  .object({
    code: StatusCode.describe('Worst first: error (a column could not be scored or a critical test could not run) > tests_failing (a critical test failed) > drift (dataset drift) > ok'),
    headline: z.string().describe('The status word and every count, as the terminal, HTML, Slack and Markdown show it'),
    drifted_columns: Count,
    columns: Count,
    total_tests: Count,
    failed_tests: Count.describe('Tests with status FAIL (failed critical tests)'),
    test_errors: Count.describe('Critical tests with status ERROR (could not be evaluated)'),
    column_errors: Count.describe('Columns that could not be scored (errors[])'),
  })
  .describe('The run status, computed once: every writer shows this; since schema 1.3');

export const Report = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  kind: z.literal('mlobs.report'),
  monitor: z.string().optional().describe('The monitor this run belongs to (its name in the config, or --monitor); since schema 1.3'),
  run: z.object({
    mlobs_version: z.string(),
    node_version: z.string(),
    started_at: z.string().describe('ISO 8601 UTC'),
    finished_at: z.string(),
    timings: z.object({ read_s: z.number(), drift_s: z.number(), total_s: z.number() }),
    peak_rss_bytes: z.number().int().nonnegative(),
    drift_threads: z.number().int().positive().describe('Threads that scored the columns (1 = in the main thread)'),
  }),
  status: RunStatus,
  inputs: z.object({ reference: InputInfo, current: InputInfo }),
  engine: EngineInfo.optional().describe('Present since the pushdown sources'),
  options: z.object({
    task: z.enum(['classification', 'regression']).nullable(),
    drift_share: z.number(),
    stattest: z.string().nullable(),
    stattest_threshold: z.number().nullable(),
    na_values: z.array(z.string()),
    correction: z.enum(CORRECTIONS).nullable().optional().describe('Multiple-testing correction across p-value columns (--correction); since schema 1.3'),
  }),
  columns: z.array(ColumnInfo),
  drift: z.object({
    drift_share: z.number(),
    number_of_columns: z.number().int().nonnegative(),
    number_of_drifted_columns: z.number().int().nonnegative(),
    share_of_drifted_columns: z.number(),
    dataset_drift: z.boolean(),
    columns: z.array(ColumnDrift),
  }),
  quality: DataQuality.optional().describe('Data quality of both files (spec §5); present since schema 1.1'),
  target_drift: TargetDrift.optional().describe('Present when there is a target or a single prediction column'),
  model_quality: ModelQuality.optional().describe('Present when there is a target and a prediction'),
  tests: TestSuite.optional().describe('Test suites (spec §6)'),
  errors: z.array(ColumnIssue),
  warnings: z.array(Warning),
  links: ReportLinks.optional().describe('Monitoring pages the HTML report links to, when configured'),
  windowing: Windowing.optional().describe('How the current data was cut into windows (--window); present since schema 1.4'),
  windows: z.array(Window).optional().describe('Per-window results, oldest first (--window); the sections above are the whole current data'),
});

export type Report = z.infer<typeof Report>;
export type DataQuality = z.infer<typeof DataQuality>;
export type TargetDrift = z.infer<typeof TargetDrift>;
export type ModelQuality = z.infer<typeof ModelQuality>;
export type TestSuite = z.infer<typeof TestSuite>;
export type ColumnStats = z.infer<typeof ColumnStats>;
export type DatasetStats = z.infer<typeof DatasetStats>;
export type ColumnDrift = z.infer<typeof ColumnDrift>;
export type EngineInfo = z.infer<typeof EngineInfo>;
export type ColumnInfo = z.infer<typeof ColumnInfo>;
export type ColumnIssue = z.infer<typeof ColumnIssue>;
export type ReportWarning = z.infer<typeof Warning>;
export type Distribution = z.infer<typeof Distribution>;
export type SideCounts = z.infer<typeof SideCounts>;
export type ScoreValue = z.infer<typeof Score>;
export type ReportLinks = z.infer<typeof ReportLinks>;
export type ReportWindow = z.infer<typeof Window>;
export type Windowing = z.infer<typeof Windowing>;
export type RunStatus = z.infer<typeof RunStatus>;
export type StatusCode = z.infer<typeof StatusCode>;

export function scoreToJson(x: number): ScoreValue {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  return x;
}

export function scoreFromJson(x: ScoreValue): number {
  if (x === 'nan') return NaN;
  if (x === 'inf') return Infinity;
  if (x === '-inf') return -Infinity;
  return x;
}

/** A value for the JSON report with every number, however deep, through scoreToJson. */
export function toJsonNumbers<T>(x: T): any {
  if (typeof x === 'number') return scoreToJson(x);
  if (Array.isArray(x)) return x.map(toJsonNumbers);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, toJsonNumbers(v)]));
  return x;
}
