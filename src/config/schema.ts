import { z } from 'zod';
import { GateWindow, ReportLinks } from '../report/model.js';
import { ModelConfig, TestsConfig } from '../suite/config.js';

const names = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));
const threshold = z.number().positive().finite();

/** Slack notification of a run (src/notify); per monitor, like every other key. */
export const NotifyConfig = z
  .object({
    slack_channel: z.string().min(1).optional(),
    when: z.enum(['always', 'drift', 'failure', 'change']).optional(),
    optional: z.boolean().optional(),
    report_url: z.string().min(1).optional(),
    upload: z.boolean().optional(),
    timeout: z.number().positive().finite().optional(),
  })
  .strict();

/**
 * The keys of one run. Every key has a flag of the same meaning (see src/cli/options.ts); flags win.
 * Unknown keys are errors, so a typo is never silently ignored.
 */
const RunConfig = z
  .object({
    reference: z.string().min(1).optional(),
    current: z.string().min(1).optional(),
    columns: z
      .object({
        target: z.string().min(1).optional(),
        prediction: names.optional(),
        task: z.enum(['classification', 'regression']).optional(),
        numerical: names.optional(),
        categorical: names.optional(),
        datetime: names.optional(),
        id: names.optional(),
        ignore: names.optional(),
        timestamp: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    drift: z
      .object({
        stattest: z.string().optional(),
        stattest_threshold: threshold.optional(),
        num_stattest: z.string().optional(),
        cat_stattest: z.string().optional(),
        num_stattest_threshold: threshold.optional(),
        cat_stattest_threshold: threshold.optional(),
        per_column_stattest: z.record(z.string(), z.string()).optional(),
        per_column_threshold: z.record(z.string(), threshold).optional(),
        drift_share: z.number().gt(0).lte(1).optional(),
      })
      .strict()
      .optional(),
    csv: z
      .object({
        delimiter: z.enum([',', ';', '\t', '|']).optional(),
        na_values: names.optional(),
        keep_default_na: z.boolean().optional(),
      })
      .strict()
      .optional(),
    output: z
      .object({
        dir: z.string().min(1).optional(),
        format: names.optional(),
      })
      .strict()
      .optional(),
    prometheus: z
      .object({
        textfile_dir: z.string().min(1).optional(),
        max_columns: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    fail_on: z.enum(['drift', 'tests', 'never']).optional(),
    windows: z
      .object({
        size: z.string().min(1).optional(),
        reference_range: z.string().min(1).optional(),
        min_rows: z.number().int().positive().optional(),
        gate: GateWindow.optional(),
      })
      .strict()
      .optional(),
    model: ModelConfig.optional(),
    tests: TestsConfig.optional(),
    links: ReportLinks.optional(),
    notify: NotifyConfig.optional(),
  })
  .strict();

const monitorName = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" (the name is part of file names)');

/** One monitored model or dataset under `monitors:`; the top-level keys are defaults for every monitor. */
const Monitor = RunConfig.extend({ name: monitorName });

/** The config file (YAML or JSON): one run, or several `monitors:` that `mlobs report` runs in turn. */
export const ConfigFile = RunConfig.extend({
  /** With `monitors:` the one to run; without, the name of the single run's monitor. */
  monitor: monitorName.optional(),
  monitors: z
    .array(Monitor)
    .min(1)
    .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, 'monitor names must be unique')
    .optional(),
});

export type ConfigFile = z.infer<typeof ConfigFile>;
