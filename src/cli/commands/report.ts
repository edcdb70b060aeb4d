import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { ConfigFile } from '../../config/schema.js';
import { loadConfig } from '../../config/load.js';
import { DEFAULT_MONITOR, selectMonitors } from '../../config/monitors.js';
import { DEFAULT_DRIFT_SHARE, type DriftOptions } from '../../drift/options.js';
import { findStatTest, STAT_TEST_IDS } from '../../drift/registry.js';
import { ConfigError, ExitCode, NotifyError, OutputError, UsageError } from '../../errors.js';
import { ensureDir } from '../../io/atomic.js';
import { DEFAULT_NA_VALUES } from '../../io/csv/index.js';
import { historyFor, prepareNotifier } from '../../notify/index.js';
import type { Report } from '../../report/model.js';
import { runReport, type ReportOptions } from '../../report/run.js';
import { gateTripped, modelOptions, suiteOptions, type FailOn } from '../../suite/config.js';
import type { ColumnRoles } from '../../data/roles.js';
import { DEFAULT_MIN_WINDOW_ROWS, type WindowOptions } from '../../windows/index.js';
import { parseRange, parseWindowSpec } from '../../windows/spec.js';
import { FORMATS, WRITERS } from '../../writers/index.js';
import { DEFAULT_PROM_MAX_COLUMNS } from '../../writers/prom/metrics.js';
import { writeFailedRunTextfile, writeTextfile } from '../../writers/prom/textfile.js';
import { formatSummary, type SummaryStyle } from '../summary.js';
import { REPORT_OPTIONS, addOptions, mergeFlags } from '../options.js';
import { printError, type CliIo } from '../io.js';

function flagFor(path: PropertyKey[]): string {
  const key = path.join('.');
  const spec = REPORT_OPTIONS.find((s) => s.config && (key === s.config || key.startsWith(`${s.config}.`)));
  return spec ? `${spec.flags.split(' ').find((f) => f.startsWith('--'))!.replace(/,$/, '')} (${key})` : key;
}

function checkStatTest(id: string | undefined, where: string): void {
  if (id !== undefined && !findStatTest(id)) {
    throw new UsageError(`unknown stat test "${id}" in ${where}; known tests: ${STAT_TEST_IDS.join(', ')}`);
  }
}

function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export interface ResolvedReport {
  report: ReportOptions;
  outDir: string;
  formats: string[];
  failOn: FailOn;
  promMaxColumns: number;
}

/** One monitor's run: its name and its config with the flags applied, valid as far as the schema goes. */
export interface PlannedRun {
  monitor: string;
  config: ConfigFile;
}

/**
 * Config file + flags → the runs to make: the file's `monitors:` (each over the top-level keys), or one run.
 * `several` says the runs come from `monitors:`, so each writes into its own subdirectory of the output directory.
 */
export async function planRuns(flags: Record<string, unknown>, given: (name: string) => boolean): Promise<{ runs: PlannedRun[]; several: boolean }> {
  const file = flags.config ? await loadConfig(flags.config as string) : {};
  const validate = (config: Record<string, unknown>): ConfigFile => {
    const merged = ConfigFile.safeParse(mergeFlags(config, flags, given));
    if (!merged.success) {
      const issue = merged.error.issues[0];
      throw new ConfigError(undefined, `${flagFor(issue.path)}: ${issue.message}`);
    }
    return merged.data;
  };
  if (!file.monitors) {
    const config = validate(file);
    return { runs: [{ monitor: config.monitor ?? DEFAULT_MONITOR, config }], several: false };
  }
  const only = given('monitor') ? (flags.monitor as string) : file.monitor;
  const runs = selectMonitors({ ...file, monitors: file.monitors }, only).map((m) => ({ monitor: m.name, config: validate(m.config) }));
  return { runs, several: true };
}

