import { z } from 'zod';

/**
 * The report model: the one document every writer (JSON, terminal, and later HTML, Prometheus, Slack)
 * consumes. It is defined once, here, as a zod schema: the TypeScript types are inferred from it and
 * schema/report.schema.json is generated from it, so the three cannot disagree.
 */
export const SCHEMA_VERSION = '1.0.0';

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
  delimiter: z.string(),
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
  })
  .describe('Small pre-binned distribution of both sides over shared bins');

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

export const Report = z.object({
  schema_version: z.literal(SCHEMA_VERSION),
  kind: z.literal('mlobs.report'),
  run: z.object({
    mlobs_version: z.string(),
    node_version: z.string(),
    started_at: z.string().describe('ISO 8601 UTC'),
    finished_at: z.string(),
    timings: z.object({ read_s: z.number(), drift_s: z.number(), total_s: z.number() }),
    peak_rss_bytes: z.number().int().nonnegative(),
    drift_threads: z.number().int().positive().describe('Threads that scored the columns (1 = in the main thread)'),
  }),
  inputs: z.object({ reference: InputInfo, current: InputInfo }),
  options: z.object({
    task: z.enum(['classification', 'regression']).nullable(),
    drift_share: z.number(),
    stattest: z.string().nullable(),
    stattest_threshold: z.number().nullable(),
    na_values: z.array(z.string()),
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
  errors: z.array(ColumnIssue),
  warnings: z.array(Warning),
});

export type Report = z.infer<typeof Report>;
export type ColumnDrift = z.infer<typeof ColumnDrift>;
export type ColumnInfo = z.infer<typeof ColumnInfo>;
export type ColumnIssue = z.infer<typeof ColumnIssue>;
export type ReportWarning = z.infer<typeof Warning>;
export type Distribution = z.infer<typeof Distribution>;
export type SideCounts = z.infer<typeof SideCounts>;
export type ScoreValue = z.infer<typeof Score>;

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
