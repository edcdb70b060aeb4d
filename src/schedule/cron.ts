import { UsageError } from '../errors.js';

/**
 * Cron expressions as Vixie cron reads them, in UTC (as GitHub Actions does): five fields (minute hour
 * day-of-month month day-of-week), or six with seconds first. `*`, lists, ranges, steps (`*\/15`, `1-30/2`,
 * `5/10` = from 5 to the end by 10), month and weekday names, 0 or 7 for Sunday. When both day fields are
 * restricted a day matching either runs; when one starts with `*` (even `*\/2`) a day must match both.
 */
export interface Cron {
  /** The first matching second strictly after `after`. */
  next(after: Date): Date;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const SECOND: FieldSpec = { name: 'second', min: 0, max: 59 };
const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];
/** Feb 29 on a given weekday can be 28 years away; nothing valid is further. */
const SEARCH_YEARS = 29;

function parseField(text: string, spec: FieldSpec, expr: string): boolean[] {
  const bad = (why: string) => new UsageError(`cron expression "${expr}": ${spec.name} "${text}": ${why}`);
  const value = (s: string): number => {
    const named = spec.names?.indexOf(s.toLowerCase()) ?? -1;
    if (named >= 0) return named + (spec.name === 'month' ? 1 : 0);
    if (!/^\d+$/.test(s)) throw bad(`"${s}" is not a number${spec.names ? ' or name' : ''}`);
    const n = Number(s);
    if (n < spec.min || n > spec.max) throw bad(`${n} is outside ${spec.min}-${spec.max}`);
    return n;
  };
  const hits = new Array<boolean>(spec.max + 1).fill(false);
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') throw bad(`cannot read "${part}"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || stepText === '') throw bad(`step "${stepText}" must be a positive whole number`);
    let lo: number;
    let hi: number;
    if (range === '*') [lo, hi] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a, b, more] = range.split('-');
      if (more !== undefined) throw bad(`cannot read "${range}"`);
      [lo, hi] = [value(a), value(b)];
      if (lo > hi) throw bad(`range ${range} runs backwards`);
    } else [lo, hi] = [value(range), stepText === undefined ? value(range) : spec.max];
    for (let v = lo; v <= hi; v += step) hits[v] = true;
  }
  return hits;
}

export function parseCron(expr: string): Cron {
  const parts = expr.trim().split(/\s+/);
  if (parts.length !== 5 && parts.length !== 6) {
    throw new UsageError(`cron expression "${expr}": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (seconds first), got ${parts.length}`);
  }
  const [secondText, ...rest] = parts.length === 6 ? parts : ['0', ...parts];
  const second = parseField(secondText, SECOND, expr);
  const [minute, hour, dom, month, dowRaw] = rest.map((p, i) => parseField(p, FIELDS[i], expr));
  const dow = dowRaw.slice(0, 7);
  if (dowRaw[7]) dow[0] = true;
  const domAny = rest[2].startsWith('*');
  const dowAny = rest[4].startsWith('*');
  const dayMatches = (t: Date): boolean => {
    const byDom = dom[t.getUTCDate()];
    const byDow = dow[t.getUTCDay()];
    return domAny || dowAny ? byDom && byDow : byDom || byDow;
  };

  const next = (after: Date): Date => {
    let t = Math.floor(after.getTime() / 1000) * 1000 + 1000;
    const limit = after.getTime() + SEARCH_YEARS * 366 * 86_400_000;
    // Each miss jumps to the start of the next unit that could match, so a search takes a few hundred steps at most.
    while (t <= limit) {
      const d = new Date(t);
      const [y, mo, day, h, mi] = [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()];
      if (!month[mo + 1]) t = Date.UTC(y, mo + 1, 1);
      else if (!dayMatches(d)) t = Date.UTC(y, mo, day + 1);
      else if (!hour[h]) t = Date.UTC(y, mo, day, h + 1);
      else if (!minute[mi]) t = Date.UTC(y, mo, day, h, mi + 1);
      else if (!second[d.getUTCSeconds()]) t += 1000;
      else return d;
    }
    throw new UsageError(`cron expression "${expr}" never matches`);
  };
  next(new Date(0));
  return { next };
}