/** One run's config → validated options. Everything wrong with them is found here, before any data is read. */
export function resolveReportOptions(cfg: ConfigFile, flags: Record<string, unknown>, outDir: string, defaultFailOn: FailOn = 'never'): ResolvedReport {
  if (!cfg.current) throw new UsageError('missing --current <file> (or `current:` in the config file)');
  const windows = windowOptions(cfg);
  // A reference period is usually a period of the current log itself.
  const reference = cfg.reference ?? (windows?.referenceRange ? cfg.current : undefined);
  if (!reference) throw new UsageError('missing --reference <file> (or `reference:` in the config file, or --reference-range)');
  const drift = cfg.drift ?? {};
  checkStatTest(drift.stattest, '--stattest');
  checkStatTest(drift.num_stattest, '--num-stattest');
  checkStatTest(drift.cat_stattest, '--cat-stattest');
  for (const [col, id] of Object.entries(drift.per_column_stattest ?? {})) checkStatTest(id, `--per-column-stattest ${col}`);
  const formats = cfg.output?.format ?? ['json'];
  if (formats.length === 0) throw new UsageError(`no output format given; available: ${FORMATS.join(', ')}`);
  const target = cfg.columns?.target;
  if (target !== undefined && cfg.columns?.prediction?.includes(target)) {
    throw new UsageError(`column "${target}" cannot be both the target and a prediction`);
  }
  for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}"; available: ${FORMATS.join(', ')}`);
  if (formats.includes('openmetrics') && !(windows?.spec && windows.timestamp)) {
    throw new UsageError('--format openmetrics writes one point per window: it needs --window and --timestamp');
  }
  const driftOptions: DriftOptions = {
    stattest: drift.stattest,
    stattestThreshold: drift.stattest_threshold,
    numStattest: drift.num_stattest,
    catStattest: drift.cat_stattest,
    numStattestThreshold: drift.num_stattest_threshold,
    catStattestThreshold: drift.cat_stattest_threshold,
    perColumnStattest: drift.per_column_stattest ?? {},
    perColumnThreshold: drift.per_column_threshold ?? {},
    driftShare: drift.drift_share ?? DEFAULT_DRIFT_SHARE,
  };
  const na = [...(cfg.csv?.keep_default_na === false ? [''] : DEFAULT_NA_VALUES), ...(cfg.csv?.na_values ?? [])];
  return {
    report: {
      reference,
      current: cfg.current,
      roles: windowRoles(cfg.columns),
      windows,
      drift: driftOptions,
      csv: { delimiter: cfg.csv?.delimiter, naValues: [...new Set(na)] },
      parallel: flags.parallel !== false,
      model: modelOptions(cfg.model),
      suite: suiteOptions(cfg.tests),
    },
    outDir,
    formats,
    failOn: cfg.fail_on ?? defaultFailOn,
    promMaxColumns: cfg.prometheus?.max_columns ?? DEFAULT_PROM_MAX_COLUMNS,
  };
}

/** The windowing options, checked; undefined when the run has no timestamp, window or reference period. */
function windowOptions(cfg: ConfigFile): WindowOptions | undefined {
  const w = cfg.windows ?? {};
  const timestamp = cfg.columns?.timestamp;
  if (!w.size && (w.gate || w.min_rows !== undefined)) throw new UsageError(`${w.gate ? '--gate-window' : '--min-window-rows'} needs --window <size>`);
  if (!w.size && !w.reference_range && !timestamp) return undefined;
  if (w.reference_range && !timestamp) throw new UsageError('--reference-range needs --timestamp <column>');
  return {
    spec: w.size === undefined ? undefined : parseWindowSpec(w.size),
    timestamp,
    minRows: w.min_rows ?? DEFAULT_MIN_WINDOW_ROWS,
    referenceRange: w.reference_range === undefined ? undefined : parseRange(w.reference_range),
    gate: w.gate ?? 'latest',
  };
}

/** The timestamp column is a datetime column (not compared), unless the user gave it a role of their own. */
function windowRoles(columns: ConfigFile['columns']): ColumnRoles {
  const roles: ColumnRoles = { ...columns };
  const ts = columns?.timestamp;
  const declared = [roles.datetime, roles.id, roles.ignore, roles.numerical, roles.categorical, roles.prediction].some((l) => l?.includes(ts ?? ''));
  if (ts && !declared && roles.target !== ts) roles.datetime = [...(roles.datetime ?? []), ts];
  return roles;
}

async function checkWritable(dir: string): Promise<void> {
  await ensureDir(dir);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new OutputError(`output directory ${dir} is not writable`);
  }
}

/** What sets `mlobs test` apart from `mlobs report`: its terminal summary and its default exit gate. */
export interface ReportCommand {
  name: string;
  description: string;
  summary: (report: Report, style: SummaryStyle) => string;
  failOn: FailOn;
}

interface RunContext {
  command: ReportCommand;
  flags: Record<string, unknown>;
  io: CliIo;
  /** The output directory when the config names none: one timestamp for every monitor of the invocation. */
  defaultOutDir: string;
  several: boolean;
}

