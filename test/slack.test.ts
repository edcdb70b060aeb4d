import { describe, expect, it } from 'vitest';
import { DEFAULT_NA_VALUES } from '../src/io/csv/index.js';
import { redactor } from '../src/notify/deliver.js';
import { buildMessage, clip, LIMITS, status, summarize, type Block, type NotifySummary, type SlackMessage } from '../src/notify/message.js';
import type { ColumnDrift, Report } from '../src/report/model.js';
import { runReport } from '../src/report/run.js';

const ACTIVITIES = 'fixtures/activities';

/** A real report of the fixtures, with the run's clock fields pinned so payloads compare exactly. */
async function fixtureReport(current: string, extra: { categorical?: string[]; id?: string[]; threshold?: number } = {}): Promise<Report> {
  const report = await runReport({
    reference: `${ACTIVITIES}/${current === 'current.csv' ? 'reference.csv' : 'activities_full.csv'}`,
    current: `${ACTIVITIES}/${current}`,
    roles: { target: 'Quality', task: 'regression', categorical: extra.categorical, id: extra.id },
    drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: 0.5, stattestThreshold: extra.threshold },
    csv: { naValues: DEFAULT_NA_VALUES },
    parallel: false,
  });
  return { ...report, run: { ...report.run, started_at: '2026-11-26T09:30:00.000Z', finished_at: '2026-11-26T09:30:01.250Z' } };
}

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
  return { ...report, drift: { ...report.drift, columns, number_of_columns: 240, number_of_drifted_columns: 240, share_of_drifted_columns: 1 } };
}

function withErrors(report: Report): Report {
  const errors = Array.from({ length: 7 }, (_, i) => ({
    column: `broken_${i}`,
    stage: 'drift' as const,
    error_type: 'ValueError',
    message: `column broken_${i} has no values left after removing missing and infinite cells`,
  }));
  return { ...report, errors };
}

/** Tests and model quality are not in the report model yet; the message already shows them when given. */
function failingTests(summary: NotifySummary): NotifySummary {
  return {
    ...summary,
    tests: {
      total: 24,
      failed: [
        { name: 'Share of Drifted Columns', description: 'The drift is detected for 50% features. The test threshold is lt=0.3.' },
        { name: 'Mean Value of Column Quality', description: 'The mean value of the column **Quality** is 72.1. The test threshold is eq=80.2 ± 8.02.' },
      ],
    },
    quality: [
      { metric: 'RMSE', reference: 4.12, current: 6.31 },
      { metric: 'R2 score', reference: 0.81, current: 0.55 },
    ],
  };
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
  it('drift', async () => {
    const s = summarize(await drifting(), 'activities', URL);
    expect(status(s)).toBe('drift');
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/drift.json');
  });

  it('no drift', async () => {
    const s = summarize(await stable(), 'requests');
    expect(status(s)).toBe('clear');
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
    expect(status(s)).toBe('failing');
    const m = buildMessage(s);
    expectWithinLimits(m);
    await expect(`${JSON.stringify(m, null, 2)}\n`).toMatchFileSnapshot('__snapshots__/slack/errors.json');
  });

  it('failing tests and model quality change, once the report has them', async () => {
    const s = failingTests(summarize(await stable(), 'requests', URL));
    expect(status(s)).toBe('failing');
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
