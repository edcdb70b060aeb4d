import { z } from 'zod';

const names = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));
const threshold = z.number().positive().finite();

/**
 * The config file (YAML or JSON). Every key has a flag of the same meaning (see src/cli/options.ts); flags win.
 * Unknown keys are errors, so a typo is never silently ignored.
 */
export const ConfigFile = z
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
    fail_on: z.enum(['drift', 'never']).optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof ConfigFile>;
