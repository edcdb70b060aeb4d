import type { ModelQuality } from './model.js';

type Task = ModelQuality['task'];
type RegressionSide = NonNullable<NonNullable<ModelQuality['regression']>['reference']>;
type ClassificationSide = NonNullable<NonNullable<ModelQuality['classification']>['reference']>;

export interface ModelMetric<K extends string = string> {
  /** The field of the report's `model_quality.<task>.<side>`, and the `metric` label in Prometheus. */
  key: K;
  task: Task;
  /** Long label (HTML table); `short` is for one-line summaries (terminal, Slack). */
  label: string;
  short: string;
  /** `percent`: the report holds 0-100, Prometheus exports a ratio 0-1 (conventions D2). */
  unit: 'ratio' | 'percent' | 'target';
  /** Which way is better; null for a signed error, where neither is. */
  better: 'higher' | 'lower' | null;
  /** Position in one-line summaries (1 first); absent: not a headline metric. */
  headline?: number;
  /** Exported as `mlobs_model_quality{metric="<key>"}`. */
  prometheus: boolean;
  /** `MlobsModelQualityDrop` (deploy/) fires when it is 10 % worse than on the reference. */
  alert: boolean;
}

/**
 * Every model-quality metric mlobs shows, in the HTML table's order (the first of a task is the HTML verdict's
 * headline, what Evidently leads with). The HTML, terminal, Slack, Prometheus, suite conditions, docs and the
 * alert rule all read it; test/metrics.test.ts fails when a copy reappears.
 */
export const MODEL_METRICS = [
  {
    key: 'accuracy',
    task: 'classification',
    label: 'Accuracy',
    short: 'Accuracy',
    unit: 'ratio',
    better: 'higher',
    headline: 1,
    prometheus: true,
    alert: true,
  },
  {
    key: 'precision',
    task: 'classification',
    label: 'Precision',
    short: 'Precision',
    unit: 'ratio',
    better: 'higher',
    headline: 2,
    prometheus: true,
    alert: true,
  },
  { key: 'recall', task: 'classification', label: 'Recall', short: 'Recall', unit: 'ratio', better: 'higher', headline: 3, prometheus: true, alert: true },
  { key: 'f1', task: 'classification', label: 'F1', short: 'F1', unit: 'ratio', better: 'higher', headline: 4, prometheus: true, alert: true },
  { key: 'roc_auc', task: 'classification', label: 'ROC AUC', short: 'ROC AUC', unit: 'ratio', better: 'higher', headline: 5, prometheus: true, alert: true },
  { key: 'log_loss', task: 'classification', label: 'Log loss', short: 'Log loss', unit: 'ratio', better: 'lower', headline: 6, prometheus: true, alert: true },
  { key: 'tpr', task: 'classification', label: 'True positive rate', short: 'TPR', unit: 'ratio', better: 'higher', prometheus: true, alert: true },
  { key: 'tnr', task: 'classification', label: 'True negative rate', short: 'TNR', unit: 'ratio', better: 'higher', prometheus: true, alert: true },
  // Often 0 on the reference, where any change is "10 % worse": shown, exported, not alerted on.
  { key: 'fpr', task: 'classification', label: 'False positive rate', short: 'FPR', unit: 'ratio', better: 'lower', prometheus: true, alert: false },
  { key: 'fnr', task: 'classification', label: 'False negative rate', short: 'FNR', unit: 'ratio', better: 'lower', prometheus: true, alert: false },
  {
    key: 'mean_abs_error',
    task: 'regression',
    label: 'Mean absolute error (MAE)',
    short: 'MAE',
    unit: 'target',
    better: 'lower',
    headline: 2,
    prometheus: true,
    alert: true,
  },
  {
    key: 'rmse',
    task: 'regression',
    label: 'Root mean square error (RMSE)',
    short: 'RMSE',
    unit: 'target',
    better: 'lower',
    headline: 1,
    prometheus: true,
    alert: true,
  },
  {
    key: 'mean_error',
    task: 'regression',
    label: 'Mean error (ME), prediction − target',
    short: 'Mean error',
    unit: 'target',
    better: null,
    headline: 4,
    prometheus: true,
    alert: false,
  },
  {
    key: 'mean_abs_perc_error',
    task: 'regression',
    label: 'Mean absolute percentage error (MAPE, %)',
    short: 'MAPE (%)',
    unit: 'percent',
    better: 'lower',
    headline: 3,
    prometheus: true,
    alert: true,
  },
  { key: 'r2_score', task: 'regression', label: 'R²', short: 'R²', unit: 'ratio', better: 'higher', headline: 5, prometheus: true, alert: true },
  {
    key: 'abs_error_max',
    task: 'regression',
    label: 'Largest absolute error',
    short: 'Max abs error',
    unit: 'target',
    better: 'lower',
    prometheus: true,
    alert: false,
  },
  {
    key: 'error_std',
    task: 'regression',
    label: 'Error standard deviation',
    short: 'Error std',
    unit: 'target',
    better: 'lower',
    prometheus: true,
    alert: false,
  },
  {
    key: 'abs_error_std',
    task: 'regression',
    label: 'Absolute error standard deviation',
    short: 'Abs error std',
    unit: 'target',
    better: 'lower',
    prometheus: false,
    alert: false,
  },
] as const satisfies readonly ModelMetric<keyof RegressionSide | keyof ClassificationSide>[];

export type MetricKey = (typeof MODEL_METRICS)[number]['key'];
export type MetricKeyOf<T extends Task> = Extract<(typeof MODEL_METRICS)[number], { task: T }>['key'];

export function metricsOf(task: Task): ModelMetric<MetricKey>[] {
  return MODEL_METRICS.filter((m) => m.task === task);
}

export function metric(key: MetricKey): ModelMetric<MetricKey> {
  return MODEL_METRICS.find((m) => m.key === key)!;
}

/** The metrics of one-line summaries, in headline order. */
export function headlineMetrics(task: Task): ModelMetric<MetricKey>[] {
  return metricsOf(task)
    .filter((m) => m.headline !== undefined)
    .sort((a, b) => a.headline! - b.headline!);
}
