import { formatNumber } from '../../report/format.js';
import { scoreFromJson, type ColumnInfo, type ScoreValue } from '../../report/model.js';

/** Helpers every section's view model shares. */

/** Columns the page lists per section (the most drifted first); report.json has every one. */
export const HTML_MAX_COLUMNS = 500;

/** Tests the page lists, failures first. */
export const HTML_MAX_TESTS = 2000;

/** Longest column name the page shows whole. */
export const HTML_LABEL_MAX = 200;
export const HTML_DESCRIPTION_MAX = 1000;

export const TYPE_LABEL: Record<ColumnInfo['type'], string> = { num: 'numerical', cat: 'categorical', datetime: 'datetime', unknown: 'unknown' };

export const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

export const num = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? '–' : formatNumber(scoreFromJson(x)));

/** A report number, NaN when missing. */
export const score = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? NaN : scoreFromJson(x));

/** Evidently's descriptions mark column names as **bold** Markdown; split so the template escapes each part. */
export function markdownBold(text: string): { text: string; bold: boolean }[] {
  return text.split(/\*\*(.+?)\*\*/).flatMap((part, i) => (part ? [{ text: part, bold: i % 2 === 1 }] : []));
}
