import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import { ConfigFile, SETTINGS, cliDocs, defaultOf, describe as describeSetting, flagsFor, longFlag, resolveSettings } from '../src/settings/index.js';
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
    expect((await mlobs(['report', '-r', REF, '-c', CUR, '--drift-share', '2'])).stderr).toMatch(/^mlobs: error: --drift-share: /);
    const config = configFile(`reference: ${REF}\ncurrent: ${CUR}\ndrift:\n  per_column_stattest: { Nope: psi }\n`);
    const res = await mlobs(['report', '--config', config, '-o', tempDir()]);
    expect(res.stderr).toBe(`mlobs: error: drift.per_column_stattest in ${config} names column "Nope", which is in neither file\n`);
  });
});
