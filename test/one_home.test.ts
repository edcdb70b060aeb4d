import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/cli.js';

/**
 * Lists and helpers that drifted apart when they were written in several places now have one home each
 * (docs/architecture.md). These checks fail when a copy reappears elsewhere in src/; the metric table has its own
 * check in metrics.test.ts and the stat-test files theirs in registry.test.ts.
 */
function sourceFiles(dir = join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [relative(ROOT, join(dir, e.name))] : [],
  );
}

const sources = new Map(sourceFiles().map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
const using = (pattern: RegExp) =>
  [...sources]
    .filter(([, text]) => pattern.test(text))
    .map(([f]) => f)
    .sort();

describe('one home for each list and helper', () => {
  it('flags are declared only by the settings table (src/settings/)', () => {
    expect(using(/\.(option|requiredOption|addOption)\(|new Option\(/).filter((f) => !f.startsWith('src/settings/'))).toEqual([]);
  });

  it('colour is painted only by report/format.ts (the summary also closes a colour it cuts short)', () => {
    expect(using(/\\u001b\[|\\x1b\[/i)).toEqual(['src/cli/summary.ts', 'src/report/format.ts']);
  });

  it('a ratio becomes a percentage only in report/format.ts', () => {
    expect(using(/\*\s*1000\)\s*\/\s*10\b/)).toEqual(['src/report/format.ts']);
  });

  it('XML and HTML text is escaped by writers/xml.ts; Markdown and Slack mrkdwn keep their own rules', () => {
    expect(using(/'&amp;'/)).toEqual(['src/notify/message.ts', 'src/writers/markdown.ts', 'src/writers/xml.ts']);
  });

  it('output formats are registered only in writers/index.ts', () => {
    expect(using(/\bWRITERS\s*[:=]/)).toEqual(['src/writers/index.ts']);
  });

  it('source and test file names are snake_case (docs/architecture.md)', () => {
    const names = [...sourceFiles(), ...sourceFiles(join(ROOT, 'test'))].map((f) => f.split('/').pop()!);
    expect(names.filter((n) => /[-A-Z]/.test(n.split('.')[0]))).toEqual([]);
  });
});
