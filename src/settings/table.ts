import { z } from 'zod';
import { STAT_TEST_IDS } from '../drift/registry.js';
import { UsageError } from '../errors.js';
import { DEFAULT_PROBAS_THRESHOLD } from '../model_quality/index.js';
import { CORRECTIONS, GateWindow, HttpUrl } from '../report/model.js';
import { DEFAULT_MIN_WINDOW_ROWS } from '../windows/index.js';
import { PRESETS, type PresetId } from '../suite/presets.js';
import { didYouMean } from '../suggest.js';
import { TestEntry } from '../suite/config.js';
import { FORMATS } from '../writers/index.js';
import { ENGINES } from '../engine.js';

export const COMMANDS = ['report', 'test', 'render', 'notify', 'schedule'] as const;
export type CommandName = (typeof COMMANDS)[number];

/** Preset names, one or a list; an unknown one is named with the closest preset rather than zod's "Invalid input". */
const Presets = z.union([z.string(), z.array(z.string())]).transform((v, ctx) => {
  const presets: PresetId[] = [];
  for (const name of Array.isArray(v) ? v : [v]) {
    const preset = PRESETS.find((p) => p === name.toLowerCase());
    if (preset) presets.push(preset);
    else ctx.addIssue({ code: 'custom', message: `unknown preset "${name}"${didYouMean(name, PRESETS) || `; presets: ${PRESETS.join(', ')}`}` });
  }
  return presets;
});

/** What a setting looks like in one command when it differs from the entry (render's `--format` defaults to html). */
export interface CommandVariant {
  help?: string;
  default?: unknown;
  defaultText?: string;
}

/**
 * One setting of mlobs: a config key, a flag, or both. Everything else (commander's options, the config
 * schema, the flag-over-config merge, help defaults, docs/cli.md) is derived from this table.
 */
export interface Setting {
  /** Commander's spelling: `-o, --out <dir>`, `--quiet`, `--no-default-na`. Absent for config-only keys. */
  flags?: string;
  help: string;
  /** Dotted config path; absent for flags that mean nothing in a config file. */
  config?: string;
  /** The config value's type; a flag's value must satisfy it too. */
  type?: z.ZodType;
  /** The real default, applied when neither flag nor config sets the value. */
  default?: unknown;
  /** For help and docs, when the default is not a constant (a timestamp, a sniffed value). */
  defaultText?: string;
  /** Turns a flag's text into the config value (repeatable flags get the previous value). */
  parse?: (raw: string, previous: unknown) => unknown;
  commands: readonly CommandName[];
  per?: Partial<Record<CommandName, CommandVariant>>;
  /** Only at the config file's top level, not inside a `monitors:` entry. */
  topLevel?: boolean;
  /** A file or directory: relative in a config file, it is relative to that file's directory. */
  path?: true;
}

function number(flag: string) {
  return (raw: string): number => {
    const x = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(x)) throw new UsageError(`${flag} expects a number, got "${raw}"`);
    return x;
  };
}

/** Repeatable and comma-separated: `--numerical a,b --numerical c` (the help says so, see `describe`). */
export function list(raw: string, previous: unknown): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
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

/** A name or a list of names in the config file; always a list after parsing. */
const names = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));
const threshold = z.number().positive().finite();

/**
 * A map from column name to `value`. Column names are data, so `__proto__` is a key like any other: zod's
 * record drops it, so entries are checked one by one into an object without a prototype.
 */
function columnMap<T extends z.ZodType>(value: T) {
  return z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'expected a map of column: value')
    .transform((map, ctx) => {
      const out: Record<string, z.output<T>> = Object.create(null);
      for (const [column, raw] of Object.entries(map)) {
        const parsed = value.safeParse(raw, { reportInput: true });
        if (!parsed.success) {
          for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [column, ...issue.path] });
          return z.NEVER;
        }
        out[column] = parsed.data;
      }
      return out;
    });
}
const text = z.string().min(1);

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** A memory size as DuckDB spells it (`8GB`, `512MB`, `1.5GiB`; KB/MB/GB are powers of 1000), or a number of bytes; in bytes. */
const byteSize = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(String(v));
  const bytes = m ? Math.floor(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]) : NaN;
  if (!(bytes >= 1e6)) {
    ctx.addIssue({ code: 'custom', message: `expected a size of at least 1MB such as 8GB or 512MB, got "${v}"` });
    return z.NEVER;
  }
  return bytes;
});
const RUN = ['report', 'test', 'schedule'] as const;
const SLACK = ['report', 'test', 'schedule', 'notify'] as const;
const tests = STAT_TEST_IDS.join(', ');

