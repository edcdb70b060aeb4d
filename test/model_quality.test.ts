import { describe, expect, it } from 'vitest';
import type { ColumnRoles } from '../src/data/roles.js';
import { defaultOf } from '../src/settings/index.js';
import { DEFAULT_NA_VALUES } from '../src/io/csv/index.js';
import type { ModelOptions } from '../src/model_quality/index.js';
import { analyze } from '../src/pipeline.js';
import { normalPpf } from '../src/stats/distributions.js';
import { parse } from './csv/helpers.js';

const DEFAULT_DRIFT_SHARE = defaultOf('report', 'drift.drift_share') as number;

async function report(csv: string, roles: ColumnRoles, model: ModelOptions = {}) {
  const table = await parse(csv);
  return analyze(table, await parse(csv), {
    roles,
    drift: { perColumnStattest: {}, perColumnThreshold: {}, driftShare: DEFAULT_DRIFT_SHARE },
    naValues: DEFAULT_NA_VALUES,
    parallel: false,
    model,
  });
}

describe('classification quality', () => {
  const binary = 'y,p1,x\n0,0.1,1\n0,0.4,2\n1,0.35,3\n1,0.8,4\n';

  it('reads one probability column as the positive class, thresholded', async () => {
    const r = await report(binary, { target: 'y', prediction: ['p1'], task: 'classification' });
    const c = r.model_quality!.classification!;
    expect(c).toMatchObject({ type: 'binary', prediction_type: 'probabilities', labels: [0, 1], pos_label: 1, probas_threshold: 0.5 });
    expect(c.current).toMatchObject({ accuracy: 0.75, precision: 1, recall: 0.5, roc_auc: 0.75, tpr: 0.5, tnr: 1 });
    expect(c.current!.log_loss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4, 14);
    const lower = (await report(binary, { target: 'y', prediction: ['p1'], task: 'classification' }, { probasThreshold: 0.3 })).model_quality!.classification!;
    expect(lower.current).toMatchObject({ precision: 2 / 3, recall: 1 });
    expect(lower.probas_threshold).toBe(0.3);
    // The binary preset with probabilities adds ROC AUC.
    expect(r.tests!.tests.map((t) => t.id)).toEqual(expect.arrayContaining(['roc_auc', 'precision_score', 'recall_score', 'accuracy_score', 'f1_score']));
  });

  it('draws the ROC curve of the positive class: from (0, 0) to (1, 1), ties moving together, its area the AUC', async () => {
    const csv = 'y,p1\n0,0.1\n0,0.4\n1,0.4\n1,0.8\n0,0.2\n1,0.9\n';
    const c = (await report(csv, { target: 'y', prediction: ['p1'], task: 'classification' })).model_quality!.classification!;
    const roc = c.current!.roc_curve!;
    // Thresholds 0.9, 0.8, 0.4 (one positive and one negative tie), 0.2, 0.1.
    expect(roc).toEqual({ fpr: [0, 0, 0, 1 / 3, 2 / 3, 1], tpr: [0, 1 / 3, 2 / 3, 1, 1, 1] });
    const area = roc.fpr.slice(1).reduce((a, x, i) => a + ((x - roc.fpr[i]) * (roc.tpr[i + 1] + roc.tpr[i])) / 2, 0);
    expect(area).toBeCloseTo(c.current!.roc_auc as number, 15);
    // Labels give no curve.
    const labels = await report('y,yhat\n0,0\n1,1\n0,1\n', { target: 'y', prediction: ['yhat'], task: 'classification' });
    expect(labels.model_quality!.classification!.current!.roc_curve).toBeNull();
  });

  it('thins a long ROC curve to at most 101 points, keeping both ends', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => `${i % 3 === 0 ? 1 : 0},${((i * 7919) % 1000) / 1000}`);
    const roc = (await report(`y,p1\n${rows.join('\n')}\n`, { target: 'y', prediction: ['p1'], task: 'classification' })).model_quality!
      .classification!.current!.roc_curve!;
    expect(roc.fpr).toHaveLength(101);
    expect([roc.fpr[0], roc.tpr[0], roc.fpr[100], roc.tpr[100]]).toEqual([0, 0, 1, 1]);
    for (let i = 1; i < 101; i++) expect(roc.fpr[i] >= roc.fpr[i - 1] && roc.tpr[i] >= roc.tpr[i - 1]).toBe(true);
  });

  it('refuses probability columns that are not named after any class, instead of inventing classes', async () => {
    const csv = 'y,prob_0,prob_1\n0,0.9,0.1\n1,0.3,0.7\n';
    const c = (await report(csv, { target: 'y', prediction: ['prob_0', 'prob_1'], task: 'classification' })).model_quality!.classification!;
    expect(c.error).toMatch(/none of "prob_0", "prob_1" is a class of the target \(0, 1\)/);
    expect(c.labels).toEqual([0, 1]);
    expect(c.current).toBeNull();
  });

  it('takes one probability column per class: argmax labels, macro scores, one-vs-rest ROC AUC', async () => {
    const csv = 'y,a,b,c\na,0.6,0.3,0.1\nb,0.2,0.5,0.3\nc,0.3,0.3,0.4\na,0.4,0.4,0.2\nb,0.5,0.3,0.2\nc,0.1,0.2,0.7\n';
    const r = await report(csv, { target: 'y', prediction: ['a', 'b', 'c'], task: 'classification' });
    const q = r.model_quality!.classification!.current!;
    expect(q.accuracy).toBeCloseTo(5 / 6, 15);
    expect(q.precision).toBeCloseTo((2 / 3 + 1 + 1) / 3, 15);
    expect(q.recall).toBeCloseTo(2.5 / 3, 15);
    expect(q.f1).toBeCloseTo((0.8 + 2 / 3 + 1) / 3, 15);
    expect(q.roc_auc).toBeCloseTo(0.875, 15);
    expect(q.log_loss).toBeCloseTo(-[0.6, 0.5, 0.4, 0.4, 0.3, 0.7].reduce((s, p) => s + Math.log(p), 0) / 6, 14);
    expect(q.tpr).toBeNull();
    expect(q.confusion_matrix).toEqual({ labels: ['a', 'b', 'c'], values: [[2, 0, 0], [1, 1, 0], [0, 0, 2]] });
    const ids = r.tests!.tests.map((t) => `${t.id}${t.label !== null ? `:${t.label}` : ''}`);
    expect(ids).toEqual(expect.arrayContaining(['precision_by_class:a', 'recall_by_class:c', 'roc_auc', 'log_loss']));
    expect(r.tests!.presets).toContain('multiclass_classification');
  });

  it('needs --pos-label for text labels, and says so in the tests', async () => {
    const csv = 'y,yhat\nyes,yes\nno,yes\nyes,no\nno,no\n';
    const roles: ColumnRoles = { target: 'y', prediction: ['yhat'], task: 'classification' };
    const r = await report(csv, roles);
    expect(r.model_quality!.classification!.error).toMatch(/needs --pos-label/);
    expect(r.tests!.tests.find((t) => t.id === 'precision_score')).toMatchObject({ status: 'ERROR', description: expect.stringMatching(/^Test failed with exceptions: binary classification .* needs --pos-label/) });
    const ok = await report(csv, roles, { posLabel: 'yes' });
    expect(ok.model_quality!.classification!.current).toMatchObject({ precision: 0.5, recall: 0.5 });
    expect(ok.model_quality!.classification!.pos_label).toBe('yes');
  });
});

describe('regression quality', () => {
  it("fits the errors' normal probability plot as scipy's probplot", async () => {
    expect(normalPpf(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalPpf(1e-10)).toBeCloseTo(-6.361340902404056, 13);
    const r = await report('y,yhat\n1,1.5\n2,1.7\n3,3.4\n4,3.6\n5,5.9\n', { target: 'y', prediction: ['yhat'], task: 'regression' });
    const q = r.model_quality!.regression!.current!;
    expect(q.rows).toBe(5);
    expect(q.abs_error_max).toBeCloseTo(0.9, 14);
    expect(q.mean_error).toBeCloseTo(0.22, 14);
    // A perfect straight line through the sorted errors has r = 1; these are close to one.
    expect(q.error_normality.r).toBeGreaterThan(0.9);
    expect(r.tests!.presets).toContain('regression');
  });
});
