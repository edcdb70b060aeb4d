import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportJsonSchema } from '../src/report/json_schema.js';
import { SUITE_DOCS_BEGIN, SUITE_DOCS_END, suiteDocs } from '../src/suite/docs.js';
import { ROOT, runCli, tempDir } from './helpers/cli.js';

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const MARKDOWN = [
  'README.md',
  'deploy/compose/README.md',
  'bench/README.md',
  ...['architecture', 'ci', 'cli', 'compatibility', 'operations', 'prometheus', 'report-json', 'reports', 'test-suites', 'testing'].map((d) => `docs/${d}.md`),
];

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

describe('shipped documents agree with the code', () => {
  it('schema/report.schema.json is the one generated from the report model', () => {
    const shipped = JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8'));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(reportJsonSchema())));
  });

  it("the README's sample run is what the CLI prints, exit status included", async () => {
    const readme = read('README.md');
    const block = /```\n\$ (mlobs report [^\n]+)\n([\s\S]*?)```/.exec(readme)!;
    const args = block[1].split(' ').slice(1);
    const res = await runCli([...args, '-o', tempDir()]);
    expect(res.code).toBe(0);
    expect(readme).toMatch(/exit status is 0/);
    const printed = res.stdout.split('\n');
    // Every sample line is printed, in order; `⋮` stands for lines left out, and the output path differs.
    let at = 0;
    for (const line of block[2].trimEnd().split('\n')) {
      if (line.trim() === '⋮' || line.startsWith('Report written to ')) continue;
      const found = printed.indexOf(line, at);
      expect(found, line).toBeGreaterThanOrEqual(at);
      at = found + 1;
    }
  });

  it('the README documents every exit code', () => {
    const readme = read('README.md');
    for (const code of ['| 0 |', '| 1 |', '| 2 |', '| 3 |', '| 70 |']) expect(readme).toContain(code);
  });

  it("docs/test-suites.md's test ids are the ones generated from the suite catalogue (npm run docs:suites)", () => {
    const text = read('docs/test-suites.md');
    const generated = text.slice(text.indexOf(SUITE_DOCS_BEGIN), text.indexOf(SUITE_DOCS_END) + SUITE_DOCS_END.length);
    expect(generated).toBe(suiteDocs());
  });

  it('every relative link of the README and the docs reaches a file and, with a #, one of its headings', () => {
    const broken: string[] = [];
    for (const file of MARKDOWN) {
      for (const [, target] of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [path, hash] = target.split('#');
        const linked = path === '' ? join(ROOT, file) : join(ROOT, dirname(file), path);
        if (!existsSync(linked)) broken.push(`${file}: ${target}`);
        else if (hash !== undefined && linked.endsWith('.md')) {
          const headings = [...readFileSync(linked, 'utf8').matchAll(/^#+ (.+)$/gm)].map(([, h]) => anchor(h));
          if (!headings.includes(hash)) broken.push(`${file}: ${target} (no heading in ${relative(ROOT, linked)})`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
