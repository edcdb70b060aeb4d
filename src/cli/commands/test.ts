import type { Command } from 'commander';
import type { ExitCode } from '../../errors.js';
import { paint, stripEmphasis } from '../../report/format.js';
import type { Report } from '../../report/model.js';
import type { CliIo } from '../../console.js';
import { printable, PRINTED_MESSAGE_MAX } from '../../printable.js';
import { fit, inputLines, statusSummaryLine, type SummaryStyle } from '../summary.js';
import { readableDescription, testImportance } from '../../suite/display.js';
import { registerReportCommand } from './report.js';

const COLORS: Record<string, string> = { FAIL: '31', ERROR: '35', WARNING: '33' };

/** The terminal view of a test run: the verdict, then every test that did not pass, worst first. */
export function formatTestSummary(report: Report, style: SummaryStyle): string {
  const suite = report.tests!;
  const s = suite.summary;
  const count = (status: string) => s.by_status[status] ?? 0;
  const failing = report.status.failed_tests + report.status.test_errors;
  const verdict = failing ? paint(style.color, '1;31', 'Tests: FAILED') : paint(style.color, '1;32', 'Tests: passed');
  const parts = [`${count('SUCCESS')} passed`, `${count('FAIL')} failed`, `${count('WARNING')} warnings`, `${count('ERROR')} errors`];
  const out = [
    statusSummaryLine(report, style),
    `${verdict}: ${parts.join(', ')} of ${s.total_tests} (${suite.presets.join(', ')})`,
    ...inputLines(report, style.width),
  ];
  const order = ['FAIL', 'ERROR', 'WARNING'];
  const shown = suite.tests.filter((t) => t.status !== 'SUCCESS').sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status) || testImportance(a) - testImportance(b));
  if (shown.length) out.push('');
  for (const t of shown) {
    const about = t.column ?? (t.label !== null ? String(t.label) : null);
    out.push(`${paint(style.color, COLORS[t.status], t.status.padEnd(7))} ${t.name}${about === null ? '' : ` [${printable(about)}]`}: ${printable(stripEmphasis(readableDescription(t, report.drift.columns)), PRINTED_MESSAGE_MAX)}`);
  }
  return out.flatMap((l) => l.split('\n')).map((l) => fit(l, style.width)).join('\n');
}

export function registerTest(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  registerReportCommand(program, io, setExit, {
    name: 'test',
    description: 'run the test suites on current data against reference data (CSV or Parquet), write the report and exit 1 when a critical test fails',
    summary: formatTestSummary,
  });
}
