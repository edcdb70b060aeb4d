import { gateWindows } from '../windows/index.js';
import { z } from 'zod';
import type { ModelOptions } from '../model_quality/index.js';
import type { Report } from '../report/model.js';
import { APPROX_ABSOLUTE, APPROX_RELATIVE, approx, type Bound } from './condition.js';
import { PRESETS } from './presets.js';
import type { SuiteOptions, UserTest } from './run.js';
import { TEST_IDS } from './tests.js';

/** `{ approx: 120, relative: 0.1 }` in the config is Evidently's approx(120, relative=0.1). */
const ApproxConfig = z.object({ approx: z.number(), relative: z.number().positive().optional(), absolute: z.number().nonnegative().optional() }).strict();
const BoundConfig = z.union([z.number(), ApproxConfig]);
const Items = z.array(z.union([z.number(), z.string(), z.boolean()]));

const TestEntry = z
  .object({
    test: z.enum(TEST_IDS as [string, ...string[]]),
    column: z.string().min(1).optional(),
    label: z.union([z.string(), z.number()]).optional(),
    critical: z.boolean().optional(),
    n_sigmas: z.number().positive().optional(),
    eq: BoundConfig.optional(),
    gt: BoundConfig.optional(),
    gte: BoundConfig.optional(),
    lt: BoundConfig.optional(),
    lte: BoundConfig.optional(),
    not_eq: BoundConfig.optional(),
    is_in: Items.optional(),
    not_in: Items.optional(),
  })
  .strict();

/** The config file's `tests:` key. */
export const TestsConfig = z
  .object({
    presets: z.union([z.enum(PRESETS), z.array(z.enum(PRESETS))]).transform((v) => (Array.isArray(v) ? v : [v])).optional(),
    one_sided: z.boolean().optional(),
    conditions: z.array(TestEntry).optional(),
  })
  .strict();

/** The config file's `model:` key: how predictions are read for classification metrics. */
export const ModelConfig = z
  .object({
    pos_label: z.union([z.string().min(1), z.number()]).transform(String).optional(),
    probas_threshold: z.number().gt(0).lt(1).optional(),
  })
  .strict();



const bound = (b: z.infer<typeof BoundConfig>): Bound => (typeof b === 'number' ? b : approx(b.approx, b.relative ?? APPROX_RELATIVE, b.absolute ?? APPROX_ABSOLUTE));

export function suiteOptions(tests: z.infer<typeof TestsConfig> | undefined): SuiteOptions {
  return {
    presets: tests?.presets,
    oneSided: tests?.one_sided,
    tests: tests?.conditions?.map((entry) => {
      const { eq, gt, gte, lt, lte, not_eq, ...rest } = entry;
      const bounds = Object.entries({ eq, gt, gte, lt, lte, not_eq }).filter(([, b]) => b !== undefined).map(([op, b]) => [op, bound(b!)]);
      return { ...rest, ...Object.fromEntries(bounds) } as UserTest;
    }),
  };
}

export function modelOptions(model: z.infer<typeof ModelConfig> | undefined): ModelOptions {
  return { posLabel: model?.pos_label, probasThreshold: model?.probas_threshold };
}

export type FailOn = 'drift' | 'tests' | 'never';

/**
 * The `--fail-on` gate: dataset drift, or any critical test that failed or could not be evaluated. A windowed
 * report is judged on the windows `--gate-window` picks (any of them tripping, or all for `all`).
 */
export function gateTripped(failOn: FailOn, report: Report): boolean {
  const windows = failOn === 'never' ? null : gateWindows(report);
  if (windows) {
    const tripped = windows.map((w) => (failOn === 'drift' ? !!w.drift?.dataset_drift : (w.tests?.failed ?? []).some((t) => t.status === 'FAIL' || t.critical)));
    return report.windowing!.gate === 'all' ? tripped.every(Boolean) : tripped.some(Boolean);
  }
  if (failOn === 'drift') return report.drift.dataset_drift;
  if (failOn === 'tests') return report.status.failed_tests + report.status.test_errors > 0;
  return false;
}
