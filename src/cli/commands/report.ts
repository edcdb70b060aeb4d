import { rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { DEFAULT_MONITOR, selectMonitors } from '../../config/monitors.js';
import type { DriftOptions } from '../../drift/options.js';
import { findStatTest, STAT_TEST_IDS } from '../../drift/registry.js';
import { ExitCode, NotifyError, UsageError } from '../../errors.js';
import { checkCreatable, claimUniqueDir, openOutput } from '../../io/atomic.js';
import { DEFAULT_NA_VALUES } from '../../io/csv/index.js';
import { historyFor, prepareNotifier, type NotifySettings } from '../../notify/index.js';
import { originOf, type Origins } from '../../origins.js';
import { printable, PRINTED_MESSAGE_MAX } from '../../printable.js';
import type { Report } from '../../report/model.js';
import { runReport, type ReportOptions } from '../../pipeline.js';
import type { ColumnRoles } from '../../data/roles.js';
import { defaultMemoryLimit, type EngineChoice } from '../../engine.js';
import { addOptions, getPath, resolveSettings, type CommandName, type Config } from '../../settings/index.js';
import { gateReason, gateTripped, modelOptions, suiteOptions, type FailOn, type ModelSettings, type TestsSettings } from '../../suite/config.js';
import { DEFAULT_MIN_WINDOW_ROWS, type GateWindow, type WindowOptions } from '../../windows/index.js';
import { parseRange, parseWindowSpec } from '../../windows/spec.js';
import { FORMATS, OUTPUT_FILES, WRITERS } from '../../writers/index.js';
import { tableSql } from '../../sources/pushdown/plan.js';
import type { ReportLinks } from '../../report/model.js';
import { writeFailedRunTextfile, writeTextfile } from '../../writers/prom/textfile.js';
import { formatSummary, type SummaryStyle } from '../summary.js';
import { printError, type CliIo } from '../../console.js';
import { didYouMean } from '../../suggest.js';

function checkStatTest(id: string | undefined, where: string): void {
  if (id !== undefined && !findStatTest(id)) {
    throw new UsageError(`unknown stat test "${id}" in ${where}${didYouMean(id, STAT_TEST_IDS) || `; known tests: ${STAT_TEST_IDS.join(', ')}`}`);
  }
}

function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export interface ResolvedReport {
  report: ReportOptions;
  formats: string[];
  failOn: FailOn;
  promMaxColumns: number;
}

/** One monitor's run: its name, its settings (flags over config, defaults applied) and where each came from. */
export interface PlannedRun {
  monitor: string;
  config: Config;
  origins: Origins;
}

/**
 * Config file + flags → the runs to make: the file's `monitors:` (each over the top-level keys), or one run.
 * `several` says the runs come from `monitors:`, so each writes into its own subdirectory of the output directory.
 */
export async function planRuns(command: CommandName, flags: Record<string, unknown>, given: (name: string) => boolean): Promise<{ runs: PlannedRun[]; several: boolean }> {
  const fileName = flags.config as string | undefined;
  const file = fileName ? await loadConfig(fileName) : {};
  const resolve = (config: Config) => resolveSettings(command, config, fileName, flags, given);
  if (!file.monitors) {
    const { config, origins } = resolve(file);
    return { runs: [{ monitor: (config.monitor as string | undefined) ?? DEFAULT_MONITOR, config, origins }], several: false };
  }
  const only = given('monitor') ? (flags.monitor as string) : (file.monitor as string | undefined);
  const runs = selectMonitors({ ...file, monitors: file.monitors as { name: string }[] }, only).map((m) => ({ monitor: m.name, ...resolve(m.config) }));
  return { runs, several: true };
}

/** One run's settings → validated options. Everything wrong with them is found here, before any data is read. */
export function resolveReportOptions(run: PlannedRun, flags: Record<string, unknown>): ResolvedReport {
  const { config, origins } = run;
  const get = <T>(path: string) => getPath(config, path) as T;
  const current = get<string | undefined>('current');
  const source = get<string | undefined>('source');
  const sourceTable = tableQueries(get);
  const referenceSql = sourceTable?.reference ?? get<string | undefined>('reference_sql');
  const currentSql = sourceTable?.current ?? get<string | undefined>('current_sql');
  const pullRows = get<number | undefined>('pushdown_pull_rows');
  const windows = windowOptions(get);
  // A reference period is usually a period of the current log itself.
  const reference = get<string | undefined>('reference') ?? (windows?.referenceRange && !source ? current : undefined);
  if (source) {
    if (reference || current) throw new UsageError('--source queries a database: give --reference-sql and --current-sql, not --reference/--current files');
    if (!referenceSql) throw new UsageError('missing --reference-sql <sql> (or `reference_sql:` in the config file) for --source');
    if (!currentSql) throw new UsageError('missing --current-sql <sql> (or `current_sql:` in the config file) for --source');
    if (windows?.referenceRange) throw new UsageError('--reference-range cuts a period out of a file; with --source the reference period is the WHERE clause of --reference-sql');
    // Checked before any query runs: the engine's work is what a late error would waste.
    if (windows?.spec?.kind === 'calendar' && !windows.timestamp) throw new UsageError(`--window ${windows.spec.text} needs --timestamp <column>`);
    if (windows?.spec?.kind === 'rows') {
      throw new UsageError(`--window ${windows.spec.text} needs the rows in order, which the engine's aggregates do not keep; with --source use a calendar window (1h, 6h, 1d, 7d, 1mo)`);
    }
    if (get('engine') !== 'auto') throw new UsageError('--engine chooses how Parquet files are read; with --source the database engine runs the queries');
  } else {
    if (referenceSql || currentSql || pullRows) throw new UsageError('--reference-sql, --current-sql, --table and --pushdown-pull-rows need --source <url>');
    if (!current) throw new UsageError('missing --current <file> (or `current:` in the config file)');
    if (!reference) throw new UsageError('missing --reference <file> (or `reference:` in the config file, or --reference-range)');
  }
  for (const path of ['drift.stattest', 'drift.num_stattest', 'drift.cat_stattest']) checkStatTest(get(path), originOf(origins, path));
  for (const [col, id] of Object.entries(get<Record<string, string> | undefined>('drift.per_column_stattest') ?? {})) {
    checkStatTest(id, `${originOf(origins, 'drift.per_column_stattest')} ${col}`);
  }
  const formats = get<string[]>('output.format');
  if (formats.length === 0) throw new UsageError(`no output format given; available: ${FORMATS.join(', ')}`);
  const roles = windowRoles(get<(ColumnRoles & { timestamp?: string }) | undefined>('columns'));
  if (roles.target !== undefined && roles.prediction?.includes(roles.target)) {
    throw new UsageError(`column "${roles.target}" cannot be both the target and a prediction`);
  }
  for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}"; available: ${FORMATS.join(', ')}`);
  if (formats.includes('openmetrics') && !(windows?.spec && windows.timestamp)) {
    throw new UsageError('--format openmetrics writes one point per window: it needs --window and --timestamp');
  }
  const driftOptions: DriftOptions = {
    stattest: get('drift.stattest'),
    stattestThreshold: get('drift.stattest_threshold'),
    numStattest: get('drift.num_stattest'),
    catStattest: get('drift.cat_stattest'),
    numStattestThreshold: get('drift.num_stattest_threshold'),
    catStattestThreshold: get('drift.cat_stattest_threshold'),
    perColumnStattest: get('drift.per_column_stattest') ?? {},
    perColumnThreshold: get('drift.per_column_threshold') ?? {},
    driftShare: get('drift.drift_share'),
    correction: get('drift.correction'),
  };
  const na = [...(get('csv.keep_default_na') === false ? [''] : DEFAULT_NA_VALUES), ...(get<string[] | undefined>('csv.na_values') ?? [])];
  return {
    report: {
      reference: reference ?? '',
      current: current ?? '',
      source: source ? { url: source, referenceSql: referenceSql!, currentSql: currentSql!, pullRows } : undefined,
      engine: { engine: get<EngineChoice>('engine'), memoryLimit: get<number | undefined>('memory_limit') ?? defaultMemoryLimit() },
      roles,
      windows,
      drift: driftOptions,
      csv: { delimiter: get('csv.delimiter'), naValues: [...new Set(na)] },
      parallel: flags.parallel !== false,
      model: modelOptions(get<ModelSettings | undefined>('model')),
      suite: suiteOptions(get<TestsSettings | undefined>('tests')),
      origins,
    },
    formats,
    failOn: get('fail_on'),
    promMaxColumns: get('prometheus.max_columns'),
  };
}

