import type { Correction } from './correction.js';
import { UsageError } from '../errors.js';
import { originOf, type Origins } from '../origins.js';
import { didYouMean } from '../suggest.js';

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

/** A per-column setting for a column no file has is a typo; ignoring it would silently test the wrong way. */
export function checkPerColumnNames(drift: DriftOptions, names: Set<string>, origins: Origins | undefined): void {
  const settings = [
    ['drift.per_column_stattest', drift.perColumnStattest],
    ['drift.per_column_threshold', drift.perColumnThreshold],
  ] as const;
  for (const [path, map] of settings) {
    for (const name of Object.keys(map)) {
      if (!names.has(name)) throw new UsageError(`${originOf(origins, path)} names column "${name}", which is in neither file${didYouMean(name, names)}`);
    }
  }
}
