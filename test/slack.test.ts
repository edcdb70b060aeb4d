import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.js';
import { ExitCode } from '../src/errors.js';
import { DEFAULT_NA_VALUES } from '../src/io/csv/index.js';
import { redactor } from '../src/notify/deliver.js';
import { buildMessage, clip, LIMITS, summarize, type Block, type SlackMessage } from '../src/notify/message.js';
import type { ColumnDrift, Report } from '../src/report/model.js';
import { runReport } from '../src/pipeline.js';
import { runStatus } from '../src/report/status.js';
import { ROOT } from './helpers/cli.js';

const ACTIVITIES = 'fixtures/activities';

/**
 * A real report of the fixtures, with the run's clock fields pinned so payloads compare exactly. The test
 * suite and model quality are left out: their wording belongs to their own tests, and `withSuite` below
 * gives these snapshots fixed ones.
 */
async function fixtureReport(current: string, extra: { categorical?: string[]; id?: string[]; threshold?: number } = {}): Promise<Report> {
  const report = await runReport({
    reference: `${ACTIVITIES}/${current === 'current.csv' ? 'reference.csv' : 'activities_full.csv'}`,
    current: `${ACTIVITIES}/${current}`,
    roles: { target: 'Quality', task: 'regression', categorical: extra.categorical, id: extra.id },
    drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: 0.5, stattestThreshold: extra.threshold },
    csv: { naValues: DEFAULT_NA_VALUES },
    parallel: false,
  });
  const { tests: _tests, model_quality: _quality, ...rest } = report;
  return withStatus({ ...rest, run: { ...report.run, started_at: '2026-11-26T09:30:00.000Z', finished_at: '2026-11-26T09:30:01.250Z' } });
}

/** The status as `analyze` computes it, for a report these helpers changed. */
const withStatus = (report: Report): Report => ({ ...report, status: runStatus(report) });

const drifting = () => fixtureReport('current.csv');
const stable = () => fixtureReport('requests_sample.csv', { categorical: ['Type'], id: ['Activity ID'], threshold: 0.01 });
const URL = 'https://reports.example.com/activities/2026-11-26T09-30-00Z/report.html';

/** 240 drifted columns with long, markup-laden names: the message must still fit Slack's limits. */
function manyColumns(report: Report): Report {
  const base = report.drift.columns.find((c) => c.drift_detected)!;
  const columns: ColumnDrift[] = Array.from({ length: 240 }, (_, i) => ({
    ...base,
    role: 'feature',
    column: `feature_${String(i).padStart(3, '0')} <${'very long name & `odd` *chars* '.repeat(6)}>`,
    score: 1e-6 * (i + 1),
  }));
  return withStatus({ ...report, drift: { ...report.drift, columns, number_of_columns: 240, number_of_drifted_columns: 240, share_of_drifted_columns: 1 } });
}

function withErrors(report: Report): Report {
  const errors = Array.from({ length: 7 }, (_, i) => ({
    column: `broken_${i}`,
    stage: 'drift' as const,
    error_type: 'ValueError',
    message: `column broken_${i} has no values left after removing missing and infinite cells`,
  }));
  return withStatus({ ...report, errors });
}

type Suite = NonNullable<Report['tests']>;
type Test = Suite['tests'][number];

/** A test suite with every status, and regression quality on both sides (only the fields the message reads). */
function withSuite(report: Report): Report {
  const test = (status: Test['status'], name: string, column: string | null, description: string): Test => ({
    id: name.toLowerCase().replace(/\W+/g, '_'), name, group: 'data_quality', column, label: null, status, critical: status !== 'WARNING',
    description, value: 1, condition: null, condition_source: 'default', parameters: {},
  });
  const tests = [
    test('SUCCESS', 'Number of Rows', null, 'The number of rows is 10. The test threshold is eq=1000 ± 100.'),
    test('FAIL', 'Share of Drifted Columns', null, 'The drift is detected for 50% features. The test threshold is lt=0.3.'),
    test('WARNING', 'Share of Missing Values', null, 'Non-critical: the share of missing values is 0.01.'),
    test('ERROR', 'Mean Value', 'Quality', 'Test failed: the column **Quality** has no values.'),
  ];
  const summary = { all_passed: false, total_tests: 4, success_tests: 2, failed_tests: 2, by_status: { SUCCESS: 1, FAIL: 1, WARNING: 1, ERROR: 1 } };
  const side = (rmse: number, mae: number, r2: number | 'nan') => ({ rows: 10, rmse, mean_abs_error: mae, r2_score: r2 });
  const model_quality = { task: 'regression', target: 'Quality', prediction: ['Predicted'], regression: { reference: side(4.12, 3.2, 0.81), current: side(6.31, 3.2, 'nan') } };
  return withStatus({ ...report, tests: { presets: ['DataQuality'], defaults: 'evidently', summary, tests }, model_quality: model_quality as unknown as Report['model_quality'] });
}

