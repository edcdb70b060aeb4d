/**
 * The run status: one verdict per run, computed once into the report model, so the terminal, the HTML
 * banner, Slack, Markdown, JUnit, the schedule log and Prometheus cannot disagree about a run.
 *
 * Precedence, worst first: error > tests_failing > drift > ok. A run that could not score a column or
 * evaluate a critical test is not trusted to say anything else; a failed critical test outranks dataset
 * drift because a suite is the user's own definition of "bad" (its drift-share test fails on drift anyway).
 * The headline always carries every count, so drift below the dataset share is still shown when tests fail.
 */
import { formatPercent } from './format.js';
import type { Report, RunStatus, StatusCode } from './model.js';

export interface StatusLook {
  /** The one word (or two) every channel prints. */
  word: string;
  /** A Unicode emoji: shows in a terminal, in Slack headers, in Markdown and in HTML alike. */
  icon: string;
  /** Colour name; the HTML banner's class is `tone-<colour>`. */
  colour: 'green' | 'orange' | 'red' | 'purple';
  /** SGR code of that colour in a terminal. */
  ansi: string;
}

export const STATUS_LOOK: Record<StatusCode, StatusLook> = {
  ok: { word: 'OK', icon: '🟢', colour: 'green', ansi: '1;32' },
  drift: { word: 'DRIFT', icon: '🟠', colour: 'orange', ansi: '1;33' },
  tests_failing: { word: 'TESTS FAILING', icon: '🔴', colour: 'red', ansi: '1;31' },
  error: { word: 'ERROR', icon: '🟣', colour: 'purple', ansi: '1;35' },
};

/** Status codes worst first; also the numeric value of the mlobs_run_status_code gauge (ok = 0 … error = 3). */
export const STATUS_CODES: StatusCode[] = ['ok', 'drift', 'tests_failing', 'error'];

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function headline(code: StatusCode, c: Omit<RunStatus, 'code' | 'headline'>, d: Report['drift']): string {
  const parts = [
    `${c.drifted_columns} of ${plural(c.columns, 'column')} drifted (${formatPercent(d.share_of_drifted_columns)}; dataset drift at ${formatPercent(d.drift_share)})`,
  ];
  if (c.total_tests > 0) parts.unshift(`${c.failed_tests} of ${plural(c.total_tests, 'test')} failed`);
  if (c.test_errors > 0) parts.unshift(`${plural(c.test_errors, 'critical test')} could not run`);
  if (c.column_errors > 0) parts.unshift(`${plural(c.column_errors, 'column')} could not be scored`);
  return `${STATUS_LOOK[code].word}: ${parts.join('; ')}`;
}

/** Failed suite tests, and critical ones that could not run: the two counts the status rule reads from a suite. */
export function testCounts(tests: ReadonlyArray<{ status: string; critical: boolean }>): { failed_tests: number; test_errors: number } {
  return {
    failed_tests: tests.filter((t) => t.status === 'FAIL').length,
    test_errors: tests.filter((t) => t.status === 'ERROR' && t.critical).length,
  };
}

/** The status of a report body; called once, by `analyze`. */
export function runStatus(report: Pick<Report, 'drift' | 'tests' | 'errors'>): RunStatus {
  const tests = report.tests?.tests ?? [];
  const counts = {
    drifted_columns: report.drift.number_of_drifted_columns,
    columns: report.drift.number_of_columns,
    total_tests: tests.length,
    ...testCounts(tests),
    column_errors: report.errors.length,
  };
  const code = statusCode({ ...counts, dataset_drift: report.drift.dataset_drift });
  return { code, headline: headline(code, counts, report.drift), ...counts };
}

/** The precedence above, from the counts that decide it: a run's status, and each of its windows'. */
export function statusCode(c: { column_errors: number; test_errors: number; failed_tests: number; dataset_drift: boolean }): StatusCode {
  return c.column_errors + c.test_errors > 0 ? 'error' : c.failed_tests > 0 ? 'tests_failing' : c.dataset_drift ? 'drift' : 'ok';
}

/** `🔴 TESTS FAILING: 37 of 69 tests failed; …`: the line every text channel leads with. */
export const statusLine = (s: RunStatus) => `${STATUS_LOOK[s.code].icon} ${s.headline}`;
