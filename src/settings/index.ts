import type { Command } from 'commander';
import { z } from 'zod';
import { overlay } from '../config/monitors.js';
import { ConfigError } from '../errors.js';
import type { Origins } from '../origins.js';
import { COMMANDS, list, SETTINGS, monitorName, type CommandName, type Setting } from './table.js';

export { COMMANDS, SETTINGS, type CommandName, type Setting };

/** A config after validation: sections of values, read by path (the schema below is built at run time). */
export type Config = Record<string, unknown>;

/** The long form of a flag: `-o, --out <dir>` → `--out`. */
export function longFlag(flags: string): string {
  return flags.split(/[ ,|]+/).find((f) => f.startsWith('--'))!;
}

/** Commander's attribute name for a flag: `--per-column-stattest` → `perColumnStattest`, `--no-default-na` → `defaultNa`. */
export function attributeName(flags: string): string {
  return longFlag(flags)
    .replace(/^--(no-)?/, '')
    .replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The settings one command takes, with that command's help and default. */
export function settingsFor(command: CommandName): Setting[] {
  return SETTINGS.filter((s) => s.commands.includes(command)).map((s) => ({ ...s, ...s.per?.[command] }));
}

/** The flags one command takes, in help order. */
export function flagsFor(command: CommandName): (Setting & { flags: string })[] {
  return settingsFor(command).filter((s): s is Setting & { flags: string } => s.flags !== undefined);
}

/** A setting's real default in one command, by config path or (for flag-only settings) long flag. */
export function defaultOf(command: CommandName, key: string): unknown {
  return settingsFor(command).find((s) => s.config === key || (s.flags && longFlag(s.flags) === key))?.default;
}

function showDefault(value: unknown): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The help text with its default, as `--help` and docs/cli.md show it. */
export function describe(s: Setting): string {
  const help = s.parse === list ? `${s.help} (repeatable, comma-separated)` : s.help;
  const shown = s.defaultText ?? (s.default === undefined ? undefined : showDefault(s.default));
  return shown === undefined ? help : `${help} (default: ${shown})`;
}

export function addOptions(cmd: Command, command: CommandName): void {
  for (const s of flagsFor(command)) {
    if (s.parse) cmd.option(s.flags, describe(s), s.parse);
    else cmd.option(s.flags, describe(s));
  }
}

export function getPath(config: Config, path: string): unknown {
  let node: unknown = config;
  for (const key of path.split('.')) node = (node as Config | undefined)?.[key];
  return node;
}

export function setPath(config: Config, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = config;
  for (const key of keys.slice(0, -1)) node = (node[key] ??= {}) as Config;
  node[keys[keys.length - 1]] = value;
}

/** Nested strict objects from dotted paths: unknown keys stay errors, so a typo is never silently ignored. */
function objectOf(settings: readonly Setting[]): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  const sections = new Map<string, Setting[]>();
  for (const s of settings) {
    const [head, ...rest] = s.config!.split('.');
    if (rest.length === 0) shape[head] = s.type!.optional();
    else sections.set(head, [...(sections.get(head) ?? []), { ...s, config: rest.join('.') }]);
  }
  for (const [head, inner] of sections) shape[head] = objectOf(inner).optional();
  return z.object(shape).strict();
}

const configured = SETTINGS.filter((s) => s.config !== undefined && s.type !== undefined);

/** One monitored model or dataset under `monitors:`; the top-level keys are defaults for every monitor. */
const Monitor = objectOf(configured.filter((s) => !s.topLevel)).extend({ name: monitorName });

/** The config file (YAML or JSON): one run, or several `monitors:` that `mlobs report` runs in turn. */
export const ConfigFile = objectOf(configured).extend({
  monitors: z
    .array(Monitor)
    .min(1)
    .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, 'monitor names must be unique')
    .optional(),
});

/** The flags given on the command line, as config values at their paths. */
function flagValues(command: CommandName, flags: Record<string, unknown>, given: (name: string) => boolean): Config {
  const out: Config = {};
  for (const s of flagsFor(command)) {
    const name = attributeName(s.flags);
    if (s.config && given(name)) setPath(out, s.config, flags[name]);
  }
  return out;
}

/** Where each set value came from: the flag if one was given, else the config key in its file. */
function originsOf(command: CommandName, fromFlags: Config, file: Config, fileName: string | undefined): Origins {
  const origins: Record<string, string> = {};
  for (const s of settingsFor(command)) {
    if (!s.config) continue;
    if (s.flags && getPath(fromFlags, s.config) !== undefined) origins[s.config] = longFlag(s.flags);
    else if (getPath(file, s.config) !== undefined) origins[s.config] = fileName ? `${s.config} in ${fileName}` : s.config;
  }
  return origins;
}

/** One run's settings: values with every default applied, and where each value the user set came from. */
export interface Resolved {
  config: Config;
  origins: Origins;
}

/**
 * Flags over one run's config (flags win key by key; per-column maps merge), checked by the schema, then
 * the command's defaults filled in. A problem names the flag or the config key, whichever the user wrote.
 */