function textOf(block: Block): string[] {
  if (block.type === 'header' || (block.type === 'section' && 'text' in block)) return [block.text.text];
  if (block.type === 'context') return block.elements.map((e) => e.text);
  return block.fields.map((f) => f.text);
}

/** Slack's documented Block Kit limits, and the undocumented total that bolt-js#2509 ran into. */
function expectWithinLimits(m: SlackMessage): void {
  expect(m.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  expect(m.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  expect(m.text.length).toBeGreaterThan(0);
  let total = 0;
  for (const b of m.blocks) {
    for (const t of textOf(b)) total += t.length;
    if (b.type === 'header') expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.headerText);
    if (b.type === 'section' && 'text' in b) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
    if (b.type === 'section' && 'fields' in b) {
      expect(b.fields.length).toBeLessThanOrEqual(LIMITS.fields);
      for (const f of b.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.fieldText);
    }
  }
  expect(total).toBeLessThanOrEqual(LIMITS.totalText);
}

describe('Slack message (exact Block Kit payloads)', () => {
  it('names the report file when no URL is configured, and links Grafana when it is', async () => {
    const report = { ...(await drifting()), links: { grafana: 'http://127.0.0.1:3000/d/mlobs' } };
    const m = buildMessage(summarize(report, 'activities', undefined, 'reports/2026-11-26T09-30-00Z/report.html'));
    expect(textOf(m.blocks.at(-1)!)).toEqual(['Report: `reports/2026-11-26T09-30-00Z/report.html` · <http://127.0.0.1:3000/d/mlobs|Grafana dashboard>']);
    expect(m.text).toContain('Report: reports/2026-11-26T09-30-00Z/report.html');
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/path-and-grafana.json');
  });

  it('lists failures by importance, not suite order: dataset drift, model quality, drift per column, integrity', async () => {
    const base = withSuite(await drifting());
    const t = (id: string, name: string, group: Test['group'], column: string | null, description: string): Test => ({
      id, name, group, column, label: null, status: 'FAIL', critical: true, description, value: 1, condition: null, condition_source: 'default', parameters: {},
    });
    const tests = [
      t('number_of_rows', 'Number of Rows', 'data_integrity', null, 'The number of rows is 50.'),
      t('column_drift', 'Drift per Column', 'data_drift', 'Quality', 'The drift score for the feature **Quality** is 0. The drift detection method is K-S p_value.'),
      t('rmse', 'Root Mean Square Error (RMSE)', 'regression', null, 'The RMSE is 6.31.'),
      t('share_of_drifted_columns', 'Share of Drifted Columns', 'data_drift', null, 'The drift is detected for 50% features.'),
    ];
    const report = { ...base, tests: { ...base.tests!, tests, summary: { ...base.tests!.summary, total_tests: 4, failed_tests: 4 } } };
    const s = summarize(report, 'activities', URL);
    expect(s.tests!.failed.map((f) => f.name)).toEqual(['Share of Drifted Columns', 'Root Mean Square Error (RMSE)', 'Drift per Column (Quality)', 'Number of Rows']);
    // Our own wording of the drift score: not Evidently's "is 0" for a p-value of 1.61e-5.
    expect(s.tests!.failed[2].description).toBe('The drift score (K-S p_value) for **Quality** is 1.61e-5; drift if ≤ 0.05.');
    const m = buildMessage(s);
    const titles = m.blocks.flatMap((b) => textOf(b)).map((x) => x.split('\n')[0]).filter((x) => x.startsWith('*') && !x.includes('\n'));
    expect(titles.filter((x) => /^\*(Model quality|Top drifted|Failed tests)/.test(x))).toEqual(['*Model quality (reference → current)*', '*Top drifted columns*', '*Failed tests, most important first*']);
    const quality = m.blocks.flatMap((b) => textOf(b)).find((x) => x.startsWith('*Model quality'))!;
    expect(quality).toContain('• RMSE: 4.12 → 6.31 (+53.2%, worse)');
  });

  it('drift', async () => {
    const s = summarize(await drifting(), 'activities', URL);
    expect(s.status.code).toBe('drift');
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/drift.json');
  });

  it('no drift', async () => {
    const s = summarize(await stable(), 'requests');
    expect(s.status.code).toBe('ok');
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/no-drift.json');
  });

  it('many drifted columns: the top ten, a count of the rest, within every limit', async () => {
    const m = buildMessage(summarize(manyColumns(await drifting()), 'wide', URL));
    expectWithinLimits(m);
    const list = m.blocks.find((b) => textOf(b)[0].startsWith('*Top drifted columns*'))!;
    expect(textOf(list)[0].split('\n').filter((l) => l.startsWith('• '))).toHaveLength(10);
    expect(textOf(list)[0]).toContain('…and 230 more');
    // Markup in names cannot break out of the code span or the message.
    expect(textOf(list)[0]).not.toMatch(/<very|& `odd`/);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/many-columns.json');
  });

  it('columns that could not be scored', async () => {
    const s = summarize(withErrors(await stable()), 'requests');
    expect(s.status.code).toBe('error');
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/errors.json');
  });

  it('failing tests (FAIL and ERROR, not WARNING) and model quality change', async () => {
    const s = summarize(withSuite(await stable()), 'requests', URL);
    // A critical test that could not run makes the run an error, which outranks the failed test.
    expect(s.status.code).toBe('error');
    expect(s.tests).toEqual({ total: 4, failed: [expect.objectContaining({ name: 'Share of Drifted Columns' }), expect.objectContaining({ name: 'Mean Value (Quality)' })] });
    expect(s.quality?.map((q) => q.metric)).toEqual(['RMSE', 'MAE', 'R²']);
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/failing-tests.json');
  });

  it('an absurd monitor name and report URL are clipped, not rejected by Slack', async () => {
    const m = buildMessage(summarize(withErrors(manyColumns(await drifting())), 'm'.repeat(400), `${URL}?q=${'x'.repeat(2000)}`));
    expectWithinLimits(m);
  });

  it('clip never splits a surrogate pair', () => {
    expect(clip('ab😀cd', 4)).toBe('ab…');
    expect(clip('abc', 3)).toBe('abc');
  });
});

describe('secrets in text', () => {
  it('the token, the webhook URL and anything shaped like them are redacted', () => {
    const bot = redactor({ kind: 'bot', token: 'xoxb-123-456-abcdef', channel: '#x' });
    expect(bot('Bearer xoxb-123-456-abcdef failed; xoxp-999-other')).toBe('Bearer [redacted] failed; [redacted]');
    const hook = redactor({ kind: 'webhook', url: 'http://127.0.0.1:9/services/T1/B2/sEcReT42' });
    expect(hook('POST http://127.0.0.1:9/services/T1/B2/sEcReT42 and /services/T1/B2/sEcReT42')).not.toMatch(/sEcReT42/);
  });
});

describe('documentation', () => {
  it('README: exit code 4; docs/operations.md: the Slack, scheduling and binary sections', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`| ${ExitCode.notify} |`);
    const operations = readFileSync(join(ROOT, 'docs', 'operations.md'), 'utf8');
    for (const h of ['## Slack summaries', '## Scheduled runs', '## Standalone binary']) expect(operations).toContain(h);
  });

  it('--help lists exit code 4', async () => {
    let out = '';
    expect(await run(['--help'], { stdout: (t) => (out += t), stderr: () => undefined, color: false })).toBe(0);
    expect(out).toMatch(/^ {2}4 {3}the report was written but the Slack notification failed/m);
  });
});
