import type { Report } from '../report/model.js';
import { HTML_FILE, writeHtml } from './html/index.js';
import { JSON_FILE, writeJson } from './json.js';
import { JUNIT_FILE, writeJunit } from './junit.js';
import { MARKDOWN_FILE, writeMarkdown } from './markdown.js';
import { DISTRIBUTIONS_PNG, loadCanvas, SCORES_PNG, TREND_PNG, writePng } from './png.js';
import type { PromOptions } from './prom/metrics.js';
import { OPENMETRICS_FILE, PROM_FILE, writeOpenMetricsFile, writePromFile } from './prom/textfile.js';

/**
 * Output formats. Each writer turns the one report model into files in the output directory (atomically)
 * and returns their paths; `--format` accepts exactly these names.
 */
export interface Writer {
  description: string;
  /** The names of the files it writes: a later run into the same directory that does not write them removes them. */
  files: readonly string[];
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
  json: { description: 'report.json, the versioned report document', files: [JSON_FILE], write: async (r, dir) => [await writeJson(r, dir)] },
  html: { description: 'report.html, one self-contained page (opens offline)', files: [HTML_FILE], write: async (r, dir) => [await writeHtml(r, dir)] },
  png: { description: 'drift-scores.png and drift-distributions.png, chart images', files: [SCORES_PNG, DISTRIBUTIONS_PNG, TREND_PNG], preflight: loadCanvas, write: writePng },
  prom: { description: 'metrics.prom, the run as Prometheus metrics (the same text as the --textfile-dir file)', files: [PROM_FILE], write: async (r, dir, c) => [await writePromFile(r, dir, c)] },
  markdown: {
    description: 'summary.md, a GitHub-flavoured Markdown job summary (status, drifted columns, failed tests, model quality)',
    files: [MARKDOWN_FILE], write: async (r, dir, c) => [await writeMarkdown(r, dir, { dir: c.finalDir ?? dir, formats: c.formats, monitor: c.monitor })] },
  junit: { description: 'junit.xml, the test suite as JUnit XML (one testsuite per test group) for CI test reports', files: [JUNIT_FILE], write: async (r, dir) => [await writeJunit(r, dir)] },
  openmetrics: {
    description: "metrics.om, every window's metrics with its timestamp, for promtool tsdb create-blocks-from openmetrics (needs --window and --timestamp)",
    files: [OPENMETRICS_FILE],
    write: async (r, dir, c) => [await writeOpenMetricsFile(r, dir, c)],
  },
};

export const FORMATS = Object.keys(WRITERS);

/** Every file name a run can write into its output directory. */
export const OUTPUT_FILES: readonly string[] = Object.values(WRITERS).flatMap((w) => w.files);
