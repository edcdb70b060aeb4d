import { basename } from 'node:path';
import {
  LogLevel,
  SlackError,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  type Logger,
} from '@slack/web-api';
import { realClock, type Clock } from '../clock.js';
import { NotifyError } from '../errors.js';
import { printable } from '../printable.js';
import type { SlackMessage } from './message.js';

/** Where a message goes: a channel through the Web API with a bot token, or an incoming webhook's own channel. */
export type Target = { kind: 'bot'; token: string; channel: string; apiUrl?: string } | { kind: 'webhook'; url: string };

export interface DeliveryOptions {
  /** Cap on the whole delivery, retries and waits included: a scheduled job must not hang on Slack. */
  timeoutMs: number;
  /** Uploaded into the message's thread (bot token only). */
  files: string[];
  debug?: (line: string) => void;
  clock?: Clock;
}

/**
 * Our own bounded policy rather than the client's: its default retries for about 30 minutes, and it sleeps
 * out any Retry-After however long. Here every wait must fit in the caller's time budget.
 */
const MAX_ATTEMPTS = 5;
const FIRST_BACKOFF_MS = 1000;
const REQUEST_TIMEOUT_MS = 10_000;

/** One failed attempt: what to tell the user, whether another attempt may succeed, or whether no attempt ever can (credentials). */
class Failure extends Error {
  constructor(
    message: string,
    readonly transient: boolean | 'bad credentials',
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

/** A server's error code as mlobs prints it: Slack's codes are short snake_case words; anything else is shown escaped and cut. */
function serverCode(text: string): string {
  return /^[a-z0-9_.]{1,64}$/.test(text) ? text : printable(text, 64);
}

/** Replaces the token and webhook URL (and anything shaped like a Slack secret) in text bound for a terminal or log. */
export function redactor(target: Target): (text: string) => string {
  const url = target.kind === 'webhook' ? new URL(target.url) : undefined;
  // Every part of a webhook URL that could be its secret, alone too: a server may echo just one of them.
  const parts = url ? [url.pathname, url.search, ...[...url.pathname.split('/'), ...url.searchParams.values()].filter((p) => p.length > 8)] : [];
  const secrets = target.kind === 'bot' ? [target.token] : [target.url, ...parts];
  const known = secrets.filter((s) => s.length >= 8).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of known) out = out.split(s).join('[redacted]');
    return out.replace(/xox[a-z]-[\w-]+/gi, '[redacted]').replace(/\/services\/[\w/]+/g, '/services/[redacted]');
  };
}

function networkReason(e: unknown): string {
  const err = e as (Error & { cause?: { code?: string } }) | undefined;
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  return err?.cause?.code ?? err?.message ?? String(e);
}

const TRANSIENT_PLATFORM_ERRORS = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);
const AUTH_ERRORS = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type']);

function webApiFailure(e: SlackError, channel: string): Failure {
  if (e instanceof WebAPIRateLimitedError) return new Failure(`Slack rate-limited the request (Retry-After: ${e.retryAfter} s)`, true, e.retryAfter);
  if (e instanceof WebAPIRequestError) return new Failure(`cannot reach the Slack API (${networkReason(e.original)})`, true);
  if (e instanceof WebAPIHTTPError) {
    return new Failure(`the Slack API answered HTTP ${e.statusCode}`, e.statusCode >= 500 || e.statusCode === 408);
  }
  if (e instanceof WebAPIPlatformError) {
    const code = e.data.error;
    if (AUTH_ERRORS.has(code)) return new Failure(`Slack rejected SLACK_BOT_TOKEN (${code})`, 'bad credentials');
    if (code === 'channel_not_found') {
      return new Failure(`Slack channel "${channel}" not found (channel_not_found): check --slack-channel; a private channel must invite the app`, false);
    }
    if (code === 'not_in_channel') return new Failure(`the Slack app is not in channel "${channel}" (not_in_channel): invite it to the channel`, false);
    if (code === 'missing_scope') {
      const needed = (e.data as { needed?: string }).needed;
      return new Failure(`SLACK_BOT_TOKEN lacks a scope${needed ? ` (needs ${needed})` : ''} (missing_scope)`, false);
    }
    return new Failure(`the Slack API refused the request (${serverCode(String(code))})`, TRANSIENT_PLATFORM_ERRORS.has(code));
  }
  return new Failure(`the Slack client failed: ${printable(e.message, 200)}`, false);
}

const WEBHOOK_GONE = new Set(['invalid_token', 'no_service', 'no_team', 'team_disabled', 'no_active_hooks']);
const WEBHOOK_CHANNEL = new Set(['channel_not_found', 'channel_is_archived', 'action_prohibited', 'posting_to_general_channel_denied']);

function retryAfterSeconds(header: string | null): number | undefined {
  const s = header === null ? NaN : Number.parseInt(header, 10);
  return Number.isFinite(s) && s >= 0 ? s : undefined;
}

