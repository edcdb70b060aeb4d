import { setTimeout as sleep } from 'node:timers/promises';

/** Time and timers, injectable: tests pass a virtual clock so that waits (schedule, Slack retries) cost no real time. */
export interface Clock {
  now(): number;
  /** Resolves after `ms`, rejects when `signal` aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: Date.now, sleep: (ms, signal) => sleep(ms, undefined, { signal }) };
