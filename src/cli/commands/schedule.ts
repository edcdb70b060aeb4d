import { Worker } from 'node:worker_threads';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../../errors.js';
import type { StatusCode } from '../../report/model.js';
import { STATUS_CODES } from '../../report/status.js';
import { parseCron } from '../../schedule/cron.js';
import { runSchedule, type RunLog } from '../../schedule/loop.js';
import type { CliIo } from '../../console.js';
import { printable, printableJson, PRINTED_MESSAGE_MAX } from '../../printable.js';
import { addOptions, defaultOf, flagsFor, longFlag } from '../../settings/index.js';
import { workerScript } from '../../workers.js';
import { planRuns, resolveReportOptions } from './report.js';

/** Runs `mlobs report` with these arguments in this process; injected so this module need not import the CLI. */
export type ReportRunner = (args: string[], io: CliIo) => Promise<ExitCode>;

const LOG_FORMATS = ['text', 'json'] as const;
type LogFormat = (typeof LOG_FORMATS)[number];

/** Everything after `schedule` but the schedule's own options: the report's arguments, exactly as typed. */
function reportArgs(raw: string[]): string[] {
  const report = new Set(flagsFor('report').map((s) => longFlag(s.flags)));
  const own = flagsFor('schedule').map((s) => longFlag(s.flags)).filter((f) => !report.has(f));
  const args = raw.slice(raw.indexOf('schedule') + 1);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (own.includes(args[i])) i++;
    else if (!own.some((f) => args[i].startsWith(`${f}=`))) out.push(args[i]);
  }
  return out;
}

/** Runs the report in a worker thread when there is a compiled worker script, else in this thread. */
function runInWorker(script: URL, args: string[]): Promise<{ code: ExitCode; stderr: string; statuses: StatusCode[] }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { args } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the run's thread ended with code ${code} and no result`)));
  });
}

function formatLine(format: LogFormat, entry: Record<string, unknown>): string {
  if (format === 'json') return `${printableJson(entry)}\n`;
  const { time, event, ...rest } = entry;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? printableJson(v) : printable(String(v), PRINTED_MESSAGE_MAX)}`);
  return `${[time, event, ...fields].join(' ')}\n`;
}

/** `argv` is the whole command line (from `schedule` on, the report's arguments are passed through untouched). */
export function registerSchedule(program: Command, io: CliIo, setExit: (code: ExitCode) => void, argv: string[], runReport: ReportRunner): void {
  const cmd = program
    .command('schedule')
    .description('run the report (every monitor of the config) on a cron schedule in one long-lived process; SIGTERM or SIGINT stop it after the current run');
  addOptions(cmd, 'schedule');
  cmd.action(async (flags: Record<string, unknown>) => {
    if (typeof flags.cron !== 'string') throw new UsageError('missing --cron "<expression>", e.g. --cron "*/15 * * * *"');
    const cron = parseCron(flags.cron);
    const format = (flags.logFormat ?? defaultOf('schedule', '--log-format')) as LogFormat;
    if (!LOG_FORMATS.includes(format)) throw new UsageError(`--log-format must be one of ${LOG_FORMATS.join(', ')}, got "${format}"`);
    const args = reportArgs(argv);
    // What cannot change between runs (flag values, config keys, monitor names) is checked once, now: a
    // schedule that could only ever fail should not start.
    const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
    for (const run of (await planRuns('report', flags, given)).runs) resolveReportOptions(run, flags);
    const script = workerScript(import.meta.url, '../../schedule/worker.js');
    const log = (entry: Record<string, unknown>) => io.stdout(formatLine(format, entry));
    const stop = new AbortController();
    const release = () => process.off('SIGTERM', onSignal).off('SIGINT', onSignal);
    // The first signal lets the current run finish; with the handlers gone, a second one ends the process.
    function onSignal(signal: NodeJS.Signals) {
      release();
      log({ time: new Date().toISOString(), event: 'stop', signal });
      stop.abort();
    }
    process.on('SIGTERM', onSignal).on('SIGINT', onSignal);
    try {
      log({ time: new Date().toISOString(), event: 'start', cron: flags.cron, next: cron.next(new Date()).toISOString() });
      await runSchedule({
        cron,
        stop: stop.signal,
        log: (entry: RunLog) => log({ ...entry }),
        runOnce: async () => {
          // The run's own output would bury the one line per run; what it says on stderr goes into that line.
          let stderr = '';
          // Several monitors: the worst status; a monitor that wrote no report makes the run an error.
          let statuses: StatusCode[] = [];
          let code: ExitCode;
          if (script) ({ code, stderr, statuses } = await runInWorker(script, args));
          else code = await runReport(args, { stdout: () => undefined, stderr: (t) => (stderr += t), color: false, reported: (r) => statuses.push(r.report.status.code) });
          if (code > ExitCode.gateFailed) statuses.push('error');
          const runStatus = statuses.reduce<StatusCode | undefined>((w, s) => (w && STATUS_CODES.indexOf(w) > STATUS_CODES.indexOf(s) ? w : s), undefined);
          const message = stderr.trim().split('\n').map((l) => l.replace(/^mlobs: /, '')).join(' | ');
          return { code, ...(runStatus ? { runStatus } : {}), ...(message ? { message } : {}) };
        },
      });
    } finally {
      release();
    }
    setExit(ExitCode.ok);
  });
}
