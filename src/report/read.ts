import { readFile } from 'node:fs/promises';
import { UsageError } from '../errors.js';
import { Report } from './model.js';

/** Reads and validates a saved report.json; every problem is one UsageError naming the file. */
export async function readReportFile(path: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read the report (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path}: not valid JSON: ${(e as Error).message.replace(/\s+/g, ' ')}`);
  }
  const parsed = Report.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${path}: not an mlobs report of schema ${Report.shape.schema_version.value}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
