import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES } from './cli.js';

export const GOLDEN_DATASETS = join(FIXTURES, 'golden', 'datasets');
export const ACTIVITIES_ORACLE = join(FIXTURES, 'golden', 'activities', 'oracle.json');

export function goldenCases(): { name: string; dir: string }[] {
  return readdirSync(GOLDEN_DATASETS).map((name) => ({ name, dir: join(GOLDEN_DATASETS, name) }));
}

const goldens = new Map<string, any>();

/** A case's evidently.json, parsed once per test file however many tests read it. */
export function readGolden(dir: string): any {
  if (!goldens.has(dir)) goldens.set(dir, JSON.parse(readFileSync(join(dir, 'evidently.json'), 'utf8')));
  return goldens.get(dir);
}

/** The flags that reproduce a golden case's column roles: exactly its listed columns, the rest ignored. */
export function goldenArgs(command: string, dir: string, out: string): string[] {
  const c = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  const cols = c.columns;
  const args = [command, '--reference', join(dir, 'reference.csv'), '--current', join(dir, 'current.csv'), '--out', out];
  if (cols.numerical?.length) args.push('--numerical', cols.numerical.join(','));
  if (cols.categorical?.length) args.push('--categorical', cols.categorical.join(','));
  if (cols.target) args.push('--target', cols.target);
  if (cols.prediction) args.push('--prediction', cols.prediction);
  if (c.task) args.push('--task', c.task);
  // The golden runs analyse exactly the listed columns; probability columns were not part of them.
  const listed = new Set([...(cols.numerical ?? []), ...(cols.categorical ?? []), cols.target, cols.prediction].filter(Boolean));
  const header = readFileSync(join(dir, 'reference.csv'), 'utf8').split('\n')[0].split(',');
  const rest = header.filter((h) => !listed.has(h));
  if (rest.length) args.push('--ignore', rest.join(','));
  return args;
}

/** The activities oracle's run: its target as a regression target, every other column inferred. */
export function activitiesArgs(command: string, out: string): string[] {
  return [command, '--reference', 'fixtures/activities/reference.csv', '--current', 'fixtures/activities/current.csv', '--target', 'Quality', '--task', 'regression', '--out', out];
}
