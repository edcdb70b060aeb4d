import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureDir, sweepStale, writeFileAtomic } from '../../io/atomic.js';
import type { Report } from '../../report/model.js';
import { renderFailedRunMetrics, renderReportMetrics, renderWindowsOpenMetrics, type PromOptions } from './metrics.js';

export const PROM_FILE = 'metrics.prom';
export const OPENMETRICS_FILE = 'metrics.om';

/** node_exporter reads only names ending in `.prom`; the temp file writeFileAtomic uses ends in `.tmp`. */
const textfilePath = (dir: string, monitor: string) => join(dir, `mlobs_${monitor}.prom`);

async function writeMetrics(path: string, text: string): Promise<string> {
  // node_exporter runs as another user (nobody in its image): the file must be world-readable.
  await writeFileAtomic(path, text, 0o644);
  return path;
}

/** `--format prom`: metrics.prom beside the report. */
export function writePromFile(report: Report, dir: string, options: PromOptions): Promise<string> {
  return writeMetrics(join(dir, PROM_FILE), renderReportMetrics(report, options));
}

/** `--format openmetrics`: metrics.om, every window's metrics with timestamps, for a Prometheus backfill. */
export function writeOpenMetricsFile(report: Report, dir: string, options: PromOptions): Promise<string> {
  return writeMetrics(join(dir, OPENMETRICS_FILE), renderWindowsOpenMetrics(report, options));
}

/** node_exporter (another user) must be able to list a textfile directory mlobs creates, whatever the umask. */
async function textfileDir(dir: string): Promise<void> {
  await ensureDir(dir, 0o755);
  await sweepStale(dir);
}

/** `--textfile-dir`: the monitor's file for node_exporter's textfile collector. */
export async function writeTextfile(report: Report, dir: string, options: PromOptions): Promise<string> {
  await textfileDir(dir);
  return writeMetrics(textfilePath(dir, options.monitor), renderReportMetrics(report, options));
}

/** Records a failed run in the monitor's textfile, keeping what the file it replaces knew. */
export async function writeFailedRunTextfile(dir: string, monitor: string, failed: { endedAt: Date; durationSeconds: number }): Promise<string> {
  await textfileDir(dir);
  const path = textfilePath(dir, monitor);
  const previous = await readFile(path, 'utf8').catch(() => undefined);
  return writeMetrics(path, renderFailedRunMetrics(monitor, failed, previous));
}
