import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { capLabel } from '../printable.js';
import { Report } from '../report/model.js';

export const JSON_FILE = 'report.json';

/** Columns up to which report.json is indented for reading; README (Limits). */
export const JSON_INDENT_MAX_COLUMNS = 1000;

/**
 * Longest string report.json keeps whole. A label is data (a category, a column name), so a longer one keeps its
 * start, its length and a hash, which still tell two long labels apart; a 50 MB cell must not make a 50 MB report.
 */
export const JSON_STRING_MAX = 1000;

const long = (key: string) => key.length > JSON_STRING_MAX;

/** JSON.stringify's replacer: strings, and the keys of maps by column name, capped. */
function capStrings(_key: string, value: unknown): unknown {
  if (typeof value === 'string') return long(value) ? capLabel(value, JSON_STRING_MAX) : value;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !Object.keys(value).some(long)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [long(k) ? capLabel(k, JSON_STRING_MAX) : k, v]));
}

/**
 * The document, checked against the model first: a report that does not match its own schema is a bug,
 * and failing here (exit 70) beats a report.json that `mlobs render` and other readers then refuse.
 */
export function renderJson(report: Report): string {
  // Indentation doubles a wide report's size for nobody: past JSON_INDENT_MAX_COLUMNS the file is compact.
  const text = JSON.stringify(report, capStrings, report.columns.length > JSON_INDENT_MAX_COLUMNS ? undefined : 2);
  const checked = Report.safeParse(JSON.parse(text));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new Error(`the report does not match its schema at ${issue.path.join('.')}: ${issue.message}`);
  }
  return `${text}\n`;
}

export async function writeJson(report: Report, dir: string): Promise<string> {
  const path = join(dir, JSON_FILE);
  await writeFileAtomic(path, renderJson(report));
  return path;
}