/**
 * Runs one monitor and returns its exit code. If it fails after its config is known, its textfile still
 * records the failed run (so the run-failing alert can fire) before the error goes up.
 */
async function runMonitor(run: PlannedRun, ctx: RunContext): Promise<ExitCode> {
  const { flags, io } = ctx;
  const started = performance.now();
  const textfileDir = run.config.prometheus?.textfile_dir;
  try {
    const dir = run.config.output?.dir ?? ctx.defaultOutDir;
    const resolved = resolveReportOptions(run.config, flags, ctx.several ? join(dir, run.monitor) : dir, ctx.command.failOn);
    await checkWritable(resolved.outDir);
    for (const format of resolved.formats) await WRITERS[format].preflight?.();
    const notifier = await prepareNotifier(run.config.notify ?? {}, {
      io,
      env: process.env,
      quiet: !!flags.quiet,
      debug: !!flags.debug,
      previous: flags.previous as string | undefined,
      history: historyFor(dir, resolved.outDir),
    });
    const report = { ...(await runReport(resolved.report)), ...(run.config.links && { links: run.config.links }) };
    const writeStart = performance.now();
    const prom = { monitor: run.monitor, maxColumns: resolved.promMaxColumns };
    const written: string[] = [];
    for (const format of resolved.formats) written.push(...(await WRITERS[format].write(report, resolved.outDir, { ...prom, formats: resolved.formats })));
    if (textfileDir) written.push(await writeTextfile(report, textfileDir, prom));
    if (flags.timings) {
      const write_s = (performance.now() - writeStart) / 1000;
      const peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
      io.stderr(`${JSON.stringify({ ...(ctx.several ? { monitor: run.monitor } : {}), ...report.run.timings, write_s, peak_rss_bytes })}\n`);
    }
    if (!flags.quiet) {
      const heading = ctx.several ? `Monitor ${run.monitor}\n` : '';
      io.stdout(`${heading}${ctx.command.summary(report, { color: io.color })}\n\nReport written to ${written.join(', ')}\n`);
    }
    io.reported?.({ monitor: run.monitor, dir: resolved.outDir, report });
    await notifier?.send(report, { monitor: run.monitor, dir: resolved.outDir, files: written });
    return gateTripped(resolved.failOn, report) ? ExitCode.gateFailed : ExitCode.ok;
  } catch (e) {
    // A failed Slack post comes after a complete run, whose textfile is already written.
    if (textfileDir && !(e instanceof NotifyError)) {
      const failed = { endedAt: new Date(), durationSeconds: Math.round(performance.now() - started) / 1000 };
      await writeFailedRunTextfile(textfileDir, run.monitor, failed).catch((w: Error) => io.stderr(`mlobs: warning: ${w.message}\n`));
    }
    throw e;
  }
}

/** Registers a command that runs the report for each monitor of the config (`mlobs report`, `mlobs test`). */
export function registerReportCommand(program: Command, io: CliIo, setExit: (code: ExitCode) => void, command: ReportCommand): void {
  const cmd = program.command(command.name).description(command.description);
  addOptions(cmd, REPORT_OPTIONS);
  cmd.action(async (flags: Record<string, unknown>) => {
    const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
    const { runs, several } = await planRuns(flags, given);
    const ctx: RunContext = { command, flags, io, defaultOutDir: join('reports', utcStamp(new Date())), several };
    if (!several) {
      setExit(await runMonitor(runs[0], ctx));
      return;
    }
    // One monitor's failure does not stop the others; the exit code is the worst of them (70 > 4 > 3 > 2 > 1 > 0).
    let worst: ExitCode = ExitCode.ok;
    for (const [i, run] of runs.entries()) {
      if (i > 0 && !flags.quiet) io.stdout('\n');
      let code: ExitCode;
      try {
        code = await runMonitor(run, ctx);
      } catch (e) {
        code = printError(e, io, !!flags.debug, `monitor "${run.monitor}": `);
      }
      worst = Math.max(worst, code) as ExitCode;
    }
    setExit(worst);
  });
}

export function registerReport(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  registerReportCommand(program, io, setExit, {
    name: 'report',
    description: 'compare a current CSV with a reference CSV and write a drift report (for each monitor of the config)',
    summary: formatSummary,
    failOn: 'never',
  });
}
