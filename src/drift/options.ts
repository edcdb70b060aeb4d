import type { Correction } from './correction.js';

/** Drift settings after flags and config are merged (spec §1.2 precedence is applied per column). */
export interface DriftOptions {
  stattest?: string;
  stattestThreshold?: number;
  numStattest?: string;
  catStattest?: string;
  numStattestThreshold?: number;
  catStattestThreshold?: number;
  perColumnStattest: Record<string, string>;
  perColumnThreshold: Record<string, number>;
  /** Dataset drift is detected when the drifted share is at least this (inclusive, as Evidently). */
  driftShare: number;
  /** Multiple-testing correction across the p-value columns; none when unset. */
  correction?: Correction;
  /** Column → why its rows are not in their original order (pushdown): tests that permute rows must not run. */
  unordered?: Record<string, string>;
}
