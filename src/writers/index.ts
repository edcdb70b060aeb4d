import type { Report } from '../report/model.js';
import { writeHtml } from './html/index.js';
import { writeJson } from './json.js';
import { writeJunit } from './junit.js';
import { writeMarkdown } from './markdown.js';
import { loadCanvas, writePng } from './png.js';
import type { PromOptions } from './prom/metrics.js';
import { writePromFile } from './prom/textfile.js';

/**
 * Output formats. Each writer turns the one report model into files in the output directory (atomically)
 * and returns their paths; `--format` accepts exactly these names.
 */
export interface Writer {
  description: string;
  /** Fails before any data is read when this format cannot be written here (a native module is missing). */
  preflight?(): Promise<unknown>;
  write(report: Report, dir: string, context: WriteContext): Promise<string[]>;
}

/**
 * What a run knows beyond the report: which monitor it is, its Prometheus options, and every format being
 * written (the Markdown summary points to the full report among them).
 */
export type WriteContext = PromOptions & {
  formats: readonly string[];
  /** Where the files end up when the writers write into a staging directory beside it (a run's output set). */
  finalDir?: string;
};

export const WRITERS: Record<string, Writer> = {
  json: { description: 'report.json, the versioned report document', write: async (r, dir) => [await writeJson(r, dir)] },
  html: { description: 'report.html, one self-contained page (opens offline)', write: async (r, dir) => [await writeHtml(r, dir)] },
  png: { description: 'drift-scores.png and drift-distributions.png, chart images', preflight: loadCanvas, write: writePng },
  prom: { description: 'metrics.prom, the run as Prometheus metrics (the same text as the --textfile-dir file)', write: async (r, dir, c) => [await writePromFile(r, dir, c)] },
  markdown: { description: 'summary.md, a GitHub-flavoured Markdown job summary (status, drifted columns, failed tests, model quality)', write: async (r, dir, c) => [await writeMarkdown(r, dir, { dir: c.finalDir ?? dir, formats: c.formats, monitor: c.monitor })] },
  junit: { description: 'junit.xml, the test suite as JUnit XML (one testsuite per test group) for CI test reports', write: async (r, dir) => [await writeJunit(r, dir)] },
};

export const FORMATS = Object.keys(WRITERS);
