import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import type { Report } from '../report/model.js';

export const JSON_FILE = 'report.json';

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export async function writeJson(report: Report, dir: string): Promise<string> {
  const path = join(dir, JSON_FILE);
  await writeFileAtomic(path, renderJson(report));
  return path;
}
