import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/** Every test source, relative to the repository root. */
function testFiles(dir = join(ROOT, 'test')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : /\.(ts|mjs)$/.test(e.name) ? [relative(ROOT, join(dir, e.name))] : [],
  );
}

const sources = new Map(testFiles().map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const using = (pattern: RegExp) =>
  [...sources]
    .filter(([f, text]) => f !== 'test/test_rules.test.ts' && pattern.test(text))
    .map(([f]) => f)
    .sort();

// docs/testing.md says why each of these needs a real process; a new one should be a deliberate choice.
const CHILD_PROCESS_TESTS = [
  'test/cli_errors.test.ts',
  'test/hardening.test.ts',
  'test/parallel.test.ts',
  'test/parquet_offline.test.ts',
  'test/png_report.test.ts',
  'test/prom.test.ts',
  'test/schedule_cli.test.ts',
  'test/windows.test.ts',
];

describe('the test suite keeps its own rules (docs/testing.md)', () => {
  it('runs the CLI in-process except in the few files about real processes', () => {
    expect(using(/\bspawnCli\(|\bBIN\b/).filter((f) => f !== 'test/helpers/cli.ts')).toEqual(CHILD_PROCESS_TESTS);
  });

  it('imports src/, never dist/, and never reads the shared directory outside the repository', () => {
    expect(using(/from '(\.\.\/)+dist\//)).toEqual([]);
    expect(using(/\/work\/shared|\.\.\/shared/)).toEqual([]);
  });

  it('makes temporary directories through tempDir (removed after each file) or cleans them itself', () => {
    const own = using(/mkdtempSync\(/).filter((f) => f !== 'test/helpers/tmp.ts');
    for (const f of own) expect(sources.get(f), f).toMatch(/rmSync\(/);
  });
});
