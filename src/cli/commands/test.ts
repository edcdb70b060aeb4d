import type { Command } from 'commander';
import type { ExitCode } from '../../errors.js';
import { paint, stripEmphasis } from '../../report/format.js';
import type { Report } from '../../report/model.js';
import type { CliIo } from '../../console.js';
import { statusSummaryLine, type SummaryStyle } from '../summary.js';
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
    `reference: ${report.inputs.reference.path} (${report.inputs.reference.rows} rows)  current: ${report.inputs.current.path} (${report.inputs.current.rows} rows)`,
  ];
  const order = ['FAIL', 'ERROR', 'WARNING'];
  const shown = suite.tests.filter((t) => t.status !== 'SUCCESS').sort((a, b) => order.indexOf(a.status) - order.indexOf(b.status));
  if (shown.length) out.push('');
  for (const t of shown) {
    const about = t.column ?? (t.label !== null ? String(t.label) : null);
    out.push(`${paint(style.color, COLORS[t.status], t.status.padEnd(7))} ${t.name}${about === null ? '' : ` [${about}]`}: ${stripEmphasis(t.description)}`);
  }
  return out.join('\n');
}

export function registerTest(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  registerReportCommand(program, io, setExit, {
    name: 'test',
    description: 'run the test suites on a current CSV against a reference CSV, write the report and exit 1 when a critical test fails',
    summary: formatTestSummary,
  });
}
