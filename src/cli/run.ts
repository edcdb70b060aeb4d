import { Command, CommanderError } from 'commander';
import { ExitCode } from '../errors.js';
import { printable, PRINTED_MESSAGE_MAX } from '../printable.js';
import { VERSION } from '../version.js';
import { registerRender } from './commands/render.js';
import { registerNotify } from './commands/notify.js';
import { registerReport } from './commands/report.js';
import { registerSchedule } from './commands/schedule.js';
import { registerTest } from './commands/test.js';
import { printError, processIo, type CliIo } from '../console.js';

const EXIT_CODES_HELP = `
Exit codes:
  0   done (no gate tripped)
  1   a --fail-on gate tripped (dataset drift with --fail-on drift; a critical test failed with --fail-on tests, the default of mlobs test)
  2   usage, config or input error (bad flag, unreadable or malformed CSV or Parquet, unknown column or stat test,
      Slack credentials that can never work: invalid, revoked or malformed token, removed webhook)
  3   the report could not be written (output directory missing permissions, disk full)
  4   the report was written but the Slack notification failed (unknown channel, missing scope, Slack unreachable)
  5   the data source could not be queried (database unreachable, credentials refused, SQL rejected by the engine)
  70  internal error (a bug in mlobs: please report it with the --debug output)
With several monitors the highest of their codes.`;

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code; never calls process.exit. */
export async function run(argv: string[], io: CliIo = processIo): Promise<ExitCode> {
  let exit: ExitCode = ExitCode.ok;
  const debug = argv.includes('--debug');
  // Commander's own errors (unknown option, missing argument) read like ours: one line, `mlobs: error: ...`.
  const output = {
    writeOut: io.stdout,
    writeErr: io.stderr,
    outputError: (text: string, write: (s: string) => void) => write(`mlobs: ${printable(text.trim().replace(/\s*\n\s*/g, ' '), PRINTED_MESSAGE_MAX)} (see --help)\n`),
  };
  const program = new Command('mlobs')
    .description('Batch ML drift monitoring: Evidently-compatible drift reports from two CSV or Parquet inputs')
    .version(VERSION, '-V, --version')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput(output);
  registerReport(program, io, (code) => { exit = code; });
  registerTest(program, io, (code) => { exit = code; });
  registerRender(program, io, (code) => { exit = code; });
  registerNotify(program, io, (code) => { exit = code; });
  registerSchedule(program, io, (code) => { exit = code; }, argv, (args, runIo) => run(['report', ...args], runIo));
  program.commands.forEach((c) => c.exitOverride().configureOutput(output).addHelpText('after', EXIT_CODES_HELP));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message; help and version are successful exits.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    return printError(e, io, debug);
  }
}
