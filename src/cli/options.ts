import { UsageError } from '../errors.js';
import { STAT_TEST_IDS } from '../drift/registry.js';
import { FORMATS } from '../writers/index.js';

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
  { flags: '--fail-on <when>', description: 'exit 1 when: drift (dataset drift detected) or never', config: 'fail_on', defaultText: 'never' },
  { flags: '--no-parallel', description: 'work in one thread: read the files one after the other and score columns in turn' },
  { flags: '--quiet', description: 'print nothing but errors' },
  { flags: '--timings', description: 'print stage timings and peak memory as one JSON line on stderr after writing' },
  { flags: '--debug', description: 'print stack traces with errors' },
];

/** Commander's attribute name for a flag: `--per-column-stattest` → `perColumnStattest`, `--no-default-na` → `defaultNa`. */
export function attributeName(flags: string): string {
  const long = flags.split(/[ ,|]+/).find((f) => f.startsWith('--'))!;
  return long.replace(/^--(no-)?/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Deep-sets flag values into a copy of the config, so flags override file values key by key. */
export function mergeFlags(config: Record<string, unknown>, flags: Record<string, unknown>, given: (name: string) => boolean): Record<string, unknown> {
  const merged = structuredClone(config);
  for (const spec of REPORT_OPTIONS) {
    if (!spec.config) continue;
    const name = attributeName(spec.flags);
    if (!given(name)) continue;
    const path = spec.config.split('.');
    let node = merged;
    for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Record<string, unknown>;
    const key = path[path.length - 1];
    const value = flags[name];
    const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
    // Per-column maps merge, so one --per-column-threshold does not drop the file's other columns.
    node[key] = isRecord(value) && isRecord(node[key]) ? { ...node[key], ...value } : value;
  }
  return merged;
}
