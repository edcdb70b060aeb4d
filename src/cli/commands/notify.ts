import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MONITOR } from '../../config/monitors.js';
import { ExitCode } from '../../errors.js';
import { historyFor, prepareNotifier, type NotifySettings } from '../../notify/index.js';
import { readReportFile } from '../../report/read.js';
import type { CliIo } from '../../console.js';
import { addOptions, resolveFlags } from '../../settings/index.js';

export function registerNotify(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('notify')
    .argument('<report>', 'a report.json written by mlobs report')
    .description('post the Slack summary of a saved report.json (again); HTML and PNG files beside it are what --slack-upload sends');
  addOptions(cmd, 'notify');
  cmd.action(async (file: string, flags: Record<string, unknown>) => {
    const { config } = resolveFlags('notify', flags, (name) => cmd.getOptionValueSource(name) === 'cli');
    const settings = config.notify as NotifySettings;
    const report = await readReportFile(file);
    const dir = dirname(file);
    const notifier = await prepareNotifier(settings, {
      io,
      env: process.env,
      quiet: !!flags.quiet,
      debug: !!flags.debug,
      previous: flags.previous as string | undefined,
      history: { ...historyFor(dir, dir), exclude: file },
    });
    const files = (await readdir(dir)).map((f) => join(dir, f));
    await notifier?.send(report, { monitor: (config.monitor as string | undefined) ?? DEFAULT_MONITOR, dir, files });
    setExit(ExitCode.ok);
  });
}
