import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildMessage, summarize } from '../src/notify/message.js';
import { Report } from '../src/report/model.js';
import { readReportFile } from '../src/report/read.js';
import { run } from '../src/cli/run.js';
import { FIXTURES, tempDir } from './helpers/cli.js';

/**
 * fixtures/explanations: "store" has the same three levels in both files plus a junk level "." in 4 % of
 * the current rows only (chi-square p underflows to 0); "tenure" has 15 reference values; "visits" is
 * missing in a third of the rows, its most common "value".
 */
const ARGS = ['report', '-r', join(FIXTURES, 'explanations', 'reference.csv'), '-c', join(FIXTURES, 'explanations', 'current.csv'), '--format', 'json,html'];

describe('explanations travel with the row, in every channel', () => {
  let report: Report;
  let html: string;
  let stdout: string;

  beforeAll(async () => {
    const dir = tempDir();
    let out = '';
    expect(await run([...ARGS, '-o', dir], { stdout: (t) => void (out += t), stderr: () => undefined, color: false, width: 100 })).toBe(0);
    stdout = out;
    report = await readReportFile(join(dir, 'report.json'));
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  const column = (name: string) => report.drift.columns.find((c) => c.column === name)!;

  it('report.json: one-file levels with their shares and the verdict without them; a small sample on the row', () => {
    const store = column('store');
    expect(store.score).toBe(0);
    expect(store.one_file_levels).toEqual({
      reference_only: { levels: 0, share: 0, examples: [] },
      current_only: { levels: 1, share: 0.04, examples: ['.'] },
      score_without: 1,
      drift_without: false,
    });
    expect(store.explanations).toEqual([
      {
        code: 'one_file_levels',
        message:
          'The drift comes from levels seen in one file only: 1 level only in the current file (".": 4% of its rows). On the levels both files have, the score is 1, which is not drift.',
      },
    ]);
    expect(column('tenure').explanations?.map((e) => e.code)).toEqual(['small_sample']);
    expect(column('basket').explanations).toBeUndefined();
    expect(column('basket').one_file_levels).toBeUndefined();
  });

  it('terminal: the verdict is marked and the sentence follows the table, wrapped, not cut', () => {
    expect(stdout).toMatch(/^store +cat +chisquare +< 1e-300 +< 0\.05 +300\/300 +DRIFT\*$/m);
    expect(stdout).toMatch(/^tenure .* 15\/300 +DRIFT\*$/m);
    expect(stdout).toContain('* store: The drift comes from levels seen in one file only');
    expect(stdout.split('\n').every((l) => [...l].length <= 100)).toBe(true);
  });

  it('HTML: a flag on the row, the sentence in its detail, a p-value of 0 not shown as 0, a missing most-common value named so', () => {
    const row = /<tr class="row[^"]*" id="(drift-\d+)"[^>]*>(?:(?!<\/tr>)[\s\S])*?>store<\/button>([\s\S]*?)<\/tr>/.exec(html)!;
    expect(row[2]).toContain('one-file levels');
    expect(row[2]).toContain('&lt; 1e-300');
    expect(html).toMatch(/<p class="note-line">[^<]*<span aria-hidden="true">! <\/span>The drift comes from levels seen in one file only/);
    expect(html).toMatch(/>tenure<\/button> <span class="badge badge-warn flag"><span aria-hidden="true">!<\/span> few values<\/span>/);
    expect(html).toContain('missing (empty or NA) (33.33%)');
    expect(html).not.toMatch(/>nan \(33\.33%\)/);
  });

  it('Slack: the flags on the drifted column lines', () => {
    const m = buildMessage(summarize(report, 'shop'));
    const text = JSON.stringify(m.blocks);
    expect(text).toContain('• `store`: chi-square p_value < 1e-300 < 0.05 _(one-file levels)_');
    expect(text).toContain('_(few values)_');
  });
});
