import { UsageError } from '../errors.js';

/**
 * How the current data is cut into windows: calendar periods in UTC (hours, days, weeks, months), or runs of
 * a fixed number of rows in file order.
 */
export type WindowSpec = { kind: 'calendar'; unit: 'h' | 'd' | 'mo'; n: number; text: string } | { kind: 'rows'; n: number; text: string };

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1970-01-01 was a Thursday; ISO weeks start on Monday, three days earlier. */
const MONDAY_OFFSET = -3 * DAY;

export const WINDOW_SPEC_HELP = 'use 1h, 6h, 1d, 7d, 1mo (calendar windows in UTC) or a row count such as 10000rows';

export function parseWindowSpec(text: string): WindowSpec {
  const m = /^\s*(\d+)\s*(h|d|w|mo|rows)\s*$/.exec(text);
  const n = m ? Number(m[1]) : 0;
  if (!m || n < 1) throw new UsageError(`--window "${text}" is not a window size: ${WINDOW_SPEC_HELP}`);
  const unit = m[2];
  if (unit === 'rows') return { kind: 'rows', n, text: `${n}rows` };
  if (unit === 'w') return { kind: 'calendar', unit: 'd', n: 7 * n, text: `${7 * n}d` };
  // Hour windows that do not divide a day would start at a different hour each day.
  if (unit === 'h' && 24 % n !== 0) throw new UsageError(`--window "${text}": an hour window must divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h, 24h)`);
  return { kind: 'calendar', unit: unit as 'h' | 'd', n, text: `${n}${unit}` };
}

/**
 * The start of the calendar window holding `t` (UTC milliseconds). Hour windows start at midnight plus a
 * multiple of the window, 7-day windows on Mondays (ISO weeks), other day windows every n days from the Unix
 * epoch, month windows on the first of every n-th month counted from January.
 */
export function windowStart(spec: Extract<WindowSpec, { kind: 'calendar' }>, t: number): number {
  if (spec.unit === 'h') return Math.floor(t / (spec.n * HOUR)) * spec.n * HOUR;
  if (spec.unit === 'd') {
    const offset = spec.n % 7 === 0 ? MONDAY_OFFSET : 0;
    return Math.floor((t - offset) / (spec.n * DAY)) * spec.n * DAY + offset;
  }
  const d = new Date(t);
  const month = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const first = Math.floor(month / spec.n) * spec.n;
  return Date.UTC(Math.floor(first / 12), first % 12, 1);
}

/** The start of the window after the one starting at `start`. */
export function windowEnd(spec: Extract<WindowSpec, { kind: 'calendar' }>, start: number): number {
  if (spec.unit === 'h') return start + spec.n * HOUR;
  if (spec.unit === 'd') return start + spec.n * DAY;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + spec.n, 1);
}

/**
 * ISO 8601 dates and date-times (`2026-12-01`, `2026-12-01T06:30`, `2026-12-01 06:30:15.250Z`,
 * `...+01:00`) to UTC milliseconds; a time without an offset is UTC. NaN for anything else.
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

export function parseTimestamp(text: string): number {
  const m = ISO.exec(text.trim());
  if (!m) return NaN;
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7);
  const fraction = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  const month = Number(mo) - 1;
  if (month > 11 || Number(d) < 1 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return NaN;
  let t = Date.UTC(Number(y), month, Number(d), Number(h), Number(mi), Number(s), fraction);
  // Date.UTC rolls 2026-02-30 over into March; a calendar date that does not exist is not a timestamp.
  if (new Date(t).getUTCDate() !== Number(d)) return NaN;
  const zone = m[8];
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * HOUR + Number(digits.slice(2)) * 60_000);
  }
  return t;
}

/** `START..END`: the reference period, START included, END excluded (dates or date-times, UTC). */
export function parseRange(text: string): { start: number; end: number; text: string } {
  const parts = text.split('..');
  const [start, end] = parts.map(parseTimestamp);
  if (parts.length !== 2 || Number.isNaN(start) || Number.isNaN(end)) {
    throw new UsageError(`--reference-range "${text}" is not a period: use START..END with ISO dates or date-times, e.g. 2026-11-01..2026-11-15`);
  }
  if (!(start < end)) throw new UsageError(`--reference-range "${text}": the start must be before the end`);
  return { start, end, text };
}
