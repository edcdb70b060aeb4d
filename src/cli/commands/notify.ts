import { readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MONITOR } from '../../config/monitors.js';
import { NotifyConfig } from '../../config/schema.js';
import { ExitCode, UsageError } from '../../errors.js';
import { historyFor, prepareNotifier, readReportFile } from '../../notify/index.js';
import type { CliIo } from '../io.js';
import { NOTIFY_COMMAND_OPTIONS, NOTIFY_OPTIONS, addOptions, attributeName, longFlag } from '../options.js';

export function registerNotify(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('notify')
    .argument('<report>', 'a report.json written by mlobs report')
    .description('post the Slack summary of a saved report.json (again); HTML and PNG files beside it are what --slack-upload sends');
  addOptions(cmd, NOTIFY_COMMAND_OPTIONS);
  cmd.action(async (file: string, flags: Record<string, unknown>) => {
    const settings: Record<string, unknown> = { when: 'always' };
    for (const spec of NOTIFY_OPTIONS) {
      const value = flags[attributeName(spec.flags)];
      if (spec.config && value !== undefined) settings[spec.config.replace(/^notify\./, '')] = value;
    }
    const parsed = NotifyConfig.safeParse(settings);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const spec = NOTIFY_OPTIONS.find((s) => s.config === `notify.${String(issue.path[0])}`);
      throw new UsageError(`${spec ? longFlag(spec.flags) : String(issue.path[0])}: ${issue.message}`);
    }
    const report = await readReportFile(file);
    const dir = dirname(file);
    const notifier = await prepareNotifier(parsed.data, {
      io,
      env: process.env,
      quiet: !!flags.quiet,
      debug: !!flags.debug,
      previous: flags.previous as string | undefined,
      history: { ...historyFor(dir, dir), exclude: file },
    });
    const files = (await readdir(dir)).map((f) => join(dir, f));
    await notifier?.send(report, { monitor: (flags.monitor as string | undefined) ?? DEFAULT_MONITOR, dir, files });
    setExit(ExitCode.ok);
  });
}
