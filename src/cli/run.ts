import { Command, CommanderError } from 'commander';
import { ExitCode, MlobsError } from '../errors.js';
import { VERSION } from '../version.js';
import { registerReport } from './commands/report.js';
import { processIo, type CliIo } from './io.js';

const EXIT_CODES_HELP = `
Exit codes:
  0   done (no gate tripped)
  1   a --fail-on gate tripped (e.g. dataset drift detected with --fail-on drift)
  2   usage, config or input error (bad flag, unreadable or malformed CSV, unknown column or stat test)
  3   the report could not be written (output directory missing permissions, disk full)
  70  internal error (a bug in mlobs: please report it with the --debug output)`;

/** Runs the CLI on `argv` (without node and script) and resolves to the exit code; never calls process.exit. */
export async function run(argv: string[], io: CliIo = processIo): Promise<ExitCode> {
  let exit: ExitCode = ExitCode.ok;
  const debug = argv.includes('--debug');
  const program = new Command('mlobs')
    .description('Batch ML drift monitoring: Evidently-compatible drift reports from two CSV files')
    .version(VERSION, '-V, --version')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run with --help for usage)');
  registerReport(program, io, (code) => { exit = code; });
  program.commands.forEach((c) => c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).addHelpText('after', EXIT_CODES_HELP));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander already printed its message; help and version are successful exits.
      return e.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    }
    if (e instanceof MlobsError) {
      io.stderr(`mlobs: error: ${e.message}\n`);
      if (debug && e.stack) io.stderr(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e as Error;
    io.stderr(`mlobs: internal error: ${err?.message ?? String(e)}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err?.stack) io.stderr(`${err.stack}\n`);
    return ExitCode.internal;
  }
}
