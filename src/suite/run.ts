import { UsageError } from '../errors.js';
import { toJsonNumbers, type TestSuite } from '../report/model.js';
import { check, describeCondition, hasCondition, OPERATORS, type Condition } from './condition.js';
import { automaticPresets, columnsFor, presetTests, suiteColumns, type PresetId } from './presets.js';
import { didYouMean } from '../suggest.js';
import { SuiteTestError, TESTS, type CheckOutcome, type FixedOutcome, type Label, type SuiteReport, type TestId, type TestInstance } from './catalogue.js';

/** A test the user configures: a condition that replaces the default, for one column or label or for all. */
export interface UserTest extends Condition {
  test: TestId;
  column?: string;
  label?: Label;
  /** false: a failure is a WARNING and does not fail the run. */
  critical?: boolean;
  /** mean_in_n_sigmas only. */
  n_sigmas?: number;
}

export interface SuiteOptions {
  /** Presets to run; chosen from the column roles when absent. */
  presets?: PresetId[];
  /** Replace Evidently's two-sided "within ±x% of the reference" defaults by one-sided ones (docs/test-suites.md). */
  oneSided?: boolean;
  tests?: UserTest[];
}

type TestResult = TestSuite['tests'][number];

const COLUMN_TESTS = new Set<TestId>([
  'column_share_of_missing_values',
  'share_of_out_of_range_values',
  'share_of_out_of_list_values',
  'mean_in_n_sigmas',
  'most_common_value_share',
  'column_drift',
]);
const LABEL_TESTS = new Set<TestId>(['precision_by_class', 'recall_by_class']);

const key = (t: TestInstance) => `${t.id}\u0000${t.column ?? ''}\u0000${t.label ?? ''}`;
const sameLabel = (a: Label, b: Label) => String(a) === String(b);

/** The config entry for a test: one naming its column or label wins over one for every column. */
function entryFor(t: TestInstance, entries: UserTest[]): UserTest | undefined {
  const matching = entries.filter(
    (e) => e.test === t.id && (e.column === undefined || e.column === t.column) && (e.label === undefined || (t.label !== undefined && sameLabel(e.label, t.label))),
  );
  return matching.find((e) => e.column !== undefined || e.label !== undefined) ?? matching[0];
}

/** Rejects config entries that cannot apply, before anything is evaluated. */
function validate(entries: UserTest[], report: SuiteReport): void {
  const names = new Set(report.columns.map((c) => c.name));
  for (const e of entries) {
    const where = `tests: ${e.test}${e.column !== undefined ? ` (column "${e.column}")` : ''}`;
    if (e.column !== undefined && !COLUMN_TESTS.has(e.test)) throw new UsageError(`${where}: this test is not about one column`);
    if (e.column !== undefined && !names.has(e.column)) throw new UsageError(`${where}: no such column in either file${didYouMean(e.column, names)}`);
    if (e.label !== undefined && !LABEL_TESTS.has(e.test)) throw new UsageError(`${where}: only precision_by_class and recall_by_class take a label`);
    if (hasCondition(e) && !TESTS[e.test].conditions) {
      throw new UsageError(`${where}: this test has its own rule and takes no condition${e.test === 'column_drift' ? ' (set its stat test and threshold under drift:)' : ''}`);
    }
    if (e.n_sigmas !== undefined && e.test !== 'mean_in_n_sigmas') throw new UsageError(`${where}: n_sigmas belongs to mean_in_n_sigmas`);
  }
}

/** The condition a check is judged by, and where it came from. */
function conditionFor(def: Condition, better: 'higher' | 'lower' | undefined, entry: UserTest | undefined, oneSided: boolean) {
  if (entry && hasCondition(entry)) {
    const user: Condition = {};
    for (const op of OPERATORS) if (entry[op] !== undefined) Object.assign(user, { [op]: entry[op] });
    return { condition: user, source: 'user' as const };
  }
  if (oneSided && better && typeof def.eq === 'object' && Object.keys(def).length === 1) {
    return { condition: { [better === 'higher' ? 'gte' : 'lte']: def.eq } as Condition, source: 'one_sided' as const };
  }
  return { condition: def, source: 'default' as const };
}

function evaluate(t: TestInstance, report: SuiteReport, entry: UserTest | undefined, oneSided: boolean): TestResult {
  const def = TESTS[t.id];
  const critical = entry?.critical ?? true;
  const base = { id: t.id, name: def.name, group: def.group, column: t.column ?? null, label: t.label ?? null, critical };
  const failed = critical ? ('FAIL' as const) : ('WARNING' as const);
  try {
    const outcome: CheckOutcome | FixedOutcome = def.evaluate(report, t, { nSigmas: entry?.n_sigmas });
    if (outcome.kind === 'fixed') {
      const { passed, value, description, parameters } = outcome;
      return { ...base, status: passed ? 'SUCCESS' : failed, description, value: toJsonNumbers(value), condition: null, condition_source: null, parameters: toJsonNumbers(parameters) };
    }
    const { condition, source } = conditionFor(outcome.condition, outcome.better, entry, oneSided);
    const parameters = toJsonNumbers({ condition, value: outcome.value, ...outcome.parameters });
    if (outcome.value === null) {
      return { ...base, status: 'ERROR', description: 'Test failed: the value is undefined.', value: null, condition: toJsonNumbers(condition), condition_source: source, parameters };
    }
    return {
      ...base,
      status: check(condition, outcome.value) ? 'SUCCESS' : failed,
      description: outcome.describe(outcome.value, describeCondition(condition)),
      value: toJsonNumbers(outcome.value),
      condition: toJsonNumbers(condition),
      condition_source: source,
      parameters,
    };
  } catch (e) {
    if (!(e instanceof SuiteTestError)) throw e;
    return { ...base, status: 'ERROR', description: `Test failed with exceptions: ${e.message}`, value: null, condition: null, condition_source: null, parameters: {} };
  }
}

/**
 * Evidently's test suites over a report: the presets' tests (each once, in preset order), plus tests the
 * config adds; default conditions from the reference unless the config gives one. A failed test that the
 * config marks `critical: false` is a WARNING.
 */
export function runSuite(report: SuiteReport, options: SuiteOptions = {}): TestSuite {
  const entries = options.tests ?? [];
  validate(entries, report);
  const columns = suiteColumns(report);
  const presets = options.presets ?? automaticPresets(report);
  const instances = new Map<string, TestInstance>();
  const add = (t: TestInstance) => instances.has(key(t)) || instances.set(key(t), t);
  for (const preset of presets) presetTests(preset, columns).forEach(add);
  for (const e of entries) {
    if (LABEL_TESTS.has(e.test)) (e.label !== undefined ? [e.label] : columns.labels).forEach((label) => add({ id: e.test, label }));
    else if (COLUMN_TESTS.has(e.test)) (e.column !== undefined ? [e.column] : columnsFor(e.test, columns)).forEach((column) => add({ id: e.test, column }));
    else add({ id: e.test });
  }
  const tests = [...instances.values()].map((t) => evaluate(t, report, entryFor(t, entries), !!options.oneSided));
  const byStatus: Record<string, number> = {};
  for (const t of tests) byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
  return {
    presets,
    defaults: options.oneSided ? 'one_sided' : 'evidently',
    summary: {
      all_passed: tests.every((t) => t.status === 'SUCCESS' || t.status === 'WARNING'),
      total_tests: tests.length,
      success_tests: (byStatus.SUCCESS ?? 0) + (byStatus.WARNING ?? 0),
      failed_tests: byStatus.FAIL ?? 0,
      by_status: byStatus,
    },
    tests,
  };
}
