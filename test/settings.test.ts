import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import { stringify } from 'yaml';
import { ConfigFile, SETTINGS, cliDocs, defaultOf, describe as describeSetting, flagsFor, longFlag, resolveSettings, setPath } from '../src/settings/index.js';
import { ROOT, tempDir } from './helpers/cli.js';

const REF = join(ROOT, 'fixtures/activities/reference.csv');
const CUR = join(ROOT, 'fixtures/activities/current.csv');

/** The CLI in this process: exit code and stderr. */
async function mlobs(args: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = '';
  const code = await run(args, { stdout: () => undefined, stderr: (t) => (stderr += t), color: false });
  return { code, stderr };
}

function configFile(text: string): string {
  const path = join(tempDir(), 'mlobs.yaml');
  writeFileSync(path, text);
  return path;
}

describe('the settings table', () => {
  it('docs/cli.md is the one generated from it (npm run docs:cli)', () => {
    expect(readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8')).toBe(cliDocs());
  });

  it('has one entry per flag and per config key', () => {
    const keys = SETTINGS.flatMap((s) => (s.config ? [s.config] : []));
    expect(new Set(keys).size).toBe(keys.length);
    const flags = SETTINGS.flatMap((s) => (s.flags ? [longFlag(s.flags)] : []));
    expect(new Set(flags).size).toBe(flags.length);
  });

  it('gives each command its own defaults and help', () => {
    expect(defaultOf('report', 'fail_on')).toBe('never');
    expect(defaultOf('test', 'fail_on')).toBe('tests');
    expect(defaultOf('render', 'output.format')).toEqual(['html']);
    expect(describeSetting(flagsFor('report').find((s) => s.config === 'drift.drift_share')!)).toMatch(/\(default: 0\.5\)$/);
    expect(flagsFor('notify').map((s) => longFlag(s.flags))).not.toContain('--reference');
    // A list flag's help says how to give several values, whichever flag it is.
    for (const flag of ['--categorical', '--datetime', '--id', '--ignore', '--numerical', '--format', '--preset']) {
      expect(describeSetting(flagsFor('report').find((s) => longFlag(s.flags) === flag)!), flag).toMatch(/\(repeatable, comma-separated\)/);
    }
  });

  it('derives the config schema: unknown keys are errors, monitors cannot pick a monitor', () => {
    expect(ConfigFile.safeParse({ columns: { ignore: 'a' } }).data).toEqual({ columns: { ignore: ['a'] } });
    expect(ConfigFile.safeParse({ columns: { ignor: ['a'] } }).success).toBe(false);
    expect(ConfigFile.safeParse({ monitors: [{ name: 'a', monitor: 'b' }] }).success).toBe(false);
  });

  it('merges flags over config key by key, per-column maps merged, then defaults', () => {
    const file = { drift: { per_column_threshold: { a: 0.1, b: 0.2 }, stattest: 'psi' } };
    const flags = { perColumnThreshold: { b: 0.3 }, driftShare: 0.7, stattest: 'ks' };
    const given = (name: string) => name !== 'stattest';
    const { config, origins } = resolveSettings('report', file, 'm.yaml', flags, given);
    expect(config.drift).toEqual({ per_column_threshold: { a: 0.1, b: 0.3 }, stattest: 'psi', drift_share: 0.7 });
    expect(config.output).toEqual({ format: ['json'] });
    expect(origins).toMatchObject({
      'drift.per_column_threshold': '--per-column-threshold',
      'drift.stattest': 'drift.stattest in m.yaml',
      'drift.drift_share': '--drift-share',
    });
  });
});

describe('errors name what the user wrote', () => {
  it('a column list from the config file names its key and file', async () => {
    const config = configFile(`reference: ${REF}\ncurrent: ${CUR}\ncolumns:\n  ignore: [Nope]\n`);
    const res = await mlobs(['report', '--config', config, '-o', tempDir()]);
    expect(res.code).toBe(2);
    expect(res.stderr).toBe(`mlobs: error: columns.ignore in ${config} names column "Nope", which is in neither file\n`);
  });

  it('the same list from a flag names the flag', async () => {
    const res = await mlobs(['report', '-r', REF, '-c', CUR, '--ignore', 'Nope', '-o', tempDir()]);
    expect(res.stderr).toBe('mlobs: error: --ignore names column "Nope", which is in neither file\n');
  });

  it('a bad flag value names the flag; a per-column setting from the file names its key', async () => {
    expect((await mlobs(['report', '-r', REF, '-c', CUR, '--drift-share', '2'])).stderr).toBe(
      'mlobs: error: --drift-share must be a number greater than 0 and at most 1, got 2\n',
    );
    expect((await mlobs(['report', '-r', REF, '-c', CUR, '--per-column-threshold', 'a=-1'])).stderr).toBe(
      'mlobs: error: --per-column-threshold entry "a" must be greater than 0, got -1\n',
    );
    const config = configFile(`reference: ${REF}\ncurrent: ${CUR}\ndrift:\n  per_column_stattest: { Nope: psi }\n`);
    const res = await mlobs(['report', '--config', config, '-o', tempDir()]);
    expect(res.stderr).toBe(`mlobs: error: drift.per_column_stattest in ${config} names column "Nope", which is in neither file\n`);
  });
});

describe('a value out of range reads as a sentence, for every number and choice setting', () => {
  // Generated from the table: each number setting's lower bound is at least 0, so -1 is out of range everywhere.
  const checked = SETTINGS.filter((s) => s.flags && s.config && s.commands.includes('report') && ['number', 'enum'].includes(s.type!._zod.def.type));
  const zodWording = /Too (big|small)|Invalid (input|option)|expected|received/;

  it('covers the number and choice settings', () => {
    expect(checked.length).toBeGreaterThanOrEqual(10);
  });

  it.each(checked.map((s) => [longFlag(s.flags!), s] as const))('%s, as a flag and as a config key', async (flag, s) => {
    const bad = s.type!._zod.def.type === 'number' ? -1 : 'nope';
    const rule =
      s.type!._zod.def.type === 'number'
        ? /must be a (whole )?number (at least|greater than) 0( and (at most|less than) 1)?, got -1$/
        : /must be one of ".+", got "nope"$/;
    const byFlag = await mlobs(['report', '-r', REF, '-c', CUR, flag, String(bad)]);
    expect(byFlag.code).toBe(2);
    const line = byFlag.stderr.trimEnd();
    expect(line.startsWith(`mlobs: error: ${flag} must be `), line).toBe(true);
    expect(line).toMatch(rule);
    expect(line).not.toMatch(zodWording);
    const config: Record<string, unknown> = {};
    setPath(config, s.config!, bad);
    const file = configFile(`reference: ${REF}\ncurrent: ${CUR}\n${stringify(config)}`);
    const byKey = (await mlobs(['report', '--config', file])).stderr.trimEnd();
    expect(byKey.startsWith(`mlobs: error: ${file}: ${s.config} must be `), byKey).toBe(true);
    expect(byKey).toMatch(rule);
    expect(byKey).not.toMatch(zodWording);
  });
});
