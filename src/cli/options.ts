import type { Command } from 'commander';
import type { z } from 'zod';
import { overlay } from '../config/monitors.js';
import { UsageError } from '../errors.js';
import { STAT_TEST_IDS } from '../drift/registry.js';
import { PRESETS } from '../suite/presets.js';
import { DEFAULT_NOTIFY_TIMEOUT_S } from '../notify/index.js';
import { FORMATS } from '../writers/index.js';
import { DEFAULT_MIN_WINDOW_ROWS } from '../windows/index.js';
import { GateWindow } from '../report/model.js';
import { DEFAULT_PROM_MAX_COLUMNS } from '../writers/prom/metrics.js';

/**
 * Every `mlobs report` flag in one table: its help text and the config-file key it overrides. Commander's
 * option list, the flag→config merge and the README's option table all come from here.
 */
export interface OptionSpec {
  flags: string;
  description: string;
  /** Dotted path in the config file; flags given on the command line override it. */
  config?: string;
  parse?: (raw: string, previous: unknown) => unknown;
  defaultText?: string;
}

function number(flag: string) {
  return (raw: string): number => {
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} expects a number, got "${raw}"`);
    return x;
  };
}

/** Repeatable and comma-separated: `--numerical a,b --numerical c`. */
function list(raw: string, previous: unknown): string[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  return [...((previous as string[] | undefined) ?? []), ...items];
}

/** Repeatable `column=value`; the last `=` splits, so column names may contain one. */
function pairs<T>(flag: string, value: (raw: string) => T) {
  return (raw: string, previous: unknown): Record<string, T> => {
    const at = raw.lastIndexOf('=');
    if (at <= 0 || at === raw.length - 1) throw new UsageError(`${flag} expects column=value, got "${raw}"`);
    return { ...((previous as Record<string, T> | undefined) ?? {}), [raw.slice(0, at)]: value(raw.slice(at + 1)) };
  };
}

const tests = STAT_TEST_IDS.join(', ');

/** Slack notification: `mlobs report` and `mlobs notify` both take these. */
export const NOTIFY_OPTIONS: readonly OptionSpec[] = [
  { flags: '--slack-channel <channel>', description: 'post a summary to this Slack channel (name or id) with the bot token in SLACK_BOT_TOKEN; without it, --notify posts through SLACK_WEBHOOK_URL', config: 'notify.slack_channel' },
  { flags: '--notify <when>', description: 'when to post to Slack: always, drift (dataset drift), failure (any run status but ok), change (the run status differs from the previous report\'s)', config: 'notify.when', defaultText: 'always with --slack-channel, else off' },
  { flags: '--notify-optional', description: 'missing Slack credentials (otherwise exit 2) or a failed post (otherwise exit 4) are a warning', config: 'notify.optional' },
  { flags: '--report-url <template>', description: 'link to the full report in the Slack message; {monitor}, {path} (the report directory) and {timestamp} (run start) are filled in', config: 'notify.report_url' },
  { flags: '--slack-upload', description: 'upload the run\'s report.html and PNG charts into the message\'s thread (bot token only)', config: 'notify.upload' },
  { flags: '--notify-timeout <seconds>', description: 'give up on Slack after this long, retries and rate-limit waits included', config: 'notify.timeout', parse: number('--notify-timeout'), defaultText: String(DEFAULT_NOTIFY_TIMEOUT_S) },
  { flags: '--previous <file>', description: 'the report.json that --notify change compares with', defaultText: 'the newest other report.json of the same monitor in the sibling run directories' },
];

export const REPORT_OPTIONS: readonly OptionSpec[] = [
  { flags: '-r, --reference <file>', description: 'reference CSV (training data or a known-good period)', config: 'reference' },
  { flags: '-c, --current <file>', description: 'current CSV (recent production data)', config: 'current' },
  { flags: '--config <file>', description: 'YAML or JSON config file; flags override its values' },
  { flags: '-o, --out <dir>', description: 'output directory', config: 'output.dir', defaultText: 'reports/<UTC timestamp>/' },
  { flags: '-f, --format <formats>', description: `output formats, comma-separated: ${FORMATS.join(', ')}`, config: 'output.format', parse: list, defaultText: 'json' },
  { flags: '--target <column>', description: 'target (label) column', config: 'columns.target' },
  { flags: '--prediction <columns>', description: 'prediction column, or several probability columns (comma-separated)', config: 'columns.prediction', parse: list },
  { flags: '--task <task>', description: 'classification or regression (inferred from the target when omitted)', config: 'columns.task' },
  { flags: '--numerical <columns>', description: 'columns to treat as numerical (repeatable, comma-separated)', config: 'columns.numerical', parse: list },
  { flags: '--categorical <columns>', description: 'columns to treat as categorical', config: 'columns.categorical', parse: list },
  { flags: '--datetime <columns>', description: 'datetime columns (not compared)', config: 'columns.datetime', parse: list },
  { flags: '--id <columns>', description: 'identifier columns (not compared)', config: 'columns.id', parse: list },
  { flags: '--ignore <columns>', description: 'columns to leave out', config: 'columns.ignore', parse: list },
  { flags: '--stattest <id>', description: `stat test for every column, instead of automatic selection: ${tests}`, config: 'drift.stattest' },
  { flags: '--stattest-threshold <x>', description: 'threshold for every column (p-value or distance, by test)', config: 'drift.stattest_threshold', parse: number('--stattest-threshold') },
  { flags: '--num-stattest <id>', description: 'stat test for numerical columns', config: 'drift.num_stattest' },
  { flags: '--cat-stattest <id>', description: 'stat test for categorical columns', config: 'drift.cat_stattest' },
  { flags: '--num-stattest-threshold <x>', description: 'threshold for numerical columns', config: 'drift.num_stattest_threshold', parse: number('--num-stattest-threshold') },
  { flags: '--cat-stattest-threshold <x>', description: 'threshold for categorical columns', config: 'drift.cat_stattest_threshold', parse: number('--cat-stattest-threshold') },
  { flags: '--per-column-stattest <column=id>', description: 'stat test for one column (repeatable)', config: 'drift.per_column_stattest', parse: pairs('--per-column-stattest', (s) => s) },
  { flags: '--per-column-threshold <column=x>', description: 'threshold for one column (repeatable)', config: 'drift.per_column_threshold', parse: pairs('--per-column-threshold', number('--per-column-threshold')) },
  { flags: '--drift-share <x>', description: 'share of drifted columns at which the dataset counts as drifted', config: 'drift.drift_share', parse: number('--drift-share'), defaultText: '0.5' },
  { flags: '--delimiter <char>', description: 'CSV delimiter: "," ";" "\\t" or "|"', config: 'csv.delimiter', parse: (raw) => (raw === '\\t' || raw === 'tab' ? '\t' : raw), defaultText: 'sniffed' },
  { flags: '--na-values <tokens>', description: 'extra cell texts that mean missing (comma-separated; pandas defaults always apply unless --no-default-na)', config: 'csv.na_values', parse: list },
  { flags: '--no-default-na', description: "don't treat pandas' default tokens (NA, NaN, null, ...) as missing; only empty cells and --na-values", config: 'csv.keep_default_na' },
  { flags: '--pos-label <label>', description: 'the positive class of a binary classification', config: 'model.pos_label', defaultText: '1' },
  { flags: '--probas-threshold <p>', description: 'binary classification from probabilities: predict the positive class at or above this probability', config: 'model.probas_threshold', parse: number('--probas-threshold'), defaultText: '0.5' },
  { flags: '--preset <presets>', description: `test presets, comma-separated: ${PRESETS.join(', ')}`, config: 'tests.presets', parse: list, defaultText: 'data_stability, data_quality, data_drift, and the model preset for the task' },
  { flags: '--one-sided', description: "judge model metrics against the reference one-sidedly (only getting worse fails) instead of Evidently's ±10 %/±20 %", config: 'tests.one_sided' },
  { flags: '--fail-on <when>', description: 'exit 1 when: drift (dataset drift detected), tests (a critical test failed or could not run) or never', config: 'fail_on', defaultText: 'never for report, tests for test' },
  { flags: '--timestamp <column>', description: 'time column of the log (ISO 8601 dates or date-times; UTC unless they carry an offset); not compared', config: 'columns.timestamp' },
  { flags: '--window <size>', description: 'also report every window of the current data: 1h, 6h, 1d, 7d, 1mo (calendar windows in UTC, by --timestamp) or a row count such as 10000rows (file order)', config: 'windows.size' },
  { flags: '--reference-range <start..end>', description: 'the reference is this period of the log (start included, end excluded, by --timestamp); when it is the --current file (the default without --reference), those rows leave the current data', config: 'windows.reference_range' },
  { flags: '--min-window-rows <n>', description: 'windows with fewer rows are reported but not judged', config: 'windows.min_rows', parse: number('--min-window-rows'), defaultText: String(DEFAULT_MIN_WINDOW_ROWS) },
  { flags: '--gate-window <which>', description: `the windows --fail-on judges: ${GateWindow.options.join(', ')} (latest: the latest complete window)`, config: 'windows.gate', defaultText: 'latest' },
  { flags: '--grafana-url <url>', description: 'Grafana dashboard the HTML report links to', config: 'links.grafana' },
  { flags: '--prometheus-url <url>', description: 'Prometheus the HTML report links to', config: 'links.prometheus' },
  { flags: '--alertmanager-url <url>', description: 'Alertmanager the HTML report links to', config: 'links.alertmanager' },
  { flags: '--monitor <name>', description: 'with `monitors:` in the config, run only this one; otherwise the name of this run\'s monitor (the `monitor` label and textfile name)', config: 'monitor', defaultText: 'all monitors, or "default"' },
  { flags: '--textfile-dir <dir>', description: 'also write <dir>/mlobs_<monitor>.prom for node_exporter\'s textfile collector, on failed runs too', config: 'prometheus.textfile_dir' },
  { flags: '--prom-max-columns <n>', description: 'cap on per-column Prometheus series (target and prediction first, then the most drifted) and on per-test series (failed tests first)', config: 'prometheus.max_columns', parse: number('--prom-max-columns'), defaultText: String(DEFAULT_PROM_MAX_COLUMNS) },
  ...NOTIFY_OPTIONS,
  { flags: '--no-parallel', description: 'work in one thread: read the files one after the other and score columns in turn' },
  { flags: '--quiet', description: 'print nothing but errors' },
  { flags: '--timings', description: 'print stage timings and peak memory as one JSON line on stderr after writing' },
  { flags: '--debug', description: 'print stack traces with errors' },
];

const byFlag = (...names: string[]) => REPORT_OPTIONS.filter((o) => names.includes(longFlag(o.flags)));

/** `mlobs notify`: the notification flags, the monitor the report is about, and the output switches. */
export const NOTIFY_COMMAND_OPTIONS: readonly OptionSpec[] = [
  ...NOTIFY_OPTIONS,
  { flags: '--monitor <name>', description: 'the monitor the report is about, named in the message', defaultText: '"default"' },
  ...byFlag('--quiet', '--debug'),
];

/** `mlobs schedule` takes these and every `mlobs report` flag, which it passes on to each run. */
export const SCHEDULE_OPTIONS: readonly OptionSpec[] = [
  { flags: '--cron <expression>', description: 'when to run, in UTC: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first' },
  { flags: '--log-format <format>', description: 'one line per run, as text or json', defaultText: 'text' },
];

/** The long form of a flag: `-o, --out <dir>` → `--out`. */
export function longFlag(flags: string): string {
  return flags.split(/[ ,|]+/).find((f) => f.startsWith('--'))!;
}

/** Commander's attribute name for a flag: `--per-column-stattest` → `perColumnStattest`, `--no-default-na` → `defaultNa`. */
export function attributeName(flags: string): string {
  return longFlag(flags).replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/**
 * The flags of one config section given on the command line, as that section's keys (over `defaults`), checked
 * by the section's schema; a problem names the flag. For commands that take a section's flags without a config.
 */
export function sectionFlags<T>(specs: readonly OptionSpec[], flags: Record<string, unknown>, section: string, schema: z.ZodType<T>, defaults: Record<string, unknown> = {}): T {
  const prefix = `${section}.`;
  const given: Record<string, unknown> = { ...defaults };
  for (const spec of specs) {
    const value = flags[attributeName(spec.flags)];
    if (spec.config?.startsWith(prefix) && value !== undefined) given[spec.config.slice(prefix.length)] = value;
  }
  const parsed = schema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const spec = specs.find((o) => o.config === `${prefix}${String(issue.path[0])}`);
    throw new UsageError(`${spec ? longFlag(spec.flags) : `${section}.${String(issue.path[0])}`}: ${issue.message}`);
  }
  return parsed.data;
}

export function addOptions(cmd: Command, specs: readonly OptionSpec[]): void {
  for (const spec of specs) {
    const description = spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description;
    if (spec.parse) cmd.option(spec.flags, description, spec.parse as (v: string, p: unknown) => unknown);
    else cmd.option(spec.flags, description);
  }
}

/** Deep-sets flag values into a copy of the config, so flags override file values key by key. */
export function mergeFlags(config: Record<string, unknown>, flags: Record<string, unknown>, given: (name: string) => boolean): Record<string, unknown> {
  const fromFlags: Record<string, unknown> = {};
  for (const spec of REPORT_OPTIONS) {
    if (!spec.config) continue;
    const name = attributeName(spec.flags);
    if (!given(name)) continue;
    const path = spec.config.split('.');
    let node = fromFlags;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    node[path[path.length - 1]] = flags[name];
  }
  // Per-column maps merge too, so one --per-column-threshold does not drop the file's other columns.
  return overlay(config, fromFlags);
}
