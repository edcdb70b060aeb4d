import { createHash } from 'node:crypto';

/**
 * Text that comes from files, flags or servers (column names, labels, paths, server errors) made safe to
 * print as part of one terminal line: a control character could move the cursor, clear the screen or fake a
 * verdict, and a newline would start a line of its own, which CI runners such as GitHub Actions read as a
 * workflow command (`::error ...`).
 */

/** Longest label or name printed whole; the report files keep the full value. */
export const PRINTED_LABEL_MAX = 200;

/** Longest message (an error, a warning, a server's reply) printed whole. */
export const PRINTED_MESSAGE_MAX = 2000;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u001b': '\\e' };

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional overrides that
// make text display in another order than it reads.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** One unsafe character anywhere in a line: what `printable` escapes (the standing guard in test/hardening.test.ts). */
export const UNSAFE_CHARACTER = new RegExp(UNSAFE.source);

const escape = (c: string) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `text` with every unsafe character shown as an escape and, past `max` characters, cut with its length. */
export function printable(text: string, max = PRINTED_LABEL_MAX): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return cut.replace(UNSAFE, escape);
}

/** A JSON line: JSON.stringify escapes C0 controls but leaves DEL, C1 and the separators raw. */
export function printableJson(value: unknown): string {
  return JSON.stringify(value).replace(UNSAFE, escape);
}

// mlobs' own colours are the only escape sequences it writes.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_OUTPUT = /\u001b(?!\[[0-9;]*m)|[\u0000-\u0009\u000b-\u001a\u001c-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * The last guard before the terminal, for text the call sites missed: every control character but the
 * newline and mlobs' colour codes escaped. Newlines in data must be escaped where the data is inserted.
 */
export function printableOutput(text: string): string {
  return text.replace(UNSAFE_OUTPUT, escape);
}

/**
 * A label for a file that other programs index (Prometheus series): whole up to `max` characters, else its
 * start, its length and a hash, so two long labels that share a start stay two series.
 */
// Already capped (a label read back from a file mlobs wrote): capping again would change the series.
const CAPPED = /…\[\d+ characters, sha256 [0-9a-f]{12}\]$/;

export function capLabel(label: string, max: number): string {
  if (label.length <= max || (label.length <= max + 80 && CAPPED.test(label))) return label;
  const hash = createHash('sha256').update(label).digest('hex').slice(0, 12);
  return `${label.slice(0, max)}…[${label.length} characters, sha256 ${hash}]`;
}