export function resolveSettings(
  command: CommandName,
  file: Config,
  fileName: string | undefined,
  flags: Record<string, unknown>,
  given: (name: string) => boolean,
): Resolved {
  const fromFlags = flagValues(command, flags, given);
  const origins = originsOf(command, fromFlags, file, fileName);
  const parsed = ConfigFile.safeParse(overlay(file, fromFlags), { reportInput: true });
  if (!parsed.success)
    throw new ConfigError(
      undefined,
      explainIssue(parsed.error.issues[0], (setting) => origins[setting]),
    );
  const config = parsed.data as Config;
  for (const s of settingsFor(command)) {
    if (s.config && s.default !== undefined && getPath(config, s.config) === undefined) setPath(config, s.config, structuredClone(s.default));
  }
  return { config, origins };
}

type Check = { check: string; value?: number; inclusive?: boolean; format?: string };

/**
 * What a number, enum or boolean setting accepts, as a phrase read from its type in the table ("a number
 * greater than 0 and at most 1", "one of "drift", "tests", "never""); undefined for other types.
 */
function expectation(type: z.ZodType): string | undefined {
  const def = type._zod.def as { type: string; entries?: Record<string, string>; checks?: { _zod: { def: Check } }[] };
  if (def.type === 'boolean') return 'true or false';
  if (def.type === 'enum')
    return `one of ${Object.values(def.entries!)
      .map((v) => JSON.stringify(v))
      .join(', ')}`;
  if (def.type !== 'number') return undefined;
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const bounds = checks.flatMap((c) => {
    if (c.check === 'greater_than') return [`${c.inclusive ? 'at least' : 'greater than'} ${c.value}`];
    if (c.check === 'less_than') return [`${c.inclusive ? 'at most' : 'less than'} ${c.value}`];
    return [];
  });
  const kind = checks.some((c) => c.format?.endsWith('int')) ? 'a whole number' : 'a number';
  return [kind, bounds.join(' and ')].filter(Boolean).join(' ');
}

/**
 * A config problem as one sentence: what the user wrote (the flag or key `named` gives for a setting's config
 * path, else the key), then what it must be, read from the settings table where the setting is a number or a
 * choice. The value is shown when the issue carries it (parse with `reportInput`).
 */
export function explainIssue(issue: z.core.$ZodIssue, named: (config: string) => string | undefined = () => undefined): string {
  const key = issue.path.join('.');
  // Inside a monitor, a setting's path follows `monitors.<i>.`.
  const local = key.replace(/^monitors\.\d+\./, '');
  const setting = configured.find((s) => local === s.config || local.startsWith(`${s.config}.`));
  if (setting === undefined) return `${key || '(top level)'}${readable(issue, undefined, '')}`;
  const inner = local.slice(setting.config!.length + 1);
  const where = named(setting.config!) ?? key.slice(0, key.length - local.length) + setting.config!;
  return `${where}${readable(issue, inner === '' ? expectation(setting.type!) : undefined, inner)}`;
}

/** A zod issue as the rest of a sentence that starts with the setting's name: zod's own wording is for programmers. */
function readable(issue: z.core.$ZodIssue, rule: string | undefined, inner: string): string {
  const got = issue.input === undefined ? '' : `, got ${typeof issue.input === 'string' ? JSON.stringify(issue.input) : String(issue.input)}`;
  if (issue.code === 'custom') return `: ${issue.message}`;
  if (rule !== undefined) return ` must be ${rule}${got}`;
  // Inside a list or a per-column map (`inner` names the entry): the one value's rule, from the issue.
  const at = inner === '' ? '' : ` entry ${JSON.stringify(inner)}`;
  if (issue.code === 'too_big' || issue.code === 'too_small') {
    const above = issue.code === 'too_small';
    const word = issue.inclusive ? (above ? 'at least' : 'at most') : above ? 'greater than' : 'less than';
    const limit = above ? issue.minimum : issue.maximum;
    return issue.origin === 'number'
      ? `${at} must be ${word} ${limit}${got}`
      : `${at} must have ${word} ${limit} ${issue.origin === 'string' ? 'characters' : 'items'}${got}`;
  }
  if (issue.code === 'invalid_type') return `${at} must be ${issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`}${got}`;
  if (issue.code === 'invalid_value') return `${at} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}${got}`;
  return `${at}: ${issue.message}`;
}

/** Flags only, for commands that take no config file (`notify`, `render`). */
export function resolveFlags(command: CommandName, flags: Record<string, unknown>, given: (name: string) => boolean): Resolved {
  return resolveSettings(command, {}, undefined, flags, given);
}

/** docs/cli.md: every command's settings, generated from the table (scripts/gen-cli-docs.mjs, test/settings.test.ts). */
export function cliDocs(): string {
  const out = ['# mlobs command-line reference', '', 'Generated from src/settings/table.ts by `npm run docs:cli`; do not edit by hand.', ''];
  for (const command of COMMANDS) {
    out.push(`## mlobs ${command}`, '', '| flag | config key | meaning |', '| --- | --- | --- |');
    for (const s of settingsFor(command)) {
      const flag = s.flags ? `\`${s.flags}\`` : '';
      out.push(`| ${flag} | ${s.config ? `\`${s.config}\`` : ''} | ${describe(s).replace(/\|/g, '\\|')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
