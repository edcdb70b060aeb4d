import { constants } from 'node:fs';
import { lstat, open, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { printable, PRINTED_MESSAGE_MAX } from '../printable.js';
import type { CliIo } from '../console.js';
import { NotifyError, UsageError } from '../errors.js';
import type { Report, StatusCode } from '../report/model.js';
import { readReportFile } from '../report/read.js';
import type { Target } from './deliver.js';
import { buildMessage, summarize } from './message.js';

/** The `notify:` section of the config, with flags applied. */
export interface NotifySettings {
  slack_channel?: string;
  when?: NotifyWhen;
  optional?: boolean;
  report_url?: string;
  upload?: boolean;
  /** Seconds, retries and rate-limit waits included. */
  timeout: number;
}
type NotifyWhen = 'always' | 'drift' | 'failure' | 'change';
const REPORT_URL_PLACEHOLDERS = ['monitor', 'path', 'timestamp'] as const;

/** Where earlier runs of the same monitor left their report: `<root>/<any run directory>/<relative>`. */
export interface History {
  root: string;
  relative: string;
  /** A report that does not count as earlier (the one being re-sent). */
  exclude?: string;
}

/** The history of a report written to `outDir` by an invocation whose own directory is `runDir`. */
export function historyFor(runDir: string, outDir: string): History {
  return { root: dirname(resolve(runDir)), relative: join(relative(runDir, outDir), 'report.json') };
}

export interface Notifier {
  /** Posts the summary of `report` if `--notify` says so; `files` are the run's outputs, of which HTML and PNG are uploaded. */
  send(report: Report, run: { monitor: string; dir: string; files: string[] }): Promise<void>;
}

export interface NotifyContext {
  io: CliIo;
  env: NodeJS.ProcessEnv;
  quiet: boolean;
  debug: boolean;
  /** `--previous`: the report `--notify change` compares with, instead of the newest one in `history`. */
  previous?: string;
  history?: History;
}

const set = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);

function httpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${name} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`${name} is not an http(s) URL`);
  return value;
}

/**
 * Secrets that can never work, found before anything is sent (exit 2 at once, not retries until the
 * timeout): a token that is not one printable word (a newline from `echo` into a secret store), a webhook URL
 * with credentials in it.
 */
function checkSecrets(target: Target): void {
  if (target.kind === 'bot' && !/^[\x21-\x7e]+$/.test(target.token)) {
    throw new UsageError('SLACK_BOT_TOKEN holds whitespace or control characters (a trailing newline?): set it to the token alone');
  }
  if (target.kind === 'webhook') {
    const url = new URL(target.url);
    if (url.username || url.password) throw new UsageError('SLACK_WEBHOOK_URL must not carry a user name or password: use the URL Slack gave you as is');
  }
}

/** The target from the environment, or why there is none (the secrets are never part of the reason). */
function resolveTarget(channel: string | undefined, env: NodeJS.ProcessEnv): Target | string {
  const token = set(env.SLACK_BOT_TOKEN);
  const webhook = set(env.SLACK_WEBHOOK_URL);
  if (channel) {
    if (token) {
      const apiUrl = set(env.MLOBS_SLACK_API_URL);
      return { kind: 'bot', token, channel, ...(apiUrl ? { apiUrl: httpUrl(apiUrl, 'MLOBS_SLACK_API_URL') } : {}) };
    }
    return `--slack-channel needs SLACK_BOT_TOKEN in the environment${webhook ? ' (to post through SLACK_WEBHOOK_URL instead, drop --slack-channel)' : ''}`;
  }
  if (webhook) return { kind: 'webhook', url: httpUrl(webhook, 'SLACK_WEBHOOK_URL') };
  return 'Slack notification needs SLACK_WEBHOOK_URL, or --slack-channel with SLACK_BOT_TOKEN, in the environment';
}

const MAGIC: Record<string, (head: Buffer) => boolean> = {
  '.png': (head) => head.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])),
  '.html': (head) => /^\s*<!doctype html/i.test(head.toString('latin1')),
};

/**
 * The run's files that may be uploaded: regular files (not symlinks, which could point at any file on the
 * machine) whose first bytes are what their extension says. Anything else is left out with a warning.
 */
async function uploadable(files: string[], io: CliIo): Promise<string[]> {
  const out: string[] = [];
  for (const file of files) {
    const check = MAGIC[extname(file)];
    if (!check) continue;
    const s = await lstat(file).catch(() => undefined);
    let ok = !!s?.isFile();
    if (ok) {
      const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW).catch(() => undefined);
      const head = Buffer.alloc(64);
      ok = !!handle && check(head.subarray(0, (await handle.read(head, 0, 64, 0)).bytesRead));
      await handle?.close();
    }
    if (ok) out.push(file);
    else io.stderr(`mlobs: warning: not uploading ${printable(file)}: not a regular ${extname(file).slice(1).toUpperCase()} file\n`);
  }
  return out;
}

