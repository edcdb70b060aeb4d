import { npMean, npSum } from '../stats/numeric/npsum.js';
import { compareLabels } from '../stats/sample.js';

export type Label = string | number;

/** One side's predictions, already reduced to rows where the target and every prediction input are known. */
export interface ClassificationInput {
  target: Label[];
  predicted: Label[];
  /** Per-class probability columns (class label → one value per row), when the model gave probabilities. */
  probabilities: Map<Label, Float64Array> | null;
}

export interface ClassQuality {
  label: Label;
  precision: number;
  recall: number;
  f1: number;
  support: number;
  roc_auc: number | null;
}

export interface ClassificationQuality {
  rows: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  roc_auc: number | null;
  log_loss: number | null;
  tpr: number | null;
  tnr: number | null;
  fpr: number | null;
  fnr: number | null;
  confusion_matrix: { labels: Label[]; values: number[][] };
  by_class: ClassQuality[];
  roc_curve: RocCurve | null;
}

/** ROC curve points from (0, 0) to (1, 1), thinned for display; the AUC above comes from every point. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
}

/** Enough points for a smooth curve in a report, few enough to keep the JSON and HTML small. */
const ROC_POINTS = 101;

/** sklearn's zero_division=0 (its default after the warning): an undefined ratio counts as 0. */
const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
const fScore = (precision: number, recall: number) => (precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall));

/**
 * Area under the ROC curve of `scores` for the rows where `positive` holds: the Mann-Whitney statistic with
 * average ranks for ties, which is what sklearn's trapezoidal curve integrates to. Null when one class is
 * absent (sklearn raises).
 */
function rocAuc(scores: Float64Array, positive: boolean[]): number | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < n; ) {
    let j = i + 1;
    while (j < n && scores[order[j]] === scores[order[i]]) j++;
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) {
      if (positive[order[k]]) {
        rankSum += rank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * The ROC curve of `scores` for the positive rows: one point per distinct score, highest first (ties move
 * together, as sklearn's thresholds do), thinned to at most ROC_POINTS with both ends kept. Null when one
 * class is absent.
 */
export function rocCurve(scores: Float64Array, positive: boolean[]): RocCurve | null {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  const positives = positive.filter(Boolean).length;
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  const fpr = [0];
  const tpr = [0];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j < n && scores[order[j]] === scores[order[i]]) {
      if (positive[order[j]]) tp++;
      else fp++;
      j++;
    }
    fpr.push(fp / negatives);
    tpr.push(tp / positives);
    i = j;
  }
  if (fpr.length <= ROC_POINTS) return { fpr, tpr };
  const keep = Array.from({ length: ROC_POINTS }, (_, k) => Math.round((k * (fpr.length - 1)) / (ROC_POINTS - 1)));
  return { fpr: keep.map((i) => fpr[i]), tpr: keep.map((i) => tpr[i]) };
}

/**
 * sklearn's log_loss on the one-hot target: probabilities clipped to [ε, 1 − ε] (ε = float64 eps, its
 * 'auto' in 1.2) and renormalised per row, then the mean negative log of the true class's share.
 */
function logLoss(target: Label[], classes: Label[], probabilities: Map<Label, Float64Array>): number {
  const eps = Number.EPSILON;
  const columns = classes.map((c) => probabilities.get(c)!);
  const loss = Float64Array.from(target, (t, i) => {
    let total = 0;
    let own = 0;
    columns.forEach((p, k) => {
      const clipped = Math.min(1 - eps, Math.max(eps, p[i]));
      total += clipped;
      if (classes[k] === t) own = clipped;
    });
    return -Math.log(own / total);
  });
  return npMean(loss);
}

/**
 * Evidently's ClassificationQuality metrics on one side (spec §7.1). Binary tasks (two labels) report the
 * scores of `posLabel` and the four rates; more labels report macro averages, the mean of per-class scores
 * over the labels present in the target or the predictions.
 */
export function classificationQuality(input: ClassificationInput, labels: Label[], posLabel: Label | null): ClassificationQuality {
  const { target, predicted, probabilities } = input;
  const n = target.length;
  const present = [...new Set([...target, ...predicted])].sort(compareLabels);
  const index = new Map(present.map((l, i) => [l, i]));
  const k = present.length;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < n; i++) matrix[index.get(target[i])!][index.get(predicted[i])!]++;
  const perClass = present.map((label, c) => {
    const tp = matrix[c][c];
    const support = matrix[c].reduce((a, b) => a + b, 0);
    const predictedAs = matrix.reduce((a, row) => a + row[c], 0);
    const precision = ratio(tp, predictedAs);
    const recall = ratio(tp, support);
    let auc: number | null = null;
    if (probabilities?.has(label)) auc = rocAuc(probabilities.get(label)!, target.map((t) => t === label));
    return { label, precision, recall, f1: fScore(precision, recall), support, roc_auc: auc };
  });
  const correct = matrix.reduce((a, row, c) => a + row[c], 0);
  const out: ClassificationQuality = {
    rows: n,
    accuracy: correct / n,
    precision: 0,
    recall: 0,
    f1: 0,
    roc_auc: null,
    log_loss: null,
    tpr: null,
    tnr: null,
    fpr: null,
    fnr: null,
    confusion_matrix: { labels: present, values: matrix },
    by_class: perClass,
    roc_curve: null,
  };
  if (labels.length === 2 && posLabel !== null) {
    const p = index.get(posLabel);
    const tp = p === undefined ? 0 : matrix[p][p];
    const fn = p === undefined ? 0 : matrix[p].reduce((a, b) => a + b, 0) - tp;
    const fp = p === undefined ? 0 : matrix.reduce((a, row) => a + row[p], 0) - tp;
    const tn = n - tp - fn - fp;
    out.precision = ratio(tp, tp + fp);
    out.recall = ratio(tp, tp + fn);
    out.f1 = fScore(out.precision, out.recall);
    out.tpr = ratio(tp, tp + fn);
    out.tnr = ratio(tn, tn + fp);
    out.fpr = ratio(fp, fp + tn);
    out.fnr = ratio(fn, fn + tp);
  } else {
    out.precision = npSum(perClass.map((c) => c.precision)) / k;
    out.recall = npSum(perClass.map((c) => c.recall)) / k;
    out.f1 = npSum(perClass.map((c) => c.f1)) / k;
  }
  if (probabilities) {
    const classes = labels.filter((l) => probabilities.has(l));
    const aucs = classes.map((c) => rocAuc(probabilities.get(c)!, target.map((t) => t === c)));
    out.roc_auc = aucs.some((a) => a === null) ? null : npSum(aucs as number[]) / aucs.length;
    out.log_loss = logLoss(target, classes, probabilities);
    if (labels.length === 2 && posLabel !== null && probabilities.has(posLabel)) {
      out.roc_curve = rocCurve(probabilities.get(posLabel)!, target.map((t) => t === posLabel));
    }
  }
  return out;
}
