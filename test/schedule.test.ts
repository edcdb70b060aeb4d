import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { parseCron } from '../src/schedule/cron.js';
import type { Clock } from '../src/clock.js';
import { runSchedule, type RunLog, type RunOutcome } from '../src/schedule/loop.js';

const next = (expr: string, after: string) => parseCron(expr).next(new Date(after)).toISOString();

describe('cron expressions (UTC)', () => {
  it('five fields: steps, ranges, lists, names', () => {
    expect(next('*/15 * * * *', '2026-11-26T09:07:30Z')).toBe('2026-11-26T09:15:00.000Z');
    expect(next('23 6 * * *', '2026-11-26T06:23:00Z')).toBe('2026-11-27T06:23:00.000Z');
    expect(next('5/20 * * * *', '2026-11-26T09:26:00Z')).toBe('2026-11-26T09:45:00.000Z');
    expect(next('0 9,17 * * *', '2026-11-26T09:00:00Z')).toBe('2026-11-26T17:00:00.000Z');
    expect(next('0 9 * * mon-fri', '2026-11-28T10:00:00Z')).toBe('2026-11-30T09:00:00.000Z'); // Saturday → Monday
    expect(next('0 0 1 JAN *', '2026-11-26T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('30 2 1-7/3 * *', '2026-11-26T00:00:00Z')).toBe('2026-12-01T02:30:00.000Z');
  });

  it('six fields: seconds first', () => {
    expect(next('* * * * * *', '2026-11-26T09:00:00.400Z')).toBe('2026-11-26T09:00:01.000Z');
    expect(next('*/10 * * * * *', '2026-11-26T09:00:41Z')).toBe('2026-11-26T09:00:50.000Z');
    expect(next('15 0 0 * * *', '2026-11-26T23:59:59Z')).toBe('2026-11-27T00:00:15.000Z');
  });

  it('Sunday is 0 or 7; days of month and week: either matches when both are set, both when one is a star', () => {
    expect(next('0 0 * * 7', '2026-11-26T00:00:00Z')).toBe(next('0 0 * * 0', '2026-11-26T00:00:00Z'));
    expect(next('0 0 * * sun', '2026-11-26T00:00:00Z')).toBe('2026-11-29T00:00:00.000Z');
    // 13th or a Friday: Friday 27 November comes first.
    expect(next('0 0 13 * fri', '2026-11-26T00:00:00Z')).toBe('2026-11-27T00:00:00.000Z');
    // Odd days that are Mondays (the star-led day-of-month makes it "and").
    expect(next('0 0 */2 * mon', '2026-11-26T00:00:00Z')).toBe('2026-12-07T00:00:00.000Z');
  });

  it('month and year boundaries, and February 29', () => {
    expect(next('0 0 1 * *', '2026-12-15T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
    expect(next('0 0 31 * *', '2026-11-26T00:00:00Z')).toBe('2026-12-31T00:00:00.000Z');
    expect(next('0 0 29 2 *', '2026-11-26T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
  });

  it('mistakes are usage errors that say which field', () => {
    const cases: [string, RegExp][] = [
      ['* * * *', /expected 5 fields .* got 4/],
      ['60 * * * *', /minute "60": 60 is outside 0-59/],
      ['0 24 * * *', /hour "24"/],
      ['0 0 0 * *', /day of month "0"/],
      ['0 0 * 13 *', /month "13"/],
      ['0 0 * * 8', /day of week "8"/],
      ['5-1 * * * *', /runs backwards/],
      ['*/0 * * * *', /step "0"/],
      ['x * * * *', /"x" is not a number/],
      ['0 0 * foo *', /"foo" is not a number or name/],
      ['1-2-3 * * * *', /cannot read/],
      ['0 0 30 2 *', /never matches/],
    ];
    for (const [expr, message] of cases) {
      expect(() => parseCron(expr), expr).toThrow(UsageError);
      expect(() => parseCron(expr), expr).toThrow(message);
    }
  });
});

/** A virtual clock: sleeping moves time forward at once, so the loop's timing is tested without waiting. */
function virtualClock(start = Date.UTC(2026, 0, 1, 12, 0, 0, 250)): Clock & { advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    sleep: async (ms, signal) => {
      signal?.throwIfAborted();
      time += ms;
    },
    advance: (ms) => void (time += ms),
  };
}

describe('the schedule loop', () => {
  it('runs never overlap, a failing run does not stop it, and stopping lets the current run finish', async () => {
    const stop = new AbortController();
    const clock = virtualClock();
    const logs: RunLog[] = [];
    let active = 0;
    let most = 0;
    const starts: number[] = [];
    const outcomes: RunOutcome[] = [{ code: 0 }, { code: 2, message: 'error: missing file' }, { code: 0 }];
    const done = runSchedule({
      cron: parseCron('* * * * * *'),
      stop: stop.signal,
      clock,
      log: (e) => logs.push(e),
      runOnce: async () => {
        starts.push(clock.now());
        active += 1;
        most = Math.max(most, active);
        try {
          if (starts.length === 1) throw new Error('boom');
          // Longer than the one-second interval: the times that pass meanwhile are skipped, not queued.
          await Promise.resolve();
          clock.advance(1300);
          if (starts.length === 3) stop.abort();
          return outcomes[starts.length - 1];
        } finally {
          active -= 1;
        }
      },
    });
    await done;
    expect(most).toBe(1);
    expect(starts).toHaveLength(3);
    // Each run starts on a whole second; the one after a 1.3 s run skips the second that passed meanwhile.
    expect(starts.map((t) => t % 1000)).toEqual([0, 0, 0]);
    expect(starts[1] - starts[0]).toBe(1000);
    expect(starts[2] - starts[1]).toBe(2000);
    expect(logs.map((l) => [l.status, l.exit_code])).toEqual([['internal', 70], ['usage', 2], ['ok', 0]]);
    expect(logs[0].message).toBe('boom');
    expect(logs[1].duration_s).toBe(1.3);
    for (const l of logs) {
      expect(new Date(l.next).getTime()).toBeGreaterThan(new Date(l.scheduled).getTime());
      expect(new Date(l.scheduled).getUTCMilliseconds()).toBe(0);
    }
  });

  it('stopping while waiting returns at once, without a run', async () => {
    const stop = new AbortController();
    let ran = false;
    // A clock whose timers never fire: only the abort can end the wait.
    const clock: Clock = {
      now: () => 0,
      sleep: (_ms, signal) => new Promise((_, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted')))),
    };
    const done = runSchedule({ cron: parseCron('0 0 1 1 *'), stop: stop.signal, clock, log: () => undefined, runOnce: async () => ((ran = true), { code: 0 }) });
    stop.abort();
    await done;
    expect(ran).toBe(false);
  });
});
