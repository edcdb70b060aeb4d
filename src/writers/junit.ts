import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { scoreFromJson, type Report } from '../report/model.js';
import { formatNumber, formatPercent, formatRule, formatScore } from '../report/format.js';
import { windowLabel } from '../windows/view.js';
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

/** A case's outcome: how JUnit readers show it (only failure and error turn a report red). */
type Outcome = { kind: 'pass' } | { kind: 'failure' | 'error' | 'skipped'; type: string; message: string; body?: string } | { kind: 'note'; body: string };

function caseXml(classname: string, name: string, outcome: Outcome): string {
  const open = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}" time="0"`;
  if (outcome.kind === 'pass') return `${open}/>`;
  const inner =
    outcome.kind === 'note'
      ? `<system-out>${xmlEscape(outcome.body)}</system-out>`
      : `<${outcome.kind} type="${xmlEscape(outcome.type)}" message="${xmlEscape(outcome.message)}">${xmlEscape(outcome.body ?? '')}</${outcome.kind}>`;
  return `${open}>\n      ${inner}\n    </testcase>`;
}

/**
 * One case per suite test. FAIL is a <failure>; ERROR (the test could not be evaluated) an <error>;
 * WARNING (failed, but configured `critical: false`) passes with the reason in <system-out>, so a
 * non-critical check neither breaks the build nor disappears.
 */
function testCase(t: Test): string {
  const message = plain(t.description);
  const outcome: Outcome =
    t.status === 'SUCCESS'
      ? { kind: 'pass' }
      : t.status === 'WARNING'
        ? { kind: 'note', body: `WARNING (not critical): ${detail(t)}` }
        : { kind: t.status === 'FAIL' ? 'failure' : 'error', type: t.status, message, body: detail(t) };
  return caseXml(t.group, caseName(t), outcome);
}

/** Drifted columns and failed tests listed in a window's failure; the rest are counted. */
const LISTED_PER_WINDOW = 30;

const listed = (lines: string[]) =>
  lines.length > LISTED_PER_WINDOW ? [...lines.slice(0, LISTED_PER_WINDOW), `…and ${lines.length - LISTED_PER_WINDOW} more`] : lines;

/**
 * Per window, two cases in a "windows" suite: "window <start> dataset drift" fails when the window drifted,
 * and "window <start> tests" fails (or errs) when a critical test failed (or could not run) on the window's
 * rows. A window that was not judged (too few rows, none) is <skipped> with the reason. The suite's
 * properties say which window --fail-on judges, so a reader can tell the gated verdict from the history.
 */
