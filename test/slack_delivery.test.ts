import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildMessage, summarize } from '../src/notify/message.js';
import { runStatus } from '../src/report/status.js';
import { CHANNEL_ID, FakeSlack, MESSAGE_TS, WEBHOOK_PATH } from './helpers/fake_slack.js';
import type { Clock } from '../src/clock.js';
import { FIXTURES, runCli, tempDir, type CliResult } from './helpers/cli.js';

const TOKEN = 'xoxb-1111-2222-fakeSecretToken';
const DRIFTING = ['-r', 'fixtures/activities/reference.csv', '-c', 'fixtures/activities/current.csv', '--target', 'Quality', '--task', 'regression'];
/** No dataset drift (its test suite has failures, which the all-clear copy below leaves out). */
const STABLE = ['-r', 'fixtures/activities/activities_full.csv', '-c', 'fixtures/activities/requests_sample.csv', '--target', 'Quality', '--task', 'regression',
  '--categorical', 'Type', '--id', 'Activity ID', '--stattest-threshold', '0.01'];
const POST = '/api/chat.postMessage';

const slack = new FakeSlack();
let runs: string;
let drifting: string;
let stable: string;

/** No Slack variable of the developer's shell leaks into a test; each test says which ones it sets. */
function env(vars: { token?: boolean; webhook?: boolean; api?: string } = { token: true }): NodeJS.ProcessEnv {
  return {
    SLACK_BOT_TOKEN: vars.token ? TOKEN : '',
    SLACK_WEBHOOK_URL: vars.webhook ? slack.webhookUrl : '',
    MLOBS_SLACK_API_URL: vars.api ?? slack.apiUrl,
  };
}

/**
 * Real time plus the waits between retries, which it skips and records: a retry policy is tested without
 * sleeping, while HTTP timeouts still take real time.
 */
function skippingClock(): Clock & { slept: number[] } {
  let skipped = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => Date.now() + skipped,
    sleep: async (ms) => {
      slept.push(ms);
      skipped += ms;
    },
  };
}
let clock = skippingClock();

async function notify(report: string, args: string[], vars?: Parameters<typeof env>[0]): Promise<CliResult> {
  return runCli(['notify', report, ...args], { env: env(vars), clock });
}

