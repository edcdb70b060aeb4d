import { ExitCode, MlobsError } from './errors.js';
import { printable, printableOutput, PRINTED_MESSAGE_MAX } from './printable.js';
import type { Clock } from './clock.js';
import type { Report } from './report/model.js';

/** Where the CLI writes; injectable so tests can run `run(argv)` in-process and capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour when FORCE_COLOR asks for it (CI logs render it), else only on a terminal with NO_COLOR unset. */
  color: boolean;
  /** Columns the summary may use: COLUMNS when set (also piped), else the terminal's width; unlimited when neither. */
  width?: number;
  /** Told of each monitor's report once it is written (the schedule log records its status, the GitHub Action more). */
  reported?(run: { monitor: string; dir: string; report: Report }): void;
  /** Time and timers for the waits between Slack retries; the real clock when absent. */
  clock?: Clock;
}

/** The summary's colour and width for an environment and an output stream (see CliIo). */
export function terminalStyle(env: NodeJS.ProcessEnv, out: { isTTY?: boolean; columns?: number }): { color: boolean; width?: number } {
  const forced = env.FORCE_COLOR;
  return {
    color: forced !== undefined && forced !== '' ? forced !== '0' && forced !== 'false' : !!out.isTTY && !env.NO_COLOR,
    width: Number(env.COLUMNS) || out.columns || undefined,
  };
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(printableOutput(t)),
  stderr: (t) => process.stderr.write(printableOutput(t)),
  ...terminalStyle(process.env, process.stdout),
};

/** Prints a failure as one line (the stack too with --debug) and returns its exit code; `context` prefixes the message. */
export function printError(e: unknown, io: CliIo, debug: boolean, context = ''): ExitCode {
  if (e instanceof MlobsError) {
    io.stderr(`mlobs: error: ${printable(context + e.message, PRINTED_MESSAGE_MAX)}\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr(
    `mlobs: internal error: ${printable(context + (err?.message ?? String(e)), PRINTED_MESSAGE_MAX)}${debug ? '' : ' (run with --debug for details)'}\n`,
  );
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  return ExitCode.internal;
}