/** `--table` with its two WHERE clauses as the two queries; undefined without `--table`. */
function tableQueries(get: <T>(path: string) => T): { reference: string; current: string } | undefined {
  const table = get<string | undefined>('table');
  const where = { reference: get<string | undefined>('reference_where'), current: get<string | undefined>('current_where') };
  if (!table) {
    if (where.reference || where.current) throw new UsageError('--reference-where and --current-where need --table <name>');
    return undefined;
  }
  if (get('reference_sql') || get('current_sql')) throw new UsageError('give either --table with --reference-where/--current-where, or --reference-sql/--current-sql, not both');
  if (!where.reference || !where.current) throw new UsageError(`--table needs --reference-where <sql> and --current-where <sql> (the conditions that select each side's rows)`);
  return { reference: tableSql(table, where.reference), current: tableSql(table, where.current) };
}

/** The windowing options, checked; undefined when the run has no timestamp, window or reference period. */
function windowOptions(get: <T>(path: string) => T): WindowOptions | undefined {
  const size = get<string | undefined>('windows.size');
  const range = get<string | undefined>('windows.reference_range');
  const timestamp = get<string | undefined>('columns.timestamp');
  const gate = get<GateWindow | undefined>('windows.gate');
  const minRows = get<number | undefined>('windows.min_rows');
  if (!size && (gate || minRows !== undefined)) throw new UsageError(`${gate ? '--gate-window' : '--min-window-rows'} needs --window <size>`);
  if (!size && !range && !timestamp) return undefined;
  if (range && !timestamp) throw new UsageError('--reference-range needs --timestamp <column>');
  return {
    spec: size === undefined ? undefined : parseWindowSpec(size),
    timestamp,
    minRows: minRows ?? DEFAULT_MIN_WINDOW_ROWS,
    referenceRange: range === undefined ? undefined : parseRange(range),
    gate: gate ?? 'latest',
  };
}