/** A failure: the documented code and exactly one line on stderr, which names what went wrong. */
function expectOneLine(res: CliResult, code: number, pattern: RegExp): void {
  expect(res.code, res.stderr).toBe(code);
  const lines = res.stderr.trimEnd().split('\n');
  expect(lines, res.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

function expectNoSecret(res: CliResult): void {
  for (const text of [res.stdout, res.stderr]) {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('fakeSecretToken');
    expect(text).not.toContain(WEBHOOK_PATH);
    expect(text).not.toContain('fakeWebhookSecret123');
  }
}

const reportOf = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

beforeAll(async () => {
  await slack.start();
  runs = tempDir();
  const a = await runCli(['report', ...DRIFTING, '-o', join(runs, '2026-11-25T09-30-00Z'), '--quiet']);
  const b = await runCli(['report', ...STABLE, '-o', join(runs, '2026-11-26T09-30-00Z'), '--quiet']);
  expect([a.code, b.code], a.stderr + b.stderr).toEqual([0, 0]);
  drifting = join(runs, '2026-11-25T09-30-00Z', 'report.json');
  stable = join(runs, '2026-11-26T09-30-00Z', 'report.json');
  // Ten current rows fail some data-quality tests; without its test suite the report is all clear.
  const { tests: _tests, ...rest } = reportOf(stable);
  writeFileSync(stable, JSON.stringify({ ...rest, status: runStatus(rest) }));
});
afterAll(() => slack.close());
beforeEach(() => {
  slack.reset();
  clock = skippingClock();
});

describe('mlobs notify: posting', () => {
  it('bot token: chat.postMessage with the exact Block Kit payload; the token only in the Authorization header', async () => {
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--monitor', 'activities', '--report-url', 'https://ci.example.com/{monitor}/{path}?t={timestamp}']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('Slack: posted to #ml-alerts\n');
    const [call] = slack.requests;
    expect(slack.requests).toHaveLength(1);
    expect(call.path).toBe(POST);
    expect(call.authorization).toBe(`Bearer ${TOKEN}`);
    const report = reportOf(drifting);
    const url = `https://ci.example.com/activities/${runs.split('/').map(encodeURIComponent).join('/')}/2026-11-25T09-30-00Z?t=${encodeURIComponent(report.run.started_at)}`;
    const expected = buildMessage(summarize(report, 'activities', url));
    expect(call.body).toEqual({ channel: '#ml-alerts', text: expected.text, blocks: expected.blocks, unfurl_links: 'false', unfurl_media: 'false' });
    expect(JSON.stringify(call.body)).not.toContain(TOKEN);
  });

  it('incoming webhook: the same message as JSON, no token needed', async () => {
    const res = await notify(stable, [], { webhook: true });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('Slack: posted through the incoming webhook\n');
    expect(slack.requests.map((r) => r.path)).toEqual([WEBHOOK_PATH]);
    expect(slack.requests[0].body).toEqual(buildMessage(summarize(reportOf(stable), 'default', undefined, stable)));
    expectNoSecret(res);
  });

  it('file upload: postMessage, then files.uploadV2 (get URL, upload, complete) into its thread', async () => {
    const dir = join(tempDir(), 'run');
    mkdirSync(dir);
    copyFileSync(drifting, join(dir, 'report.json'));
    writeFileSync(join(dir, 'report.html'), '<!doctype html><title>report</title>');
    writeFileSync(join(dir, 'drift-scores.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]));
    writeFileSync(join(dir, 'metrics.prom'), 'not uploaded\n');
    const res = await notify(join(dir, 'report.json'), ['--slack-channel', 'ml-alerts', '--slack-upload']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toBe('Slack: posted to ml-alerts with drift-scores.png, report.html\n');
    const paths = slack.requests.map((r) => r.path);
    expect(paths[0]).toBe(POST);
    expect(paths.slice(1).sort()).toEqual(['/api/files.completeUploadExternal', '/api/files.getUploadURLExternal', '/api/files.getUploadURLExternal', '/upload/1', '/upload/2'].sort());
    expect(paths.at(-1)).toBe('/api/files.completeUploadExternal');
    const asked = slack.calls('/api/files.getUploadURLExternal').map((r) => r.body as Record<string, string>);
    expect(asked.map((b) => [b.filename, b.length]).sort()).toEqual([['drift-scores.png', '8'], ['report.html', '36']]);
    const complete = slack.calls('/api/files.completeUploadExternal')[0].body as Record<string, unknown>;
    expect(complete.channel_id).toBe(CHANNEL_ID);
    expect(complete.thread_ts).toBe(MESSAGE_TS);
    expect((complete.files as { id: string }[]).map((f) => f.id).sort()).toEqual(['F0FAKE1', 'F0FAKE2']);
  });

  it('--slack-upload through a webhook is a usage error, before anything is sent', async () => {
    const res = await notify(drifting, ['--slack-upload'], { webhook: true });
    expectOneLine(res, 2, /--slack-upload needs --slack-channel and SLACK_BOT_TOKEN/);
    expect(slack.requests).toHaveLength(0);
  });
});

describe('mlobs notify: retries stay bounded', () => {
  it('429 with Retry-After: waits that long, then posts', async () => {
    slack.script(POST, { status: 429, headers: { 'retry-after': '1' }, text: '' });
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts']);
    expect(res.code, res.stderr).toBe(0);
    expect(slack.calls(POST)).toHaveLength(2);
    expect(clock.slept).toEqual([1000]);
  });

  it('500, then success', async () => {
    slack.script(POST, { status: 500, text: 'oops' });
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts']);
    expect(res.code, res.stderr).toBe(0);
    expect(slack.calls(POST)).toHaveLength(2);
  });

  it('webhook 503, then success', async () => {
    slack.script(WEBHOOK_PATH, { status: 503, text: 'service_unavailable' });
    const res = await notify(drifting, [], { webhook: true });
    expect(res.code, res.stderr).toBe(0);
    expect(slack.calls(WEBHOOK_PATH)).toHaveLength(2);
  });

  it('a Retry-After beyond --notify-timeout gives up at once, exit 4', async () => {
    slack.script(POST, { status: 429, headers: { 'retry-after': '600' }, text: '' });
    const t0 = Date.now();
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--notify-timeout', '5']);
    expectOneLine(res, 4, /rate-limited .*Retry-After: 600 s.*5 s notification timeout/);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  it('Slack that never answers: exit 4 within --notify-timeout', async () => {
    slack.script(POST, ...Array.from({ length: 5 }, () => ({ delayMs: 10_000, json: { ok: true } })));
    const t0 = Date.now();
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--notify-timeout', '1']);
    expectOneLine(res, 4, /cannot reach the Slack API \(timed out\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('nothing listening: exit 4 "cannot reach", retried within the budget', async () => {
    const closed = await new FakeSlack().start();
    await closed.close();
    const t0 = Date.now();
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--notify-timeout', '3'], { token: true, api: closed.apiUrl });
    expectOneLine(res, 4, /^mlobs: error: cannot reach the Slack API \(ECONNREFUSED\) \(\d attempts\); giving up/);
    expect(Date.now() - t0).toBeLessThan(6000);
  });
});

describe('mlobs notify: refusals are one line, exit 2 (credentials) or 4, no retry, no secret', () => {
  // Credentials that can never work are a configuration error, as a missing token is: exit 2 at once.
  it.each(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked'])('%s: exit 2 at once, nothing retried', async (code) => {
    slack.script(POST, { json: { ok: false, error: code } });
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--notify-timeout', '30']);
    expectOneLine(res, 2, new RegExp(`^mlobs: error: Slack rejected SLACK_BOT_TOKEN \\(${code}\\)`));
    expect(slack.calls(POST)).toHaveLength(1);
    expectNoSecret(res);
  });

  it('channel_not_found', async () => {
    slack.script(POST, { json: { ok: false, error: 'channel_not_found' } });
    const res = await notify(drifting, ['--slack-channel', '#nope']);
    expectOneLine(res, 4, /Slack channel "#nope" not found \(channel_not_found\)/);
  });

  it('webhook removed (404 no_service)', async () => {
    slack.script(WEBHOOK_PATH, { status: 404, text: 'no_service' });
    const res = await notify(drifting, [], { webhook: true });
    expectOneLine(res, 2, /Slack rejected SLACK_WEBHOOK_URL \(no_service\)/);
    expect(slack.calls(WEBHOOK_PATH)).toHaveLength(1);
    expectNoSecret(res);
  });

  it('--debug prints the client log and a stack trace, still without the token or webhook URL', async () => {
    slack.script(POST, { status: 500, text: 'oops' }, { json: { ok: false, error: 'invalid_auth' } });
    const bot = await notify(drifting, ['--slack-channel', '#ml-alerts', '--debug']);
    expect(bot.code).toBe(2);
    expect(bot.stderr).toMatch(/mlobs: debug: slack: /);
    expect(bot.stderr).toMatch(/NotifyError: Slack rejected SLACK_BOT_TOKEN \(invalid_auth\) \(2 attempts\)\n\s+at /);
    expectNoSecret(bot);
    slack.script(WEBHOOK_PATH, { status: 500, text: 'oops' }, { status: 403, text: 'invalid_token' });
    const hook = await notify(drifting, ['--debug'], { webhook: true });
    expect(hook.code).toBe(2);
    expect(hook.stderr).toMatch(/at /);
    expectNoSecret(hook);
  });

  it('--notify-optional: the same failure is a warning and exit 0', async () => {
    slack.script(POST, { json: { ok: false, error: 'invalid_auth' } });
    const res = await notify(drifting, ['--slack-channel', '#ml-alerts', '--notify-optional']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe('mlobs: warning: Slack notification failed (--notify-optional): Slack rejected SLACK_BOT_TOKEN (invalid_auth)\n');
  });

  it('missing credentials: exit 2 before anything is sent, or a warning with --notify-optional', async () => {
    expectOneLine(await notify(drifting, ['--slack-channel', '#x'], { token: false }), 2, /--slack-channel needs SLACK_BOT_TOKEN/);
    expectOneLine(await notify(drifting, [], { token: false }), 2, /needs SLACK_WEBHOOK_URL, or --slack-channel with SLACK_BOT_TOKEN/);
    const optional = await notify(drifting, ['--notify-optional'], { token: false });
    expect(optional.code).toBe(0);
    expect(optional.stderr).toMatch(/^mlobs: warning: not notifying Slack/);
    expect(slack.requests).toHaveLength(0);
  });

  it('a file that is not a report: exit 2 naming it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{"kind": "something else"}');
    writeFileSync(join(dir, 'broken.json'), '{');
    expectOneLine(await notify(join(dir, 'bad.json'), ['--slack-channel', '#x']), 2, /bad\.json: not an mlobs report/);
    expectOneLine(await notify(join(dir, 'broken.json'), ['--slack-channel', '#x']), 2, /broken\.json: not valid JSON/);
    expectOneLine(await notify(drifting, ['--slack-channel', '#x', '--notify', 'sometimes']), 2, /--notify must be one of /);
    expectOneLine(await notify(drifting, ['--slack-channel', '#x', '--report-url', 'https://x/{run}']), 2, /unknown placeholder \{run\}/);
  });
});

describe('--notify: when a message goes out', () => {
  it('drift and failure skip an all-clear report; always sends it', async () => {
    for (const when of ['drift', 'failure']) {
      const res = await notify(stable, ['--slack-channel', '#x', '--notify', when]);
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(new RegExp(`^Slack: not sent \\(--notify ${when}: `));
    }
    expect(slack.requests).toHaveLength(0);
    expect((await notify(drifting, ['--slack-channel', '#x', '--notify', 'drift'])).stdout).toBe('Slack: posted to #x\n');
  });

  it('change: compares with the newest other report beside it, or --previous', async () => {
    // The stable run is the newest other report beside the drifting one: drift vs clear is a change.
    expect((await notify(drifting, ['--slack-channel', '#x', '--notify', 'change'])).stdout).toBe('Slack: posted to #x\n');
    expect((await notify(drifting, ['--slack-channel', '#x', '--notify', 'change', '--previous', drifting])).stdout).toBe('Slack: not sent (--notify change: still tests_failing)\n');
    expect(slack.requests).toHaveLength(1);
  });
});

describe('mlobs report with Slack', () => {
  it('writes the report before posting, and keeps it when Slack refuses (exit 4)', async () => {
    slack.script(POST, { json: { ok: false, error: 'channel_not_found' } });
    const out = join(tempDir(), 'run');
    const res = await runCli(['report', ...DRIFTING, '-o', out, '--slack-channel', '#ml-alerts', '--fail-on', 'drift'], { env: env() });
    expectOneLine(res, 4, /channel_not_found/);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect(res.stdout).toContain('Report written to');
  });

  it('a config notify section, change detection across runs in a fixed output directory', async () => {
    const dir = tempDir();
    const config = join(dir, 'mlobs.yaml');
    writeFileSync(config, ['notify:', '  slack_channel: "#ml-alerts"', '  when: change', `output:`, `  dir: ${join(dir, 'latest')}`].join('\n'));
    const first = await runCli(['report', ...DRIFTING, '--config', config], { env: env() });
    expect(first.stdout).toContain('Slack: posted to #ml-alerts');
    const second = await runCli(['report', ...DRIFTING, '--config', config], { env: env() });
    expect(second.stdout).toContain('Slack: not sent (--notify change: still tests_failing)');
    // Only the drift preset, which the stable data passes: the status changes to ok.
    const third = await runCli(['report', ...STABLE, '--preset', 'data_drift', '--config', config], { env: env() });
    expect(third.stdout).toContain('Slack: posted to #ml-alerts');
    expect(slack.calls(POST)).toHaveLength(2);
  });

  it('several monitors: one message each, named, each compared with its own previous report', async () => {
    const dir = tempDir();
    const config = join(dir, 'mlobs.yaml');
    writeFileSync(config, [
      `output: { dir: ${join(dir, 'latest')} }`,
      'columns: { target: Quality, task: regression }',
      'notify: { when: change }',
      'monitors:',
      `  - { name: activities, reference: ${FIXTURES}/activities/reference.csv, current: ${FIXTURES}/activities/current.csv }`,
      `  - { name: requests, reference: ${FIXTURES}/activities/activities_full.csv, current: ${FIXTURES}/activities/requests_sample.csv, columns: { categorical: [Type], id: [Activity ID] } }`,
    ].join('\n'));
    const first = await runCli(['report', '--config', config], { env: env({ webhook: true }) });
    expect(first.code, first.stderr).toBe(0);
    const headers = slack.calls(WEBHOOK_PATH).map((r) => (r.body as { blocks: { text: { text: string } }[] }).blocks[0].text.text);
    expect(headers).toEqual([expect.stringMatching(/: activities$/), expect.stringMatching(/: requests$/)]);
    const second = await runCli(['report', '--config', config], { env: env({ webhook: true }) });
    expect(second.stdout.match(/Slack: not sent \(--notify change: still \w+\)/g)).toHaveLength(2);
    expect(slack.calls(WEBHOOK_PATH)).toHaveLength(2);
  });
});
