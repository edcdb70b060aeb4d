import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';

/** What the fake answers one request with; JSON bodies for the Web API, text for webhooks and uploads. */
export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  json?: unknown;
  text?: string;
  /** Hold the answer this long (a hung Slack). */
  delayMs?: number;
}

export interface Recorded {
  path: string;
  /** Authorization header as received (tests check the token travels only there). */
  authorization?: string;
  contentType?: string;
  /** Form fields (JSON-valued ones decoded) or the JSON body; raw text for anything else. */
  body: Record<string, unknown> | string;
  bytes: number;
}

export const CHANNEL_ID = 'C0FAKE00001';
export const MESSAGE_TS = '1764149400.000100';
export const WEBHOOK_PATH = '/services/T0FAKE/B0FAKE/fakeWebhookSecret123';

function decode(req: IncomingMessage, raw: Buffer): Recorded['body'] {
  const type = req.headers['content-type'] ?? '';
  const text = raw.toString('utf8');
  if (type.startsWith('application/json')) return JSON.parse(text) as Record<string, unknown>;
  if (type.startsWith('application/x-www-form-urlencoded')) {
    const fields = parseQuery(text) as Record<string, string>;
    return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, /^[[{]/.test(v) ? JSON.parse(v) : v]));
  }
  return text;
}

/**
 * A Slack stand-in on 127.0.0.1 (random free port): the Web API methods mlobs calls, the upload URLs that
 * files.getUploadURLExternal hands out, and an incoming webhook. Every request is recorded; replies can
 * be scripted per path, first in first out, before falling back to Slack's success answer.
 */
export class FakeSlack {
  readonly requests: Recorded[] = [];
  private readonly scripts = new Map<string, FakeReply[]>();
  private server?: Server;
  private uploads = 0;
  url = '';

  get apiUrl(): string {
    return `${this.url}/api/`;
  }
  get webhookUrl(): string {
    return `${this.url}${WEBHOOK_PATH}`;
  }

  /** Replies for the next requests to `path` (`/api/chat.postMessage`, WEBHOOK_PATH, ...). */
  script(path: string, ...replies: FakeReply[]): this {
    this.scripts.set(path, [...(this.scripts.get(path) ?? []), ...replies]);
    return this;
  }

  calls(path: string): Recorded[] {
    return this.requests.filter((r) => r.path === path);
  }

  reset(): void {
    this.requests.length = 0;
    this.scripts.clear();
  }

  private success(path: string): FakeReply {
    if (path === '/api/chat.postMessage') return { json: { ok: true, channel: CHANNEL_ID, ts: MESSAGE_TS } };
    if (path === '/api/files.getUploadURLExternal') {
      this.uploads += 1;
      return { json: { ok: true, upload_url: `${this.url}/upload/${this.uploads}`, file_id: `F0FAKE${this.uploads}` } };
    }
    if (path === '/api/files.completeUploadExternal') return { json: { ok: true, files: [] } };
    if (path.startsWith('/upload/')) return { text: 'OK' };
    if (path === WEBHOOK_PATH) return { text: 'ok' };
    return { status: 404, text: 'no such path in the fake' };
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const path = (req.url ?? '/').split('?')[0];
        this.requests.push({ path, authorization: req.headers.authorization, contentType: req.headers['content-type'], body: decode(req, raw), bytes: raw.length });
        const reply = this.scripts.get(path)?.shift() ?? this.success(path);
        const send = () => {
          const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
          const type = reply.json !== undefined ? 'application/json; charset=utf-8' : 'text/plain';
          res.writeHead(reply.status ?? 200, { 'content-type': type, ...reply.headers }).end(body);
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