/** The timestamp column is a datetime column (not compared), unless the user gave it a role of their own. */
function windowRoles(columns: (ColumnRoles & { timestamp?: string }) | undefined): ColumnRoles {
  const { timestamp: ts, ...roles } = { ...columns };
  const declared = [roles.datetime, roles.id, roles.ignore, roles.numerical, roles.categorical, roles.prediction].some((l) => l?.includes(ts ?? ''));
  if (ts && !declared && roles.target !== ts) roles.datetime = [...(roles.datetime ?? []), ts];
  return roles;
}

/** What sets `mlobs test` apart from `mlobs report`: its terminal summary and its default exit gate. */
export interface ReportCommand {
  description: string;
  name: 'report' | 'test';
  summary: (report: Report, style: SummaryStyle) => string;
}

interface RunContext {
  command: ReportCommand;
  flags: Record<string, unknown>;
  io: CliIo;
  /** The output directory when the config names none: one timestamp for every monitor of the invocation. */
  defaultOutDir: string;
  /** Creates the default output directory when the first run writes, under a name no other run has. */
  claimDefaultOutDir: () => Promise<string>;
  several: boolean;
}

/**
 * Runs one monitor and returns its exit code. If it fails after its config is known, its textfile still
 * records the failed run (so the run-failing alert can fire) before the error goes up.
 */
