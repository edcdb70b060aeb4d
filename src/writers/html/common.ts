import { formatNumber } from '../../report/format.js';
import { scoreFromJson, type ColumnInfo, type ScoreValue } from '../../report/model.js';

/** Helpers every section's view model shares. */

export const TYPE_LABEL: Record<ColumnInfo['type'], string> = { num: 'numerical', cat: 'categorical', datetime: 'datetime', unknown: 'unknown' };

export const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export const utc = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

export const num = (x: ScoreValue | null | undefined) => (x === null || x === undefined ? '–' : formatNumber(scoreFromJson(x)));

/** Current minus reference, with its sign; '' when either side is missing or not finite. */
export function change(reference: ScoreValue | null | undefined, current: ScoreValue | null | undefined): string {
  if (reference === null || reference === undefined || current === null || current === undefined) return '';
  const d = scoreFromJson(current) - scoreFromJson(reference);
  if (!Number.isFinite(d)) return '';
  return d > 0 ? `+${formatNumber(d)}` : formatNumber(d);
}

/** Evidently's descriptions mark column names as **bold** Markdown; split so the template escapes each part. */
export function markdownBold(text: string): { text: string; bold: boolean }[] {
  return text.split(/\*\*(.+?)\*\*/).flatMap((part, i) => (part ? [{ text: part, bold: i % 2 === 1 }] : []));
}
