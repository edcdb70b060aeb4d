import type { SuiteReport, TestId, TestInstance } from './catalogue.js';

/** Evidently's test presets (spec §6.3), by mlobs' id. */
export const PRESETS = [
  'data_stability',
  'data_quality',
  'data_drift',
  'no_target_performance',
  'regression',
  'binary_classification',
  'multiclass_classification',
] as const;
export type PresetId = (typeof PRESETS)[number];

const ROLE_ORDER: Record<string, number> = { id: 0, datetime: 1, target: 2, prediction: 3, prediction_proba: 3, feature: 4 };

/** The columns the presets generate tests for, named the way Evidently's DataDefinition groups them. */
export function suiteColumns(report: SuiteReport) {
  const both = report.columns.filter((c) => c.in_reference && c.in_current && c.role !== 'ignored');
  const all = [...both].sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]);
  const features = both.filter((c) => c.role === 'feature');
  const scored = new Set([...report.drift.columns.map((c) => c.column), ...report.errors.map((e) => e.column)]);
  const target = both.find((c) => c.role === 'target' && scored.has(c.name));
  const prediction = both.find((c) => c.role === 'prediction' && scored.has(c.name));
  const classification = report.model_quality?.classification;
  // Evidently's DataDefinition takes a numerical prediction of a classification task for probabilities,
  // which get no drift test of their own.
  const predictedLabels = prediction && !(report.options.task === 'classification' && prediction.type === 'num') ? prediction : undefined;
  const supported = (side: 'reference' | 'current') => classification?.[side]?.by_class.filter((c) => c.support > 0).map((c) => c.label) ?? [];
  return {
    all: all.map((c) => c.name),
    num: features.filter((c) => c.type === 'num').map((c) => c.name),
    cat: features.filter((c) => c.type === 'cat').map((c) => c.name),
    target: target?.name,
    predictedLabels: predictedLabels?.name,
    labels: [...new Set([...supported('reference'), ...supported('current')])],
    probabilities: classification?.prediction_type === 'probabilities',
  };
}

type Columns = ReturnType<typeof suiteColumns>;

const each = (id: TestId, columns: string[]): TestInstance[] => columns.map((column) => ({ id, column }));
const one = (id: TestId, column?: string): TestInstance[] => (column === undefined ? [] : [{ id, column }]);

/** The per-column part that DataStability and NoTargetPerformance share. */
const columnChecks = (c: Columns): TestInstance[] => [
  ...each('column_share_of_missing_values', c.all),
  ...each('share_of_out_of_range_values', c.num),
  ...each('share_of_out_of_list_values', c.cat),
  ...each('mean_in_n_sigmas', c.num),
];

/** The tests of one preset, in Evidently's order. */
export function presetTests(preset: PresetId, c: Columns): TestInstance[] {
  switch (preset) {
    case 'data_stability':
      return [{ id: 'number_of_rows' }, { id: 'number_of_columns' }, { id: 'column_types' }, ...columnChecks(c)];
    case 'data_quality':
      return [
        ...each('column_share_of_missing_values', c.all),
        ...each('most_common_value_share', c.all),
        { id: 'number_of_constant_columns' },
        { id: 'number_of_duplicated_columns' },
        { id: 'number_of_duplicated_rows' },
      ];
    case 'data_drift':
      return [
        { id: 'share_of_drifted_columns' },
        ...one('column_drift', c.target),
        ...one('column_drift', c.predictedLabels),
        ...each('column_drift', c.cat),
        ...each('column_drift', c.num),
      ];
    case 'no_target_performance':
      return [...one('column_drift', c.predictedLabels), { id: 'share_of_drifted_columns' }, { id: 'column_types' }, ...columnChecks(c)];
    case 'regression':
      return [{ id: 'value_mean_error' }, { id: 'value_mae' }, { id: 'value_rmse' }, { id: 'value_mape' }];
    case 'binary_classification':
      return c.probabilities
        ? [...one('column_drift', c.target), { id: 'roc_auc' }, { id: 'precision_score' }, { id: 'recall_score' }, { id: 'accuracy_score' }, { id: 'f1_score' }]
        : [...one('column_drift', c.target), { id: 'precision_score' }, { id: 'recall_score' }, { id: 'f1_score' }, { id: 'accuracy_score' }];
    case 'multiclass_classification':
      return [
        { id: 'accuracy_score' },
        { id: 'f1_score' },
        ...c.labels.map((label) => ({ id: 'precision_by_class' as const, label })),
        ...c.labels.map((label) => ({ id: 'recall_by_class' as const, label })),
        { id: 'number_of_rows' },
        ...one('column_drift', c.target),
        ...(c.probabilities ? [{ id: 'roc_auc' as const }, { id: 'log_loss' as const }] : []),
      ];
  }
}

/** Drift and data quality always; the model preset that fits the task when there is a target and a prediction. */
export function automaticPresets(report: SuiteReport): PresetId[] {
  const presets: PresetId[] = ['data_stability', 'data_quality', 'data_drift'];
  const m = report.model_quality;
  if (m?.regression) presets.push('regression');
  if (m?.classification) presets.push(m.classification.type === 'binary' ? 'binary_classification' : 'multiclass_classification');
  return presets;
}

/** The columns a per-column test is generated for when a config entry adds it without naming one. */
export function columnsFor(id: TestId, c: Columns): string[] {
  switch (id) {
    case 'share_of_out_of_range_values':
    case 'mean_in_n_sigmas':
      return c.num;
    case 'share_of_out_of_list_values':
      return c.cat;
    case 'column_drift':
      return [c.target, c.predictedLabels, ...c.cat, ...c.num].filter((x): x is string => x !== undefined);
    default:
      return c.all;
  }
}
