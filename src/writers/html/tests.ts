import { formatCount } from '../../report/format.js';
import type { ColumnDrift, TestSuite } from '../../report/model.js';
import { isFailure, readableDescription, testImportance } from '../../suite/display.js';
import { HTML_DESCRIPTION_MAX, HTML_LABEL_MAX, HTML_MAX_TESTS, markdownBold } from './common.js';
import { capLabel } from '../../printable.js';

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
    column: capLabel(test.column ?? (test.label === null ? '' : `class ${test.label}`), HTML_LABEL_MAX),
    description: markdownBold(capLabel(readableDescription(test, drift), HTML_DESCRIPTION_MAX)),
  };
}

/**
 * Tests that did not pass, grouped by test type with counts, most important type first (the dataset's
 * drift verdict before 28 out-of-range rows); passed tests in one collapsed list. A reader opens the
 * suite to see what broke.
 */
export function suiteView(t: TestSuite, drift: ColumnDrift[]) {
  // On wide data only as many as the page can carry, those that did not pass first: report.json has every test.
  const listed = [...t.tests.filter((x) => x.status !== 'SUCCESS'), ...t.tests.filter((x) => x.status === 'SUCCESS')].slice(0, HTML_MAX_TESTS);
  const types = new Map<string, Test[]>();
  for (const test of listed) if (test.status !== 'SUCCESS') types.set(test.name, [...(types.get(test.name) ?? []), test]);
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
  const passed = listed.filter((x) => x.status === 'SUCCESS').map((x) => ({ name: x.name, ...testRow(x, drift) }));
  return {
    groups,
    passed,
    passedCount: formatCount(passed.length),
    omitted: t.tests.length - listed.length,
    total: t.summary.total_tests,
    failed: t.summary.failed_tests,
    presets: t.presets.join(', '),
  };
}
