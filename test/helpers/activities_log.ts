/** The activities log: one row per activity, dated by its `Date` column, August 2020 to September 2022. */
export const LOG = 'fixtures/activities/activities_full.csv';

/**
 * Monthly windows of the log against its first 21 months, at a 25 % drift share and 0.2 thresholds: drift starts
 * in May 2022 and lasts to July. Callers add `--timestamp Date` (or their own common flags) and the outputs.
 */
export const DRIFT_FROM_MAY_2022 = [
  '-c',
  LOG,
  '--reference-range',
  '2020-08-01..2022-05-01',
  '--window',
  '1mo',
  '--min-window-rows',
  '38',
  '--drift-share',
  '0.25',
  '--stattest-threshold',
  '0.2',
];
