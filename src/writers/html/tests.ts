import { formatCount } from '../../report/format.js';
import type { ColumnDrift, TestSuite } from '../../report/model.js';
import { isFailure, readableDescription, testImportance } from '../../suite/display.js';
import { markdownBold } from './common.js';

type Test = TestSuite['tests'][number];
type TestStatus = Test['status'];

/** Icons and words carry the status, not colour. */
const STATUS: Record<TestStatus, { word: string; icon: string; badge: string }> = {
  FAIL: { word: 'Fail', icon: '✕', badge: 'badge-drift' },
  ERROR: { word: 'Error', icon: '!', badge: 'badge-error' },
  WARNING: { word: 'Warning', icon: '!', badge: 'badge-warn' },
  SUCCESS: { word: 'Pass', icon: '✓', badge: 'badge-ok' },
};

function testRow(test: Test, drift: ColumnDrift[]) {
  return {
    ...STATUS[test.status],
    status: test.status,
    column: test.column ?? (test.label === null ? '' : `class ${test.label}`),
    description: markdownBold(readableDescription(test, drift)),
  };
}

/**
 * Tests that did not pass, grouped by test type with counts, most important type first (the dataset's
 * drift verdict before 28 out-of-range rows); passed tests in one collapsed list. A reader opens the
 * suite to see what broke.
 */
export function suiteView(t: TestSuite, drift: ColumnDrift[]) {
  const types = new Map<string, Test[]>();
  for (const test of t.tests) if (test.status !== 'SUCCESS') types.set(test.name, [...(types.get(test.name) ?? []), test]);
  const groups = [...types.entries()]
    .map(([name, tests]) => {
      const all = t.tests.filter((x) => x.name === name).length;
      const failed = tests.filter(isFailure).length;
      return {
        name,
        failed,
        warnings: tests.length - failed,
        passed: all - tests.length,
        all,
        importance: testImportance(tests[0]),
        rows: tests.map((x) => testRow(x, drift)),
      };
    })
    .sort((a, b) => Number(b.failed > 0) - Number(a.failed > 0) || a.importance - b.importance || b.failed - a.failed);
  const passed = t.tests.filter((x) => x.status === 'SUCCESS').map((x) => ({ name: x.name, ...testRow(x, drift) }));
  return {
    groups,
    passed,
    passedCount: formatCount(passed.length),
    total: t.summary.total_tests,
    failed: t.summary.failed_tests,
    presets: t.presets.join(', '),
  };
}
