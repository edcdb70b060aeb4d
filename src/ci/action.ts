/**
 * The GitHub Action's entry point (action.yml runs bin/mlobs-action.js): `mlobs report` in this process, then
 * the job summary, the outputs and one annotation per failed critical test, all from the report model.
 * Nothing here reads the network; the exit code is the report's, so the `fail-on` gate still fails the step.
 */
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { run } from '../cli/run.js';
import type { CliIo } from '../console.js';
import { ExitCode } from '../errors.js';
import type { Report, StatusCode } from '../report/model.js';
import { STATUS_CODES, STATUS_LOOK } from '../report/status.js';
import { caseName } from '../writers/junit.js';
import { renderMarkdown } from '../writers/markdown.js';

/** A workflow command's message: `%`, CR and LF escaped, so a value can never end the line and start a command. */
export const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A workflow command's property value: as data, and `:` and `,`, which end a property. */
export const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

/** The action's inputs (action.yml), each passed to the step as INPUT_<NAME> with `-` as `_`, and the flag it sets. */
export const ACTION_INPUTS: Record<string, string> = {
  reference: '--reference',
  current: '--current',
  config: '--config',
  monitor: '--monitor',
  'fail-on': '--fail-on',
  formats: '--format',
  'slack-channel': '--slack-channel',
  out: '--out',
};

export const inputEnv = (name: string) => `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;

/** The `mlobs report` arguments for the inputs that are set. */
export function reportArgs(env: NodeJS.ProcessEnv): string[] {
  const args = ['report'];
  for (const [name, flag] of Object.entries(ACTION_INPUTS)) {
    const value = env[inputEnv(name)]?.trim();
    if (value) args.push(flag, value);
  }
  return args;
}

interface Run {
  monitor: string;
  dir: string;
  report: Report;
}

/** `::error title=…::…` for every critical test that failed or could not run. */
export function annotations(runs: Run[]): string[] {
  return runs.flatMap(({ monitor, report }) =>
    (report.tests?.tests ?? [])
      .filter((t) => t.status === 'FAIL' || (t.status === 'ERROR' && t.critical))
      .map((t) => {
        const title = `mlobs ${monitor}: ${t.status === 'ERROR' ? 'could not run' : 'failed'}: ${caseName(t)}`;
        return `::error title=${escapeProperty(title)}::${escapeData(t.description.replace(/\*\*/g, ''))}\n`;
      }),
  );
}

/** Name-value lines for $GITHUB_OUTPUT; a value goes in a heredoc with a random delimiter, as paths can hold anything. */
export function outputLines(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      const end = `mlobs_${randomUUID()}`;
      return `${name}<<${end}\n${value}\n${end}\n`;
    })
    .join('');
}

function outputs(runs: Run[], code: ExitCode, out: string | undefined): Record<string, string> {
  const worst = runs.reduce<StatusCode>((w, r) => (STATUS_CODES.indexOf(r.report.status.code) > STATUS_CODES.indexOf(w) ? r.report.status.code : w), 'ok');
  const status: StatusCode = code > ExitCode.gateFailed || runs.length === 0 ? 'error' : worst;
  const share = Math.max(0, ...runs.map((r) => r.report.drift.share_of_drifted_columns));
  const failed = runs.reduce((n, r) => n + r.report.status.failed_tests, 0);
  // Several monitors write into subdirectories of one directory: that directory is the report directory.
  const dir = out ?? (runs.length === 1 ? runs[0].dir : runs.length ? dirname(runs[0].dir) : '');
  return { status, 'dataset-drift-share': String(share), 'failed-tests': String(failed), 'report-dir': dir, 'exit-code': String(code) };
}

/** Runs the action with the environment Actions sets; resolves to mlobs's exit code. */
export async function runAction(env: NodeJS.ProcessEnv, io: CliIo): Promise<ExitCode> {
  const runs: Run[] = [];
  // mlobs prints data values (column names, test descriptions) at line starts; with workflow commands
  // stopped, none of them can be read as a command, whatever the data holds.
  const resume = `mlobs-${randomUUID()}`;
  io.stdout(`::stop-commands::${resume}\n`);
  let code: ExitCode;
  try {
    code = await run(reportArgs(env), { ...io, color: false, reported: (r) => runs.push(r) });
  } finally {
    io.stdout(`::${resume}::\n`);
  }
  for (const line of annotations(runs)) io.stdout(line);
  const formats = (env[inputEnv('formats')]?.trim() || 'json').split(',').map((f) => f.trim());
  if (env.GITHUB_STEP_SUMMARY) {
    const summaries = runs.map((r) => renderMarkdown(r.report, { dir: r.dir, formats, monitor: r.monitor }));
    if (!summaries.length) summaries.push(`## ${STATUS_LOOK.error.icon} ${STATUS_LOOK.error.word}: mlobs wrote no report (exit code ${code}); see the step log\n`);
    await appendFile(env.GITHUB_STEP_SUMMARY, summaries.join('\n'));
  }
  if (env.GITHUB_OUTPUT) await appendFile(env.GITHUB_OUTPUT, outputLines(outputs(runs, code, env[inputEnv('out')]?.trim() || undefined)));
  return code;
}
