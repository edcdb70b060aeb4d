import type { Report } from '../report/model.js';
import { writeJson } from './json.js';

/**
 * Output formats. Each writer turns the one report model into files in the output directory (atomically)
 * and returns their paths; `--format` accepts exactly these names.
 */
export interface Writer {
  description: string;
  write(report: Report, dir: string): Promise<string[]>;
}

export const WRITERS: Record<string, Writer> = {
  json: { description: 'report.json, the versioned report document', write: async (r, dir) => [await writeJson(r, dir)] },
};

export const FORMATS = Object.keys(WRITERS);
