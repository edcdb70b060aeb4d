import { ExitCode, MlobsError } from './errors.js';
import type { Report } from './report/model.js';

/** Where the CLI writes; injectable so tests can run `run(argv)` in-process and capture output. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Colour only when writing to a terminal and NO_COLOR is unset. */
  color: boolean;
  /** Told of each monitor's report once it is written (the schedule log records its status, the GitHub Action more). */
  reported?(run: { monitor: string; dir: string; report: Report }): void;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  color: !!process.stdout.isTTY && !process.env.NO_COLOR,
};

/** Prints a failure as one line (the stack too with --debug) and returns its exit code; `context` prefixes the message. */
export function printError(e: unknown, io: CliIo, debug: boolean, context = ''): ExitCode {
  if (e instanceof MlobsError) {
    io.stderr(`mlobs: error: ${context}${e.message}\n`);
    if (debug && e.stack) io.stderr(`${e.stack}\n`);
    return e.exitCode;
  }
  const err = e as Error;
  io.stderr(`mlobs: internal error: ${context}${err?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}\n`);
  if (debug && err?.stack) io.stderr(`${err.stack}\n`);
  return ExitCode.internal;
}
