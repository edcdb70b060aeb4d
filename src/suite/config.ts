import { z } from 'zod';
import type { ModelOptions } from '../model_quality/index.js';
import type { Report } from '../report/model.js';
import { APPROX_ABSOLUTE, APPROX_RELATIVE, approx, type Bound } from './condition.js';
import type { PRESETS } from './presets.js';
import { formatPercent } from '../report/format.js';
import { failuresByImportance } from './display.js';
import type { SuiteOptions, UserTest } from './run.js';
import { TEST_IDS } from './catalogue.js';

/** `{ approx: 120, relative: 0.1 }` in the config is Evidently's approx(120, relative=0.1). */
const ApproxConfig = z.object({ approx: z.number(), relative: z.number().positive().optional(), absolute: z.number().nonnegative().optional() }).strict();
const BoundConfig = z.union([z.number(), ApproxConfig]);
const Items = z.array(z.union([z.number(), z.string(), z.boolean()]));

/** One entry of the config's `tests.conditions`. */
export const TestEntry = z
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

/** The config file's `tests:` section, parsed (src/settings/table.ts holds its keys). */
export interface TestsSettings {
  presets?: (typeof PRESETS)[number][];
  one_sided?: boolean;
  conditions?: z.infer<typeof TestEntry>[];
}

/** The config file's `model:` section, parsed. */
export interface ModelSettings {
  pos_label?: string;
  probas_threshold?: number;
}

const bound = (b: z.infer<typeof BoundConfig>): Bound => (typeof b === 'number' ? b : approx(b.approx, b.relative ?? APPROX_RELATIVE, b.absolute ?? APPROX_ABSOLUTE));

export function suiteOptions(tests: TestsSettings | undefined): SuiteOptions {
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

export function modelOptions(model: ModelSettings | undefined): ModelOptions {
  return { posLabel: model?.pos_label, probasThreshold: model?.probas_threshold };
}

export type FailOn = 'drift' | 'tests' | 'never';

/** The `--fail-on` gate: dataset drift, or any critical test that failed or could not be evaluated. */
export function gateTripped(failOn: FailOn, report: Report): boolean {
  if (failOn === 'drift') return report.drift.dataset_drift;
  if (failOn === 'tests') return report.status.failed_tests + report.status.test_errors > 0;
  return false;
}

/** Why the gate tripped, in one line: what `--quiet` still prints, so a red CI step is never silent. */
export function gateReason(failOn: FailOn, report: Report): string {
  const d = report.drift;
  if (failOn === 'drift') return `--fail-on drift: dataset drift detected, ${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted (${formatPercent(d.share_of_drifted_columns)}; dataset drift at ${formatPercent(d.drift_share)})`;
  const failing = failuresByImportance(report.tests?.tests ?? []).filter((t) => t.status === 'FAIL' || t.critical);
  const first = failing[0];
  return `--fail-on tests: ${failing.length} of ${report.tests?.summary.total_tests ?? 0} tests failed${first ? `, most important: ${first.name}${first.column ? ` (${first.column})` : ''}` : ''}`;
}
