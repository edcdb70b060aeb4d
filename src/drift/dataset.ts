import type { ColumnPlan } from '../data/typing.js';
import type { ColumnDrift, ColumnIssue, Report } from '../report/model.js';
import { ColumnDriftError, columnDrift } from './column.js';
import type { DriftOptions } from './options.js';
import { applyCorrection } from './correction.js';

const ROLE_ORDER: Record<string, number> = { target: 0, prediction: 1, feature: 2 };

/** The columns drift is computed for, in Evidently's order: target, prediction, numerical, categorical (each sorted). */
export function driftColumns(plans: ColumnPlan[]): ColumnPlan[] {
  return plans
    .filter((p) => (p.role === 'feature' || p.role === 'target' || p.role === 'prediction') && p.ref && p.cur && p.type !== 'datetime')
    .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || (a.type === b.type ? 0 : a.type === 'num' ? -1 : 1) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export type ColumnOutcome = { ok: true; drift: ColumnDrift } | { ok: false; issue: ColumnIssue };

/** One column's drift, or its error entry: a column that cannot be scored does not stop the others. */
export function scoreColumn(plan: ColumnPlan, options: DriftOptions): ColumnOutcome {
  try {
    if (plan.type === 'unknown') {
      throw new ColumnDriftError(plan.name, 'EmptyColumn', `column "${plan.name}" has no non-missing values in either file`);
    }
    return { ok: true, drift: columnDrift(plan, options) };
  } catch (e) {
    if (!(e instanceof ColumnDriftError)) throw e;
    return { ok: false, issue: { column: e.column, stage: 'drift', error_type: e.errorType, message: e.message } };
  }
}

/**
 * Dataset drift (spec §3) from per-column outcomes in column order. Unlike Evidently, a column that could
 * not be scored does not fail the whole metric: it is reported and left out of the share's denominator.
 */
export function summarizeDrift(outcomes: ColumnOutcome[], options: DriftOptions): { drift: Report['drift']; errors: ColumnIssue[] } {
  const scored = outcomes.flatMap((o) => (o.ok ? [o.drift] : []));
  const columns = options.correction ? applyCorrection(scored, options.correction) : scored;
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.issue]));
  const drifted = columns.filter((c) => c.drift_detected).length;
  const share = columns.length ? drifted / columns.length : 0;
  return {
    drift: {
      drift_share: options.driftShare,
      number_of_columns: columns.length,
      number_of_drifted_columns: drifted,
      share_of_drifted_columns: share,
      dataset_drift: columns.length > 0 && share >= options.driftShare,
      columns,
    },
    errors,
  };
}
