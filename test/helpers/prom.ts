import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './cli.js';

export const COMPOSE = join(ROOT, 'deploy', 'compose');

/** Whether an executable is on PATH (the Debian packages .ci/run installs). */
export function installed(command: string): boolean {
  return !spawnSync(command, ['--version'], { stdio: 'ignore' }).error;
}

/** Runs a tool to completion and returns its exit status and combined output. */
export function tool(command: string, args: string[], input?: string): { status: number | null; output: string } {
  const res = spawnSync(command, args, { input, encoding: 'utf8', cwd: ROOT });
  if (res.error) throw res.error;
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

const PROMTOOL = installed('promtool');
if (!PROMTOOL) console.warn('promtool is not installed: textfiles are checked by the tests\' own rules only (apt-get install prometheus)');

/**
 * Every textfile a test produces goes through here: the exposition rules node_exporter's textfile collector
 * depends on (conventions D1), then `promtool check metrics` (syntax and naming lint) when it is installed.
 */
export function expectValidTextfile(path: string): string {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n'), `${path} ends with a newline`).toBe(true);
  const help = new Set<string>();
  const type = new Set<string>();
  const series = new Set<string>();
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) /.exec(line);
    if (meta) {
      const seen = meta[1] === 'HELP' ? help : type;
      expect(seen.has(meta[2]), `one ${meta[1]} for ${meta[2]}`).toBe(false);
      seen.add(meta[2]);
      continue;
    }
    // name{labels} value, and nothing after the value: a timestamp makes node_exporter skip the whole file.
    const sample = /^([a-z_:][a-z0-9_:]*)(\{.*\})? (NaN|[+-]Inf|-?[0-9.e+-]+)$/.exec(line);
    expect(sample, `sample line without timestamp: ${line}`).not.toBeNull();
    expect(type.has(sample![1]), `TYPE before the first sample of ${sample![1]}`).toBe(true);
    expect(sample![2] ?? '', `monitor label on ${line}`).toMatch(/^\{monitor="/);
    const id = `${sample![1]}${sample![2] ?? ''}`;
    expect(series.has(id), `series once: ${id}`).toBe(false);
    series.add(id);
  }
  if (PROMTOOL) {
    const check = tool('promtool', ['check', 'metrics'], text);
    expect(check.status, `promtool check metrics ${path}:\n${check.output}`).toBe(0);
  }
  return text;
}

/** The value of the one sample of `name` whose labels include `labels`. */
export function sampleValue(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const at = line.lastIndexOf(' ');
    if (want.every((w) => line.slice(0, at).includes(w))) return Number(line.slice(at + 1));
  }
  return undefined;
}

/** Metric names that have samples in the text. */
export function familyNames(text: string): Set<string> {
  return new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]));
}
