import type { ColumnPlan } from '../data/typing.js';
import { UsageError } from '../errors.js';
import { sideCodes } from '../data/values.js';
import type { ParsedColumn } from '../io/csv/types.js';
import { toJsonNumbers, type ModelQuality } from '../report/model.js';
import { compareLabels } from '../stats/sample.js';
import { classificationQuality, type ClassificationInput, type Label } from './classification.js';
import { finitePairs, regressionCharts, regressionQuality } from './regression.js';

export interface ModelOptions {
  /** The positive class of a binary task, as written in the file (Evidently's default: 1). */
  posLabel?: string;
  /** Binary task with probabilities: predict the positive class at or above this probability (default 0.5). */
  probasThreshold?: number;
}

export const DEFAULT_PROBAS_THRESHOLD = 0.5;

/** Each row's label, null where the cell is missing. */
function labelsOf(col: ParsedColumn): (Label | null)[] {
  const { codes, dict } = sideCodes(col);
  return Array.from(codes, (c) => (c < 0 ? null : dict[c]));
}

/** The label a user typed: a number when the labels are numbers that equal it, else the text. */
function findLabel(raw: string, labels: Label[]): Label | undefined {
  return labels.find((l) => (typeof l === 'number' ? raw.trim() !== '' && Number(raw) === l : l === raw));
}

type Side = 'ref' | 'cur';

/**
 * Model quality on both sides (spec §7), when the roles name a target and a prediction: regression metrics
 * for a regression task, classification metrics from predicted labels, one probability column (of the
 * positive class) or one probability column per class.
 */
export function modelQuality(plans: ColumnPlan[], task: 'classification' | 'regression' | null, options: ModelOptions): ModelQuality | undefined {
  const target = plans.find((p) => p.role === 'target' && p.ref && p.cur);
  const predictions = plans.filter((p) => (p.role === 'prediction' || p.role === 'prediction_proba') && p.ref && p.cur);
  if (!target || !predictions.length || !task) return undefined;
  const base = { target: target.name, prediction: predictions.map((p) => p.name) };
  if (task === 'regression') {
    const metrics = (side: Side) => toJsonNumbers(regressionQuality(target[side]!.numbers, predictions[0][side]!.numbers));
    const charts = regressionCharts([finitePairs(target.ref!.numbers, predictions[0].ref!.numbers), finitePairs(target.cur!.numbers, predictions[0].cur!.numbers)]);
    return { task, ...base, regression: { reference: metrics('ref'), current: metrics('cur'), charts } };
  }

  const probasThreshold = options.probasThreshold ?? DEFAULT_PROBAS_THRESHOLD;
  const byProbability = predictions.length > 1 || predictions[0].type === 'num';
  const targetLabels = { ref: labelsOf(target.ref!), cur: labelsOf(target.cur!) };
  const predictedLabels = byProbability ? null : { ref: labelsOf(predictions[0].ref!), cur: labelsOf(predictions[0].cur!) };
  const seen = new Set<Label>();
  for (const side of ['ref', 'cur'] as const) {
    for (const l of targetLabels[side]) if (l !== null) seen.add(l);
    for (const l of predictedLabels?.[side] ?? []) if (l !== null) seen.add(l);
  }
  // Probability columns are named after their class; a name that is no target label is a class of its own.
  const classOf = (name: string): Label => findLabel(name, [...seen]) ?? name;
  const targetClasses = [...seen].sort(compareLabels);
  // No column named after any class means the columns are named otherwise (prob_0, p_yes): metrics over
  // invented classes would be silently wrong.
  const misnamed = predictions.length > 1 && predictions.every((p) => findLabel(p.name, targetClasses) === undefined);
  if (predictions.length > 1 && !misnamed) for (const p of predictions) seen.add(classOf(p.name));
  const labels = [...seen].sort(compareLabels);
  if (predictions.length > 1 && !misnamed) {
    // sklearn's log_loss refuses this too ("different number of classes"); scoring the uncovered classes
    // as probability 0 would make the log loss infinite.
    const covered = new Set(predictions.map((p) => classOf(p.name)));
    const uncovered = labels.filter((l) => !covered.has(l));
    if (uncovered.length) {
      throw new UsageError(
        `--prediction: one probability column per class is needed; no column scores the class${uncovered.length > 1 ? 'es' : ''} ${uncovered.map((l) => JSON.stringify(l)).join(', ')} of target "${target.name}"`,
      );
    }
  }

  let posLabel: Label | null = null;
  let error: string | undefined;
  if (misnamed) {
    const names = predictions.map((p) => JSON.stringify(p.name)).join(', ');
    error = `probability columns are named after the classes they score; none of ${names} is a class of the target (${targetClasses.map((l) => JSON.stringify(l)).join(', ')}): rename them`;
  } else if (labels.length === 2) {
    posLabel = findLabel(options.posLabel ?? '1', labels) ?? null;
    if (posLabel === null) {
      error = options.posLabel === undefined
        ? `binary classification with labels ${labels.map((l) => JSON.stringify(l)).join(' and ')} needs --pos-label`
        : `--pos-label ${options.posLabel} is not a label of the target (${labels.map((l) => JSON.stringify(l)).join(', ')})`;
    }
  } else if (predictions.length === 1 && byProbability) {
    error = `one probability column needs a binary target; the target has ${labels.length} labels`;
  }

  const input = (side: Side): ClassificationInput => {
    const y = targetLabels[side];
    const rows = y.length;
    let probabilities: Map<Label, Float64Array> | null = null;
    if (predictions.length > 1) probabilities = new Map(predictions.map((p) => [classOf(p.name), p[side]!.numbers]));
    else if (byProbability) {
      const p = predictions[0][side]!.numbers;
      const negative = labels.find((l) => l !== posLabel)!;
      probabilities = new Map([[posLabel!, p], [negative, Float64Array.from(p, (x) => 1 - x)]]);
    }
    const keep: number[] = [];
    for (let i = 0; i < rows; i++) {
      if (y[i] === null) continue;
      if (predictedLabels && predictedLabels[side][i] === null) continue;
      if (probabilities && [...probabilities.values()].some((p) => !Number.isFinite(p[i]))) continue;
      keep.push(i);
    }
    let predicted: Label[];
    if (predictedLabels) predicted = keep.map((i) => predictedLabels[side][i]!);
    else if (labels.length === 2) {
      const pos = probabilities!.get(posLabel!)!;
      const negative = labels.find((l) => l !== posLabel)!;
      predicted = keep.map((i) => (pos[i] >= probasThreshold ? posLabel! : negative));
    } else {
      // The first class with the highest probability, as pandas' idxmax.
      const classes = [...probabilities!.keys()];
      predicted = keep.map((i) => classes.reduce((best, c) => (probabilities!.get(c)![i] > probabilities!.get(best)![i] ? c : best)));
    }
    return {
      target: keep.map((i) => y[i]!),
      predicted,
      probabilities: probabilities && new Map([...probabilities].map(([c, p]) => [c, Float64Array.from(keep, (i) => p[i])])),
    };
  };
  const metrics = (side: Side) => (error ? null : toJsonNumbers(classificationQuality(input(side), labels, posLabel)));
  return {
    task,
    ...base,
    classification: {
      type: labels.length === 2 ? 'binary' : 'multiclass',
      prediction_type: byProbability ? 'probabilities' : 'labels',
      labels,
      pos_label: posLabel,
      probas_threshold: byProbability && labels.length === 2 ? probasThreshold : null,
      reference: metrics('ref'),
      current: metrics('cur'),
      error: error ?? null,
    },
  };
}
