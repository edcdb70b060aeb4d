import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReport, runCli, tempDir } from './helpers/cli.js';

async function fromFiles(ref: string, cur: string, ...flags: string[]) {
  const out = tempDir();
  const res = await runCli(['report', '-r', ref, '-c', cur, '-o', out, ...flags]);
  expect(res.code, res.stderr).toBe(0);
  return { report: readReport(out), stdout: res.stdout };
}

function fromText(ref: string, cur: string, ...flags: string[]) {
  const dir = tempDir();
  writeFileSync(join(dir, 'ref.csv'), ref);
  writeFileSync(join(dir, 'cur.csv'), cur);
  return fromFiles(join(dir, 'ref.csv'), join(dir, 'cur.csv'), ...flags);
}

const rows = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');

describe('column typing: one rule for both files', () => {
  it('a numeric column with a few junk tokens stays numeric; the tokens are missing in both files and reported', async () => {
    const ref = `x\n${rows(60, (i) => (i === 5 ? '?' : String(i % 17)))}\n`;
    const cur = `x\n${rows(60, (i) => (i === 9 ? 'unknown' : i === 10 ? '?' : String((i % 17) + 1)))}\n`;
    const { report, stdout } = await fromText(ref, cur);
    const col = report.columns.find((c: any) => c.name === 'x');
    expect(col).toMatchObject({ type: 'num', type_source: 'inferred', reference: { coerced: 1 }, current: { coerced: 2 } });
    expect(col.coerced_tokens).toEqual([
      { token: '?', reference: 1, current: 1 },
      { token: 'unknown', reference: 0, current: 1 },
    ]);
    expect(report.drift.columns[0]).toMatchObject({ column: 'x', type: 'num', n_reference: 59, n_current: 58, missing_current: 2 });
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'non_numeric_tokens', column: 'x' }));
    expect(stdout).toMatch(/warning: column "x" is numeric/);
  });

  it('more junk than the rule allows makes the column categorical', async () => {
    const ref = `x\n${rows(40, (i) => (i % 4 === 0 ? 'n/k' : String(i % 3)))}\n`;
    const { report } = await fromText(ref, ref);
    expect(report.columns[0]).toMatchObject({ type: 'cat', coerced_tokens: [] });
    expect(report.drift.columns[0].stattest).toBe('chisquare');
  });

  it('numbers in one file and words in the other: categorical, with a warning', async () => {
    const { report } = await fromText(`x\n${rows(30, (i) => String(i % 3))}\n`, `x\n${rows(30, (i) => ['a', 'b', 'c'][i % 3])}\n`);
    expect(report.columns[0].type).toBe('cat');
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'type_mismatch', column: 'x' }));
  });

  it('ISO dates are datetime (not compared); identifiers are flagged; columns in one file are listed', async () => {
    const { report } = await fromFiles(
      'fixtures/activities/activities_full.csv',
      'fixtures/activities/requests_sample.csv',
    );
    const byName = Object.fromEntries(report.columns.map((c: any) => [c.name, c]));
    expect(byName.Date).toMatchObject({ role: 'datetime', type: 'datetime' });
    expect(byName.Type).toMatchObject({ role: 'feature', type: 'cat' });
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'identifier_like', column: 'Activity ID' }));
    expect(report.drift.columns.map((c: any) => c.column)).not.toContain('Date');
  });

  it('--id and --ignore leave columns out; --categorical makes numbers categories', async () => {
    const { report } = await fromFiles(
      'fixtures/activities/activities_full.csv',
      'fixtures/activities/requests_sample.csv',
      '--id', 'Activity ID', '--ignore', 'Duration', '--categorical', 'Climb (m)',
    );
    const drifted = report.drift.columns.map((c: any) => c.column);
    expect(drifted).not.toContain('Activity ID');
    expect(drifted).not.toContain('Duration');
    const climb = report.drift.columns.find((c: any) => c.column === 'Climb (m)');
    expect(climb).toMatchObject({ type: 'cat', stattest: 'chisquare' });
    expect(report.columns.find((c: any) => c.name === 'Activity ID')).toMatchObject({ role: 'id' });
    expect(report.warnings.map((w: any) => w.code)).not.toContain('identifier_like');
  });

  it('a column only in one file is reported, not silently dropped; tiny samples are flagged', async () => {
    const { report } = await fromText('a,b\n1,2\n2,3\n', 'a,c\n1,x\n3,y\n');
    expect(report.warnings).toContainEqual(expect.objectContaining({ code: 'small_sample', column: 'a' }));
    const byName = Object.fromEntries(report.columns.map((c: any) => [c.name, c]));
    expect(byName.b).toMatchObject({ in_reference: true, in_current: false });
    expect(byName.c).toMatchObject({ in_reference: false, in_current: true });
    expect(report.warnings.filter((w: any) => w.code === 'column_in_one_file').map((w: any) => w.column).sort()).toEqual(['b', 'c']);
  });

  it('columns named target and prediction take those roles, as in Evidently', async () => {
    const ref = `f,target,prediction\n${rows(50, (i) => `${i},${i % 2},${(i % 7) / 10}`)}\n`;
    const { report } = await fromText(ref, ref);
    expect(report.drift.columns.slice(0, 2).map((c: any) => [c.column, c.role, c.type])).toEqual([
      ['target', 'target', 'cat'],
      ['prediction', 'prediction', 'num'],
    ]);
    expect(report.options.task).toBe('classification');
  });
});
