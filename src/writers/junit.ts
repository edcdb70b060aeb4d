import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { scoreFromJson, type Report } from '../report/model.js';
import { formatNumber } from '../report/format.js';
import { xmlEscape } from './xml.js';

export const JUNIT_FILE = 'junit.xml';

type Test = NonNullable<Report['tests']>['tests'][number];

const plain = (d: string) => d.replace(/\*\*/g, '');

/** "Drift per Column [Climb (m)]": unique within its group, as report readers key cases by classname + name. */
export function caseName(t: Test): string {
  const about = t.column ?? (t.label === null ? null : String(t.label));
  return about === null ? t.name : `${t.name} [${about}]`;
}

function detail(t: Test): string {
  const value = t.value === null ? 'none' : formatNumber(scoreFromJson(t.value));
  const condition = t.condition ? JSON.stringify(t.condition) : 'its own rule';
  return `${plain(t.description)}\nvalue: ${value}\ncondition: ${condition}\ntest id: ${t.id}`;
}

/**
 * One case per suite test. FAIL is a <failure>; ERROR (the test could not be evaluated) an <error>;
 * WARNING (failed, but configured `critical: false`) passes with the reason in <system-out>, so a
 * non-critical check neither breaks the build nor disappears.
 */
function testCase(t: Test): string {
  const open = `    <testcase classname="${xmlEscape(t.group)}" name="${xmlEscape(caseName(t))}" time="0"`;
  const message = xmlEscape(plain(t.description));
  switch (t.status) {
    case 'SUCCESS':
      return `${open}/>`;
    case 'FAIL':
      return `${open}>\n      <failure type="FAIL" message="${message}">${xmlEscape(detail(t))}</failure>\n    </testcase>`;
    case 'ERROR':
      return `${open}>\n      <error type="ERROR" message="${message}">${xmlEscape(detail(t))}</error>\n    </testcase>`;
    case 'WARNING':
      return `${open}>\n      <system-out>${xmlEscape(`WARNING (not critical): ${detail(t)}`)}</system-out>\n    </testcase>`;
  }
}

/** The test suite as JUnit XML: one <testsuite> per test group (data_drift, data_quality, …), in report order. */
export function renderJunit(report: Report): string {
  const tests = report.tests?.tests ?? [];
  const groups = new Map<string, Test[]>();
  for (const t of tests) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  const count = (ts: Test[], status: Test['status']) => ts.filter((t) => t.status === status).length;
  const counts = (ts: Test[]) => `tests="${ts.length}" failures="${count(ts, 'FAIL')}" errors="${count(ts, 'ERROR')}" skipped="0"`;
  const time = report.run.timings.total_s;
  const suites = [...groups].map(([group, ts]) =>
    [
      `  <testsuite name="${xmlEscape(group)}" ${counts(ts)} time="0" timestamp="${xmlEscape(report.run.finished_at.replace(/Z$/, ''))}">`,
      ...ts.map(testCase),
      '  </testsuite>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlobs ${xmlEscape(report.tests?.presets.join(', ') ?? '')}" ${counts(tests).replace(/ skipped="0"/, '')} time="${time}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

export async function writeJunit(report: Report, dir: string): Promise<string> {
  const path = join(dir, JUNIT_FILE);
  await writeFileAtomic(path, renderJunit(report));
  return path;
}