/** `{monitor}`, `{path}` (the report's directory) and `{timestamp}` (run start, ISO 8601 UTC), URL-encoded. */
function renderReportUrl(template: string, values: Record<(typeof REPORT_URL_PLACEHOLDERS)[number], string>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: keyof typeof values) =>
    key === 'path' ? values.path.split(/[\\/]/).map(encodeURIComponent).join('/') : encodeURIComponent(values[key]),
  );
}

function checkReportUrl(template: string): void {
  for (const [, key] of template.matchAll(/\{(\w+)\}/g)) {
    if (!(REPORT_URL_PLACEHOLDERS as readonly string[]).includes(key)) {
      throw new UsageError(`--report-url: unknown placeholder {${key}}; known: ${REPORT_URL_PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
    }
  }
  const sample = renderReportUrl(template, { monitor: 'm', path: 'p', timestamp: 't' });
  // Slack's link syntax <url|text> ends at "|" or ">", so such a URL would be cut short.
  if (!/^https?:\/\/[^\s<>|]+$/.test(sample)) throw new UsageError('--report-url must be an http(s) URL without spaces, "<", ">" or "|"');
}

/**
 * The newest valid report in the history, by modification time. Reports of another schema version do not
 * count, so the first run after an upgrade notifies as a change.
 */
async function newestEarlier(history: History): Promise<Report | undefined> {
  const entries = await readdir(history.root).catch(() => [] as string[]);
  const exclude = history.exclude && resolve(history.exclude);
  const found: { path: string; mtime: number }[] = [];
  for (const entry of entries) {
    const path = join(history.root, entry, history.relative);
    if (path === exclude) continue;
    const s = await stat(path).catch(() => undefined);
    if (s?.isFile()) found.push({ path, mtime: s.mtimeMs });
  }
  found.sort((a, b) => b.mtime - a.mtime);
  for (const { path } of found) {
    const report = await readReportFile(path).catch(() => undefined);
    if (report) return report;
  }
  return undefined;
}

/** Why `--notify when` does not call for a message about a run of status `now`; undefined when it does. */
function notDue(when: NotifyWhen, now: Report, previous: StatusCode | undefined): string | undefined {
  switch (when) {
    case 'always':
      return undefined;
    case 'drift':
      return now.drift.dataset_drift ? undefined : '--notify drift: no dataset drift';
    case 'failure':
      return now.status.code === 'ok' ? '--notify failure: status ok' : undefined;
    case 'change':
      return previous === now.status.code ? `--notify change: still ${now.status.code}` : undefined;
  }
}

/**
 * Checks the notification settings and reads the previous verdict, before any data is read and before this
 * run's report can overwrite the previous one. Null when notification is off (or optional and unconfigured).
 */
export async function prepareNotifier(settings: NotifySettings, ctx: NotifyContext): Promise<Notifier | null> {
  if (!settings.slack_channel && !settings.when) return null;
  const when = settings.when ?? 'always';
  const target = resolveTarget(settings.slack_channel, ctx.env);
  if (typeof target === 'string') {
    if (!settings.optional) throw new UsageError(target);
    ctx.io.stderr(`mlobs: warning: not notifying Slack: ${printable(target, PRINTED_MESSAGE_MAX)}\n`);
    return null;
  }
  checkSecrets(target);
  if (settings.upload && target.kind === 'webhook') {
    throw new UsageError('--slack-upload needs --slack-channel and SLACK_BOT_TOKEN: incoming webhooks cannot upload files');
  }
  if (settings.report_url) checkReportUrl(settings.report_url);
  let previous: StatusCode | undefined;
  if (when === 'change') {
    const earlier = ctx.previous ? await readReportFile(ctx.previous) : ctx.history && (await newestEarlier(ctx.history));
    if (earlier) previous = earlier.status.code;
  }
  const timeoutMs = settings.timeout * 1000;
  const { io } = ctx;
  return {
    async send(report, run) {
      const url = settings.report_url && renderReportUrl(settings.report_url, { monitor: run.monitor, path: run.dir, timestamp: report.run.started_at });
      // Without a URL the message names the file to open: the HTML page when there is one.
      const path = run.files.find((f) => extname(f) === '.html') ?? run.files.find((f) => extname(f) === '.json') ?? run.dir;
      const summary = summarize(report, run.monitor, url || undefined, path);
      const skip = notDue(when, report, previous);
      if (skip) {
        if (!ctx.quiet) io.stdout(`Slack: not sent (${skip})\n`);
        return;
      }
      const files = settings.upload ? await uploadable(run.files, io) : [];
      const debug = ctx.debug ? (line: string) => io.stderr(`mlobs: debug: ${printable(line, PRINTED_MESSAGE_MAX)}\n`) : undefined;
      try {
        // The Slack client loads only when a message goes out: it costs every other run ~60 ms of start-up.
        const { deliver } = await import('./deliver.js');
        const where = await deliver(target, buildMessage(summary), { timeoutMs, files, debug, clock: io.clock });
        if (!ctx.quiet) io.stdout(`Slack: posted ${printable(where)}\n`);
      } catch (e) {
        if (!(e instanceof NotifyError) || !settings.optional) throw e;
        io.stderr(`mlobs: warning: Slack notification failed (--notify-optional): ${printable(e.message, PRINTED_MESSAGE_MAX)}\n`);
      }
    },
  };
}
