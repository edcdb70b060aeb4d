import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from 'commander';
import { ConfigFile } from '../../config/schema.js';
import { loadConfig } from '../../config/load.js';
import { DEFAULT_DRIFT_SHARE, type DriftOptions } from '../../drift/options.js';
import { findStatTest, STAT_TEST_IDS } from '../../drift/registry.js';
import { ConfigError, ExitCode, OutputError, UsageError } from '../../errors.js';
import { ensureDir } from '../../io/atomic.js';
import { DEFAULT_NA_VALUES } from '../../io/csv/index.js';
import { runReport, type ReportOptions } from '../../report/run.js';
import { FORMATS, WRITERS } from '../../writers/index.js';
import { formatSummary } from '../summary.js';
import { REPORT_OPTIONS, mergeFlags } from '../options.js';
import type { CliIo } from '../io.js';

function flagFor(path: PropertyKey[]): string {
  const key = path.join('.');
  const spec = REPORT_OPTIONS.find((s) => s.config && (key === s.config || key.startsWith(`${s.config}.`)));
  return spec ? `${spec.flags.split(' ').find((f) => f.startsWith('--'))!.replace(/,$/, '')} (${key})` : key;
}

function checkStatTest(id: string | undefined, where: string): void {
  if (id !== undefined && !findStatTest(id)) {
    throw new UsageError(`unknown stat test "${id}" in ${where}; known tests: ${STAT_TEST_IDS.join(', ')}`);
  }
}

function utcStamp(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

export interface ResolvedReport {
  report: ReportOptions;
  outDir: string;
  formats: string[];
  failOn: 'drift' | 'never';
}

/** Config file + flags → validated options. Everything wrong with them is found here, before any data is read. */
export async function resolveReportOptions(flags: Record<string, unknown>, given: (name: string) => boolean): Promise<ResolvedReport> {
  const file = flags.config ? await loadConfig(flags.config as string) : {};
  const merged = ConfigFile.safeParse(mergeFlags(file as Record<string, unknown>, flags, given));
  if (!merged.success) {
    const issue = merged.error.issues[0];
    throw new ConfigError(undefined, `${flagFor(issue.path)}: ${issue.message}`);
  }
  const cfg = merged.data;
  if (!cfg.reference) throw new UsageError('missing --reference <file> (or `reference:` in the config file)');
  if (!cfg.current) throw new UsageError('missing --current <file> (or `current:` in the config file)');
  const drift = cfg.drift ?? {};
  checkStatTest(drift.stattest, '--stattest');
  checkStatTest(drift.num_stattest, '--num-stattest');
  checkStatTest(drift.cat_stattest, '--cat-stattest');
  for (const [col, id] of Object.entries(drift.per_column_stattest ?? {})) checkStatTest(id, `--per-column-stattest ${col}`);
  const formats = cfg.output?.format ?? ['json'];
  for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}"; available: ${FORMATS.join(', ')}`);
  const driftOptions: DriftOptions = {
    stattest: drift.stattest,
    stattestThreshold: drift.stattest_threshold,
    numStattest: drift.num_stattest,
    catStattest: drift.cat_stattest,
    numStattestThreshold: drift.num_stattest_threshold,
    catStattestThreshold: drift.cat_stattest_threshold,
    perColumnStattest: drift.per_column_stattest ?? {},
    perColumnThreshold: drift.per_column_threshold ?? {},
    driftShare: drift.drift_share ?? DEFAULT_DRIFT_SHARE,
  };
  const na = [...(cfg.csv?.keep_default_na === false ? [''] : DEFAULT_NA_VALUES), ...(cfg.csv?.na_values ?? [])];
  return {
    report: {
      reference: cfg.reference,
      current: cfg.current,
      roles: { ...cfg.columns },
      drift: driftOptions,
      csv: { delimiter: cfg.csv?.delimiter, naValues: [...new Set(na)] },
      parallel: flags.parallel !== false,
    },
    outDir: cfg.output?.dir ?? join('reports', utcStamp(new Date())),
    formats,
    failOn: cfg.fail_on ?? 'never',
  };
}

async function checkWritable(dir: string): Promise<void> {
  await ensureDir(dir);
  try {
    await access(dir, constants.W_OK);
  } catch {
    throw new OutputError(`output directory ${dir} is not writable`);
  }
}

export function registerReport(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('report')
    .description('compare a current CSV with a reference CSV and write a drift report');
  for (const spec of REPORT_OPTIONS) {
    const description = spec.defaultText ? `${spec.description} (default: ${spec.defaultText})` : spec.description;
    if (spec.parse) cmd.option(spec.flags, description, spec.parse as (v: string, p: unknown) => unknown);
    else cmd.option(spec.flags, description);
  }
  cmd.action(async (flags: Record<string, unknown>) => {
    const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
    const resolved = await resolveReportOptions(flags, given);
    await checkWritable(resolved.outDir);
    const report = await runReport(resolved.report);
    const writeStart = performance.now();
    const written: string[] = [];
    for (const format of resolved.formats) written.push(...(await WRITERS[format].write(report, resolved.outDir)));
    if (flags.timings) {
      const write_s = (performance.now() - writeStart) / 1000;
      const peak_rss_bytes = process.resourceUsage().maxRSS * 1024;
      io.stderr(`${JSON.stringify({ ...report.run.timings, write_s, peak_rss_bytes })}\n`);
    }
    if (!flags.quiet) {
      io.stdout(`${formatSummary(report, { color: io.color })}\n\nReport written to ${written.join(', ')}\n`);
    }
    setExit(resolved.failOn === 'drift' && report.drift.dataset_drift ? ExitCode.gateFailed : ExitCode.ok);
  });
}