async function runMonitor(run: PlannedRun, ctx: RunContext): Promise<ExitCode> {
  const { flags, io } = ctx;
  const started = performance.now();
  const textfileDir = getPath(run.config, 'prometheus.textfile_dir') as string | undefined;
  try {
    const explicitDir = getPath(run.config, 'output.dir') as string | undefined;
    const resolved = resolveReportOptions(run, flags);
    // The default directory is claimed only when the run writes (then perhaps as `<timestamp>-2`): the checks
    // and the notify history before it need only its parent and this monitor's place below it.
    const dir = explicitDir ?? ctx.defaultOutDir;
    const planned = ctx.several ? join(dir, run.monitor) : dir;
    // Nothing is created before the inputs are read and checked: a failed run leaves no empty directory.
    await checkCreatable(planned);
    for (const format of resolved.formats) await WRITERS[format].preflight?.();
    const notifier = await prepareNotifier(run.config.notify as NotifySettings, {
      io,
      env: process.env,
      quiet: !!flags.quiet,
      debug: !!flags.debug,
      previous: flags.previous as string | undefined,
      history: historyFor(dir, planned),
    });
    const links = run.config.links as ReportLinks | undefined;
    const report = { ...(await runReport(resolved.report)), monitor: run.monitor, ...(links && { links }) };
    const writeStart = performance.now();
    const prom = { monitor: run.monitor, maxColumns: resolved.promMaxColumns };
    const base = explicitDir ?? (await ctx.claimDefaultOutDir());
    const outDir = ctx.several ? join(base, run.monitor) : base;
    // A claimed default directory is new and empty: published whole, like a missing -o.
    const output = await openOutput(outDir, OUTPUT_FILES, explicitDir === undefined && !ctx.several);
    const written: string[] = [];
    try {
      const staged: string[] = [];
      for (const format of resolved.formats) staged.push(...(await WRITERS[format].write(report, output.staging, { ...prom, formats: resolved.formats, finalDir: outDir })));
      written.push(...(await output.commit(staged)));
      if (output.notice) io.stderr(`mlobs: warning: ${output.notice}\n`);
    } catch (e) {
      await output.abort();
      if (explicitDir === undefined) await rmdir(base).catch(() => undefined);
      throw e;
    }
    if (textfileDir) written.push(await writeTextfile(report, textfileDir, prom));
    if (flags.timings) {
      const write_s = (performance.now() - writeStart) / 1000;
      const peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
      io.stderr(`${JSON.stringify({ ...(ctx.several ? { monitor: run.monitor } : {}), ...report.run.timings, write_s, peak_rss_bytes })}\n`);
    }
    if (!flags.quiet) {
      const heading = ctx.several ? `Monitor ${printable(run.monitor)}\n` : '';
      io.stdout(`${heading}${ctx.command.summary(report, { color: io.color, width: io.width })}\n\nReport written to ${written.map((f) => printable(f)).join(', ')}\n`);
    }
    io.reported?.({ monitor: run.monitor, dir: outDir, report });
    await notifier?.send(report, { monitor: run.monitor, dir: outDir, files: written });
    if (!gateTripped(resolved.failOn, report)) return ExitCode.ok;
    if (flags.quiet) io.stderr(`mlobs: ${ctx.several ? `monitor "${printable(run.monitor)}": ` : ''}${gateReason(resolved.failOn, report)}\n`);
    return ExitCode.gateFailed;
  } catch (e) {
    // A failed Slack post comes after a complete run, whose textfile is already written.
    if (textfileDir && !(e instanceof NotifyError)) {
      const failed = { endedAt: new Date(), durationSeconds: Math.round(performance.now() - started) / 1000 };
      await writeFailedRunTextfile(textfileDir, run.monitor, failed).catch((w: Error) => io.stderr(`mlobs: warning: ${printable(w.message, PRINTED_MESSAGE_MAX)}\n`));
    }
    throw e;
  }
}

/** Registers a command that runs the report for each monitor of the config (`mlobs report`, `mlobs test`). */
export function registerReportCommand(program: Command, io: CliIo, setExit: (code: ExitCode) => void, command: ReportCommand): void {
  const cmd = program.command(command.name).description(command.description);
  addOptions(cmd, command.name);
  cmd.action(async (flags: Record<string, unknown>) => {
    const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
    const { runs, several } = await planRuns(command.name, flags, given);
    const defaultOutDir = join('reports', utcStamp(new Date()));
    let claimed: Promise<string> | undefined;
    const claimDefaultOutDir = () => (claimed ??= claimUniqueDir(defaultOutDir));
    const ctx: RunContext = { command, flags, io, defaultOutDir, claimDefaultOutDir, several };
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
    description: 'compare current data with reference data (CSV or Parquet) and write a drift report (for each monitor of the config)',
    summary: formatSummary,
  });
}
