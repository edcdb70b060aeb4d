import { realClock, type Clock } from '../clock.js';
import { ExitCode } from '../errors.js';
import type { StatusCode } from '../report/model.js';
import type { Cron } from './cron.js';

export interface RunOutcome {
  code: ExitCode;
  /** The worst run status of the run's monitors (src/report/status.ts); `error` when no report was written. */
  runStatus?: StatusCode;
  /** What the run said on stderr (errors, warnings), if anything. */
  message?: string;
}

export interface RunLog {
  time: string;
  event: 'run';
  /** The cron time this run was for. */
  scheduled: string;
  /** ExitCode's name for the run's exit code: ok, gateFailed, usage, output, notify, internal. */
  status: string;
  exit_code: number;
  /** The run status word's code, as report.json, the HTML, Slack and the mlobs_run_status gauge have it. */
  run_status: StatusCode;
  duration_s: number;
  next: string;
  message?: string;
}

export interface ScheduleOptions {
  cron: Cron;
  runOnce: () => Promise<RunOutcome>;
  log: (entry: RunLog) => void;
  /** Aborting lets the current run finish, then the loop returns. */
  stop: AbortSignal;
  /** Time and timers; tests pass a virtual clock so they never wait on the real one. */
  clock?: Clock;
}

/** setTimeout holds at most 2^31-1 ms (24.8 days); a monthly or yearly schedule waits in such steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Waits until `at`; false when stopped first. */
async function waitUntil(at: number, stop: AbortSignal, clock: Clock): Promise<boolean> {
  for (let left = at - clock.now(); left > 0; left = at - clock.now()) {
    try {
      await clock.sleep(Math.min(left, MAX_TIMER_MS), stop);
    } catch {
      return false;
    }
  }
  return !stop.aborted;
}

const statusName = (code: number): string => Object.entries(ExitCode).find(([, v]) => v === code)?.[0] ?? `exit ${code}`;

/**
 * Runs `runOnce` at every cron time until stopped. Runs never overlap: the next time is taken after a run
 * ends, so times that pass during a long run are skipped, not queued. A failed run is logged like any other.
 */
export async function runSchedule({ cron, runOnce, log, stop, clock = realClock }: ScheduleOptions): Promise<void> {
  let last = 0;
  while (!stop.aborted) {
    // Never the same cron time twice, even if a timer fires a hair early and the run is instant.
    const due = cron.next(new Date(Math.max(clock.now(), last))).getTime();
    if (!(await waitUntil(due, stop, clock))) return;
    last = due;
    const started = clock.now();
    const outcome = await runOnce().catch((e: Error): RunOutcome => ({ code: ExitCode.internal, message: String(e?.message ?? e) }));
    const finished = new Date(clock.now());
    log({
      time: finished.toISOString(),
      event: 'run',
      scheduled: new Date(due).toISOString(),
      status: statusName(outcome.code),
      exit_code: outcome.code,
      run_status: outcome.runStatus ?? 'error',
      duration_s: (finished.getTime() - started) / 1000,
      next: cron.next(new Date(Math.max(finished.getTime(), due))).toISOString(),
      ...(outcome.message ? { message: outcome.message } : {}),
    });
  }
}