export const monitorName = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'use letters, digits, "_", "." and "-" (the name is part of file names)');

/** Every setting, in help order. Adding a setting is adding one entry here (docs/architecture.md). */
export const SETTINGS: readonly Setting[] = [
  {
    flags: '--cron <expression>',
    help: 'when to run, in UTC: 5 fields (minute hour day-of-month month day-of-week), or 6 with seconds first',
    commands: ['schedule'],
  },
  { flags: '--log-format <format>', help: 'one line per run, as text or json', default: 'text', commands: ['schedule'] },
  {
    flags: '-r, --reference <file>',
    help: 'reference data (training data or a known-good period): a CSV file, or a Parquet file, directory or glob',
    config: 'reference',
    type: text,
    path: true,
    commands: RUN,
  },
  {
    flags: '-c, --current <file>',
    help: 'current data (recent production data): a CSV file, or a Parquet file, directory or glob',
    config: 'current',
    type: text,
    path: true,
    commands: RUN,
  },
  {
    flags: '--source <url>',
    help: 'query a database instead of reading files: clickhouse://user@host:8123/database (password in MLOBS_CLICKHOUSE_PASSWORD or a file named by MLOBS_CLICKHOUSE_PASSWORD_FILE), or duckdb: for SQL over local files; only aggregates leave the engine',
    config: 'source',
    type: text,
    commands: RUN,
  },
  { flags: '--reference-sql <sql>', help: 'with --source: the query whose rows are the reference', config: 'reference_sql', type: text, commands: RUN },
  { flags: '--current-sql <sql>', help: 'with --source: the query whose rows are the current data', config: 'current_sql', type: text, commands: RUN },
  {
    flags: '--table <name>',
    help: 'with --source, instead of the two queries: the table (or view, as name or database.name) both sides are read from, each with its WHERE clause',
    config: 'table',
    type: text,
    commands: RUN,
  },
  {
    flags: '--reference-where <sql>',
    help: 'with --table: the WHERE condition that selects the reference rows (your SQL, run as written)',
    config: 'reference_where',
    type: text,
    commands: RUN,
  },
  {
    flags: '--current-where <sql>',
    help: 'with --table: the WHERE condition that selects the current rows (your SQL, run as written)',
    config: 'current_where',
    type: text,
    commands: RUN,
  },
  {
    flags: '--pushdown-pull-rows <n>',
    help: 'with --source: TVD and empirical_mmd need the rows in order; pull their columns (up to n rows per side, in query order) instead of reporting an error for them',
    config: 'pushdown_pull_rows',
    type: z.number().int().positive(),
    parse: number('--pushdown-pull-rows'),
    commands: RUN,
  },
  {
    flags: '--engine <engine>',
    help: 'how the inputs are read: memory (every column at once), duckdb (a few columns at a time through DuckDB, for data larger than memory; a CSV file is converted first), or auto (duckdb when the estimated in-memory size exceeds --memory-limit; windowed runs stay in memory)',
    config: 'engine',
    type: z.enum(ENGINES),
    default: 'auto',
    commands: RUN,
  },
  {
    flags: '--memory-limit <size>',
    help: 'memory the duckdb engine plans for (DuckDB itself and the column batches), e.g. 8GB or 512MB; auto compares the estimated in-memory size with it',
    config: 'memory_limit',
    type: byteSize,
    defaultText: "half of the machine's memory",
    commands: RUN,
  },
  { flags: '--config <file>', help: 'YAML or JSON config file; flags override its values; its relative paths are relative to its directory', commands: RUN },
  {
    flags: '-o, --out <dir>',
    help: 'output directory',
    config: 'output.dir',
    type: text,
    path: true,
    defaultText: 'reports/<UTC timestamp>/',
    commands: [...RUN, 'render'],
    per: { render: { defaultText: "the report's directory" } },
  },
  {
    flags: '-f, --format <formats>',
    help: `output formats: ${FORMATS.join(', ')}`,
    config: 'output.format',
    type: names,
    parse: list,
    default: ['json'],
    commands: [...RUN, 'render'],
    per: { render: { default: ['html'] } },
  },
  { flags: '--target <column>', help: 'target (label) column', config: 'columns.target', type: text, commands: RUN },
  {
    flags: '--prediction <columns>',
    help: 'prediction column, or several probability columns',
    config: 'columns.prediction',
    type: names,
    parse: list,
    commands: RUN,
  },
  {
    flags: '--task <task>',
    help: 'classification or regression (inferred from the target when omitted)',
    config: 'columns.task',
    type: z.enum(['classification', 'regression']),
    commands: RUN,
  },
  {
    flags: '--numerical <columns>',
    help: 'columns to treat as numerical',
    config: 'columns.numerical',
    type: names,
    parse: list,
    commands: RUN,
  },
  { flags: '--categorical <columns>', help: 'columns to treat as categorical', config: 'columns.categorical', type: names, parse: list, commands: RUN },
  { flags: '--datetime <columns>', help: 'datetime columns (not compared)', config: 'columns.datetime', type: names, parse: list, commands: RUN },
  { flags: '--id <columns>', help: 'identifier columns (not compared)', config: 'columns.id', type: names, parse: list, commands: RUN },
  { flags: '--ignore <columns>', help: 'columns to leave out', config: 'columns.ignore', type: names, parse: list, commands: RUN },
  {
    flags: '--stattest <id>',
    help: `stat test for every column, instead of automatic selection: ${tests}`,
    config: 'drift.stattest',
    type: z.string(),
    commands: RUN,
  },
  {
    flags: '--stattest-threshold <x>',
    help: 'threshold for every column (p-value or distance, by test)',
    config: 'drift.stattest_threshold',
    type: threshold,
    parse: number('--stattest-threshold'),
    commands: RUN,
  },
  { flags: '--num-stattest <id>', help: 'stat test for numerical columns', config: 'drift.num_stattest', type: z.string(), commands: RUN },
  { flags: '--cat-stattest <id>', help: 'stat test for categorical columns', config: 'drift.cat_stattest', type: z.string(), commands: RUN },
  {
    flags: '--num-stattest-threshold <x>',
    help: 'threshold for numerical columns',
    config: 'drift.num_stattest_threshold',
    type: threshold,
    parse: number('--num-stattest-threshold'),
    commands: RUN,
  },
  {
    flags: '--cat-stattest-threshold <x>',
    help: 'threshold for categorical columns',
    config: 'drift.cat_stattest_threshold',
    type: threshold,
    parse: number('--cat-stattest-threshold'),
    commands: RUN,
  },
  {
    flags: '--per-column-stattest <column=id>',
    help: 'stat test for one column (repeatable)',
    config: 'drift.per_column_stattest',
    type: columnMap(z.string()),
    parse: pairs('--per-column-stattest', (s) => s),
    commands: RUN,
  },
  {
    flags: '--per-column-threshold <column=x>',
    help: 'threshold for one column (repeatable)',
    config: 'drift.per_column_threshold',
    type: columnMap(threshold),
    parse: pairs('--per-column-threshold', number('--per-column-threshold')),
    commands: RUN,
  },
  {
    flags: '--drift-share <x>',
    help: 'share of drifted columns at which the dataset counts as drifted',
    config: 'drift.drift_share',
    type: z.number().gt(0).lte(1),
    parse: number('--drift-share'),
    default: 0.5,
    commands: RUN,
  },
  {
    flags: '--correction <method>',
    help: 'multiple-testing correction across the p-value columns: bonferroni, holm or bh (Benjamini-Hochberg); dataset drift counts the corrected verdicts',
    config: 'drift.correction',
    type: z.enum(CORRECTIONS),
    defaultText: 'none',
    commands: RUN,
  },
  {
    flags: '--delimiter <char>',
    help: 'CSV delimiter: "," ";" "\\t" or "|"',
    config: 'csv.delimiter',
    type: z.enum([',', ';', '\t', '|']),
    parse: (raw) => (raw === '\\t' || raw === 'tab' ? '\t' : raw),
    defaultText: 'sniffed',
    commands: RUN,
  },
  {
    flags: '--na-values <tokens>',
    help: 'extra cell texts that mean missing, on top of the pandas defaults unless --no-default-na',
    config: 'csv.na_values',
    type: names,
    parse: list,
    commands: RUN,
  },
  {
    flags: '--no-default-na',
    help: "don't treat pandas' default tokens (NA, NaN, null, ...) as missing; only empty cells and --na-values",
    config: 'csv.keep_default_na',
    type: z.boolean(),
    commands: RUN,
  },
  {
    flags: '--pos-label <label>',
    help: 'the positive class of a binary classification',
    config: 'model.pos_label',
    type: z.union([z.string().min(1), z.number()]).transform(String),
    defaultText: '1',
    commands: RUN,
  },
  {
    flags: '--probas-threshold <p>',
    help: 'binary classification from probabilities: predict the positive class at or above this probability',
    config: 'model.probas_threshold',
    type: z.number().gt(0).lt(1),
    parse: number('--probas-threshold'),
    default: DEFAULT_PROBAS_THRESHOLD,
    commands: RUN,
  },
  {
    flags: '--preset <presets>',
    help: `test presets: ${PRESETS.join(', ')}`,
    config: 'tests.presets',
    type: Presets,
    parse: list,
    defaultText: 'data_stability, data_quality, data_drift, and the model preset for the task',
    commands: RUN,
  },
  {
    flags: '--one-sided',
    help: "judge model metrics against the reference one-sidedly (only getting worse fails) instead of Evidently's ±10 %/±20 %",
    config: 'tests.one_sided',
    type: z.boolean(),
    commands: RUN,
  },
  {
    help: 'the tests to run besides the presets, each `{ test: <id>, column?, critical?, gt?/lt?/eq?/... }`',
    config: 'tests.conditions',
    type: z.array(TestEntry),
    commands: RUN,
  },
  {
    flags: '--fail-on <when>',
    help: 'exit 1 when: drift (dataset drift detected), tests (a critical test failed or could not run) or never',
    config: 'fail_on',
    type: z.enum(['drift', 'tests', 'never']),
    default: 'never',
    commands: RUN,
    per: { test: { default: 'tests' } },
  },
  {
    flags: '--timestamp <column>',
    help: 'time column of the log (ISO 8601 dates or date-times; UTC unless they carry an offset); not compared',
    config: 'columns.timestamp',
    type: text,
    commands: RUN,
  },
  {
    flags: '--window <size>',
    help: 'also report every window of the current data: 1h, 6h, 1d, 7d, 1mo (calendar windows in UTC, by --timestamp) or a row count such as 10000rows (file order)',
    config: 'windows.size',
    type: text,
    commands: RUN,
  },
  {
    flags: '--reference-range <start..end>',
    help: 'the reference is this period of the log (start included, end excluded, by --timestamp); when it is the --current file (the default without --reference), those rows leave the current data',
    config: 'windows.reference_range',
    type: text,
    commands: RUN,
  },
  {
    flags: '--min-window-rows <n>',
    help: 'windows with fewer rows are reported but not judged',
    config: 'windows.min_rows',
    type: z.number().int().positive(),
    parse: number('--min-window-rows'),
    defaultText: String(DEFAULT_MIN_WINDOW_ROWS),
    commands: RUN,
  },
  {
    flags: '--gate-window <which>',
    help: `the windows --fail-on judges: ${GateWindow.options.join(', ')} (latest: the latest complete window)`,
    config: 'windows.gate',
    type: GateWindow,
    defaultText: 'latest',
    commands: RUN,
  },
  { flags: '--grafana-url <url>', help: 'Grafana dashboard the HTML report links to', config: 'links.grafana', type: HttpUrl, commands: [...RUN, 'render'] },
  { flags: '--prometheus-url <url>', help: 'Prometheus the HTML report links to', config: 'links.prometheus', type: HttpUrl, commands: [...RUN, 'render'] },
  {
    flags: '--alertmanager-url <url>',
    help: 'Alertmanager the HTML report links to',
    config: 'links.alertmanager',
    type: HttpUrl,
    commands: [...RUN, 'render'],
  },
  {
    flags: '--monitor <name>',
    help: "with `monitors:` in the config, run only this one; otherwise the name of this run's monitor (the `monitor` label and textfile name)",
    config: 'monitor',
    type: monitorName,
    defaultText: 'all monitors, or "default"',
    topLevel: true,
    commands: [...RUN, 'notify'],
    per: { notify: { help: 'the monitor the report is about, named in the message', defaultText: '"default"' } },
  },
  {
    flags: '--textfile-dir <dir>',
    help: "also write <dir>/mlobs_<monitor>.prom for node_exporter's textfile collector, on failed runs too",
    config: 'prometheus.textfile_dir',
    path: true,
    type: text,
    commands: RUN,
  },
  {
    flags: '--prom-max-columns <n>',
    help: 'cap on per-column Prometheus series (target and prediction first, then the most drifted) and on per-test series (failed tests first)',
    config: 'prometheus.max_columns',
    type: z.number().int().nonnegative(),
    parse: number('--prom-max-columns'),
    default: 50,
    commands: RUN,
  },
  {
    flags: '--slack-channel <channel>',
    help: 'post a summary to this Slack channel (name or id) with the bot token in SLACK_BOT_TOKEN; without it, --notify posts through SLACK_WEBHOOK_URL',
    config: 'notify.slack_channel',
    type: text,
    commands: SLACK,
  },
  {
    flags: '--notify <when>',
    help: "when to post to Slack: always, drift (dataset drift), failure (any run status but ok), change (the run status differs from the previous report's)",
    config: 'notify.when',
    type: z.enum(['always', 'drift', 'failure', 'change']),
    defaultText: 'always with --slack-channel, else off',
    commands: SLACK,
    per: { notify: { default: 'always' } },
  },
  {
    flags: '--notify-optional',
    help: 'missing Slack credentials (otherwise exit 2) or a failed post (otherwise exit 4) are a warning',
    config: 'notify.optional',
    type: z.boolean(),
    commands: SLACK,
  },
  {
    flags: '--report-url <template>',
    help: 'link to the full report in the Slack message; {monitor}, {path} (the report directory) and {timestamp} (run start) are filled in',
    config: 'notify.report_url',
    type: text,
    commands: SLACK,
  },
  {
    flags: '--slack-upload',
    help: "upload the run's report.html and PNG charts into the message's thread (bot token only)",
    config: 'notify.upload',
    type: z.boolean(),
    commands: SLACK,
  },
  {
    flags: '--notify-timeout <seconds>',
    help: 'give up on Slack after this long, retries and rate-limit waits included',
    config: 'notify.timeout',
    type: z.number().positive().finite(),
    parse: number('--notify-timeout'),
    default: 60,
    commands: SLACK,
  },
  {
    flags: '--previous <file>',
    help: 'the report.json that --notify change compares with',
    defaultText: 'the newest other report.json of the same monitor in the sibling run directories',
    commands: SLACK,
  },
  { flags: '--no-parallel', help: 'work in one thread: read the files one after the other and score columns in turn', commands: RUN },
  { flags: '--quiet', help: 'print nothing but errors', commands: COMMANDS },
  { flags: '--timings', help: 'print stage timings and peak memory as one JSON line on stderr after writing', commands: RUN },
  { flags: '--debug', help: 'print stack traces with errors', commands: COMMANDS },
];
