import type { FeatureType, StatTestFn } from '../stats/types.js';
import { ks } from '../stats/stattests/ks.js';
import { chiSquare } from '../stats/stattests/chisquare.js';
import { zTest } from '../stats/stattests/z.js';
import { wasserstein } from '../stats/stattests/wasserstein.js';
import { jensenShannon, psi, klDiv, hellinger } from '../stats/stattests/binned.js';
import { energyDistance } from '../stats/stattests/ed.js';
import { anderson } from '../stats/stattests/anderson.js';
import { cramerVonMises } from '../stats/stattests/cramer_von_mises.js';
import { eppsSingleton } from '../stats/stattests/es.js';
import { tTest } from '../stats/stattests/t_test.js';
import { mannWhitney } from '../stats/stattests/mannw.js';
import { fisherExact } from '../stats/stattests/fisher_exact.js';
import { gTest } from '../stats/stattests/g_test.js';
import { tvd } from '../stats/stattests/tvd.js';
import { empiricalMmd } from '../stats/stattests/empirical_mmd.js';

export type ScoreKind = 'p_value' | 'distance';
/** How a score is compared with the threshold to declare drift: `score <rule> threshold`. */
export type DriftRule = 'lt' | 'le' | 'ge' | 'gt';

export interface StatTestDef {
  id: string;
  /** Evidently's display name, which is what its JSON calls `stattest_name`. */
  displayName: string;
  scoreKind: ScoreKind;
  types: readonly FeatureType[];
  defaultThreshold: number;
  rule: DriftRule;
  fn: StatTestFn;
}

const def = (
  id: string,
  displayName: string,
  scoreKind: ScoreKind,
  types: readonly FeatureType[],
  defaultThreshold: number,
  rule: DriftRule,
  fn: StatTestFn,
): StatTestDef => ({ id, displayName, scoreKind, types, defaultThreshold, rule, fn });

const NUM = ['num'] as const;
const CAT = ['cat'] as const;
const BOTH = ['cat', 'num'] as const;

/** Evidently 0.4.40's registered drift tests (spec §2.1), with its ids, names, defaults and `<`/`<=` rules. */
export const STAT_TESTS: readonly StatTestDef[] = [
  def('ks', 'K-S p_value', 'p_value', NUM, 0.05, 'le', ks),
  def('chisquare', 'chi-square p_value', 'p_value', CAT, 0.05, 'lt', chiSquare),
  def('z', 'Z-test p_value', 'p_value', CAT, 0.05, 'lt', zTest),
  def('wasserstein', 'Wasserstein distance (normed)', 'distance', NUM, 0.1, 'ge', wasserstein),
  def('jensenshannon', 'Jensen-Shannon distance', 'distance', BOTH, 0.1, 'ge', jensenShannon),
  def('psi', 'PSI', 'distance', BOTH, 0.1, 'ge', psi),
  def('kl_div', 'Kullback-Leibler divergence', 'distance', BOTH, 0.1, 'ge', klDiv),
  def('hellinger', 'Hellinger distance', 'distance', BOTH, 0.1, 'ge', hellinger),
  def('ed', 'Energy-distance', 'distance', NUM, 0.1, 'gt', energyDistance),
  def('anderson', 'Anderson-Darling', 'p_value', NUM, 0.1, 'lt', anderson),
  def('cramer_von_mises', 'Cramer-von Mises', 'p_value', NUM, 0.1, 'le', cramerVonMises),
  def('es', 'Epps-Singleton', 'p_value', NUM, 0.05, 'lt', eppsSingleton),
  def('t_test', 't_test', 'p_value', NUM, 0.05, 'lt', tTest),
  def('mannw', 'Mann-Whitney U-rank test', 'p_value', NUM, 0.05, 'lt', mannWhitney),
  def('fisher_exact', "Fisher's Exact test", 'p_value', CAT, 0.1, 'lt', fisherExact),
  def('g_test', 'g_test', 'p_value', CAT, 0.1, 'lt', gTest),
  def('TVD', 'Total-Variation-Distance', 'p_value', CAT, 0.1, 'lt', tvd),
  def('empirical_mmd', 'empirical_mmd', 'p_value', NUM, 0.1, 'lt', empiricalMmd),
];

/** Tests that permute the rows of a sample, so their score depends on row order and not only on counts. */
export const ROW_ORDER_TEST_IDS: readonly string[] = ['TVD', 'empirical_mmd'];

/** Ids are matched case-insensitively (`KS`, `tvd`): no two differ only in case, and the report names the canonical id. */
const byId = new Map(STAT_TESTS.map((t) => [t.id.toLowerCase(), t]));

export function findStatTest(id: string): StatTestDef | undefined {
  return byId.get(id.toLowerCase());
}

export const STAT_TEST_IDS: readonly string[] = STAT_TESTS.map((t) => t.id);

/** Applies the test's drift rule. A NaN score never counts as drift (it compares false under every rule). */
export function isDrift(rule: DriftRule, score: number, threshold: number): boolean {
  switch (rule) {
    case 'lt':
      return score < threshold;
    case 'le':
      return score <= threshold;
    case 'ge':
      return score >= threshold;
    case 'gt':
      return score > threshold;
  }
}

/**
 * Evidently's auto-selection (spec §1.1). `nRef` is the cleaned reference size; `nValues` the distinct
 * values over both cleaned sides.
 */
export function autoSelect(type: FeatureType, nRef: number, nValues: number): StatTestDef {
  let id: string;
  if (nRef <= 1000) {
    if (nValues <= 2) id = 'z';
    else if (type === 'num' && nValues <= 5) id = 'chisquare';
    else id = type === 'num' ? 'ks' : 'chisquare';
  } else if (type === 'num') {
    id = nValues <= 5 ? 'jensenshannon' : 'wasserstein';
  } else {
    id = 'jensenshannon';
  }
  return byId.get(id)!;
}