async function postWebhook(url: string, message: SlackMessage, timeoutMs: number): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(message),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new Failure(`cannot reach the Slack webhook (${networkReason(e)})`, true);
  }
  const code = serverCode((await res.text().catch(() => '')).trim().split('\n')[0].slice(0, 200));
  if (res.ok) return;
  if (res.status === 429) {
    const after = retryAfterSeconds(res.headers.get('retry-after'));
    throw new Failure(`Slack rate-limited the webhook${after === undefined ? '' : ` (Retry-After: ${after} s)`}`, true, after);
  }
  if (WEBHOOK_GONE.has(code)) throw new Failure(`Slack rejected SLACK_WEBHOOK_URL (${code}): the webhook was removed or the URL is wrong`, 'bad credentials');
  if (WEBHOOK_CHANNEL.has(code)) throw new Failure(`the incoming webhook cannot post to its channel (${code})`, false);
  throw new Failure(`the Slack webhook answered HTTP ${res.status}${code ? ` (${code})` : ''}`, res.status >= 500 || res.status === 408);
}

interface Budget {
  clock: Clock;
  deadline: number;
  seconds: number;
  say: (line: string) => void;
}

/** Runs `attempt` until it succeeds, fails for good, runs out of attempts, or the next wait would pass the deadline. */
async function withRetries<T>(budget: Budget, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(Math.max(1, Math.min(REQUEST_TIMEOUT_MS, budget.deadline - budget.clock.now())));
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      const tries = n > 1 ? ` (${n} attempts)` : '';
      if (e.transient !== true || n >= MAX_ATTEMPTS) throw new NotifyError(`${e.message}${tries}`, e.transient === 'bad credentials');
      const waitMs = e.retryAfterS !== undefined ? e.retryAfterS * 1000 : FIRST_BACKOFF_MS * 2 ** (n - 1);
      if (budget.clock.now() + waitMs >= budget.deadline) {
        throw new NotifyError(`${e.message}${tries}; giving up: another attempt would pass the ${budget.seconds} s notification timeout`);
      }
      budget.say(`${e.message}; attempt ${n + 1} in ${waitMs / 1000} s`);
      await budget.clock.sleep(waitMs);
    }
  }
}

/** The client's own log lines, only with --debug (they carry no secrets: it redacts tokens, and so do we). */
function clientLogger(say: (line: string) => void): Logger {
  const log = (...msg: unknown[]) => say(`client: ${msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ')}`);
  return { debug: log, info: log, warn: log, error: log, setLevel: () => undefined, getLevel: () => LogLevel.DEBUG, setName: () => undefined };
}

/** Posts the message (then uploads `files` into its thread) and says where it went. Failures are NotifyErrors. */
export async function deliver(target: Target, message: SlackMessage, options: DeliveryOptions): Promise<string> {
  const redact = redactor(target);
  const say = (line: string) => options.debug?.(redact(`slack: ${line}`));
  const clock = options.clock ?? realClock;
  const budget: Budget = { clock, deadline: clock.now() + options.timeoutMs, seconds: options.timeoutMs / 1000, say };
  try {
    if (target.kind === 'webhook') {
      await withRetries(budget, (t) => postWebhook(target.url, message, t));
      return 'through the incoming webhook';
    }
    const client = (timeout: number) =>
      new WebClient(target.token, {
        ...(target.apiUrl ? { slackApiUrl: target.apiUrl } : {}),
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        timeout,
        logger: clientLogger(say),
      });
    const call = async <T>(run: (c: WebClient) => Promise<T>) =>
      withRetries(budget, async (t) => {
        try {
          return await run(client(t));
        } catch (e) {
          throw e instanceof SlackError ? webApiFailure(e, target.channel) : e;
        }
      });
    const posted = await call((c) => c.chat.postMessage({ channel: target.channel, ...message, unfurl_links: false, unfurl_media: false }));
    const where = `to ${target.channel}`;
    if (options.files.length === 0) return where;
    const names = options.files.map((f) => basename(f));
    try {
      await call((c) =>
        c.filesUploadV2({
          // files.completeUploadExternal wants the channel id, which chat.postMessage answers with.
          channel_id: posted.channel!,
          thread_ts: posted.ts!,
          file_uploads: options.files.map((file, i) => ({ file, filename: names[i] })),
        }),
      );
    } catch (e) {
      if (e instanceof NotifyError) throw new NotifyError(`the summary was posted ${where}, but uploading ${names.join(', ')} failed: ${e.message}`, e.badCredentials);
      throw e;
    }
    return `${where} with ${names.join(', ')}`;
  } catch (e) {
    // Whatever goes up from here may be printed, stack and all, with --debug.
    if (e instanceof Error) {
      e.message = redact(e.message);
      if (e.stack) e.stack = redact(e.stack);
    }
    throw e;
  }
}