function windowsSuite(report: Report, timestamp: string): { xml: string; cases: Outcome[] } | null {
  const { windows, windowing } = report;
  if (!windows?.length || !windowing) return null;
  const cases: [string, Outcome][] = [];
  for (const w of windows) {
    const label = `window ${windowLabel(w, windowing)}`;
    if (!w.judged || !w.drift) {
      const skipped: Outcome = { kind: 'skipped', type: 'not judged', message: w.not_judged_reason ?? 'not judged' };
      cases.push([`${label} dataset drift`, skipped]);
      if (w.tests) cases.push([`${label} tests`, skipped]);
      continue;
    }
    const d = w.drift;
    const drifted = d.columns.filter((c) => c.drift_detected);
    const share = `${d.number_of_drifted_columns} of ${d.number_of_columns} columns drifted (${formatPercent(d.share_of_drifted_columns)}; dataset drift at ${formatPercent(d.drift_share)})`;
    const columns = listed(drifted.map((c) => `${c.column}: ${c.stattest} ${formatScore(c)}, drift if ${formatRule(c)}`));
    const body = [`${w.start ?? ''} .. ${w.end ?? ''}, ${w.rows} rows`, ...columns].join('\n');
    cases.push([
      `${label} dataset drift`,
      d.dataset_drift ? { kind: 'failure', type: 'DRIFT', message: share, body } : { kind: 'note', body: `${share}\n${body}` },
    ]);
    if (!w.tests) continue;
    const failed = w.tests.failed.filter((t) => t.status === 'FAIL' || t.critical);
    const errors = failed.filter((t) => t.status === 'ERROR').length;
    const message = [`${failed.length - errors} of ${w.tests.total_tests} tests failed`, errors ? `${errors} critical tests could not run` : '']
      .filter(Boolean)
      .join('; ');
    const list = listed(failed.map((t) => `${t.status} ${t.id}${t.column === null ? '' : ` [${t.column}]`}`)).join('\n');
    const kind = failed.some((t) => t.status === 'FAIL') ? 'failure' : failed.length ? 'error' : null;
    cases.push([`${label} tests`, kind ? { kind, type: kind === 'failure' ? 'FAIL' : 'ERROR', message, body: list } : { kind: 'pass' }]);
  }
  const count = (kind: Outcome['kind']) => cases.filter(([, o]) => o.kind === kind).length;
  const gated = windowing.gate === 'latest' ? windowing.latest_complete : null;
  const properties = [
    ['window', windowing.window],
    ['timestamp', windowing.timestamp ?? ''],
    ['gate_window', windowing.gate],
    [
      'gated',
      gated === null
        ? windowing.gate === 'latest'
          ? 'the whole report (no complete judged window)'
          : `every judged window (${windowing.gate})`
        : `window ${windowLabel(windows[gated], windowing)}`,
    ],
  ];
  const xml = [
    `  <testsuite name="windows" tests="${cases.length}" failures="${count('failure')}" errors="${count('error')}" skipped="${count('skipped')}" time="0" timestamp="${xmlEscape(timestamp)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlEscape(value)}"/>`),
    '    </properties>',
    ...cases.map(([name, outcome]) => caseXml('windows', name, outcome)),
    '  </testsuite>',
  ].join('\n');
  return { xml, cases: cases.map(([, o]) => o) };
}

/**
 * The test suite as JUnit XML: one <testsuite> per test group (data_drift, data_quality, …), in report order,
 * then, for a windowed run, the "windows" suite.
 */
export function renderJunit(report: Report): string {
  const tests = report.tests?.tests ?? [];
  const groups = new Map<string, Test[]>();
  for (const t of tests) groups.set(t.group, [...(groups.get(t.group) ?? []), t]);
  const count = (ts: Test[], status: Test['status']) => ts.filter((t) => t.status === status).length;
  const counts = (ts: Test[]) => `tests="${ts.length}" failures="${count(ts, 'FAIL')}" errors="${count(ts, 'ERROR')}" skipped="0"`;
  const time = report.run.timings.total_s;
  const timestamp = report.run.finished_at.replace(/Z$/, '');
  const suites = [...groups].map(([group, ts]) =>
    [`  <testsuite name="${xmlEscape(group)}" ${counts(ts)} time="0" timestamp="${xmlEscape(timestamp)}">`, ...ts.map(testCase), '  </testsuite>'].join('\n'),
  );
  const windows = windowsSuite(report, timestamp);
  const windowCount = (kind: Outcome['kind']) => windows?.cases.filter((o) => o.kind === kind).length ?? 0;
  const totals = `tests="${tests.length + (windows?.cases.length ?? 0)}" failures="${count(tests, 'FAIL') + windowCount('failure')}" errors="${count(tests, 'ERROR') + windowCount('error')}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="mlobs ${xmlEscape(report.tests?.presets.join(', ') ?? '')}" ${totals} time="${time}">`,
    ...suites,
    ...(windows ? [windows.xml] : []),
    '</testsuites>',
    '',
  ].join('\n');
}

export async function writeJunit(report: Report, dir: string): Promise<string> {
  const path = join(dir, JUNIT_FILE);
  await writeFileAtomic(path, renderJunit(report));
  return path;
}
