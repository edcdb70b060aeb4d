import { dirname } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MONITOR } from '../../config/monitors.js';
import { ExitCode, UsageError } from '../../errors.js';
import { ensureDir } from '../../io/atomic.js';
import { readReportFile } from '../../report/read.js';
import { ReportLinks, type Report } from '../../report/model.js';
import { FORMATS, WRITERS } from '../../writers/index.js';
import { DEFAULT_PROM_MAX_COLUMNS } from '../../writers/prom/metrics.js';
import { REPORT_OPTIONS, addOptions, longFlag, sectionFlags } from '../options.js';
import type { CliIo } from '../io.js';

/** `report`'s flags that mean the same here; only the defaults differ, since there is a report to start from. */
const RENDER_DEFAULTS: Record<string, string | undefined> = {
  '--out': "the report's directory",
  '--format': 'html',
  '--grafana-url': undefined,
  '--prometheus-url': undefined,
  '--alertmanager-url': undefined,
  '--quiet': undefined,
  '--debug': undefined,
};
const RENDER_OPTIONS = REPORT_OPTIONS.filter((s) => longFlag(s.flags) in RENDER_DEFAULTS).map((s) => ({ ...s, defaultText: RENDER_DEFAULTS[longFlag(s.flags)] }));

export function registerRender(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('render')
    .argument('<report.json>', 'a report.json written by `mlobs report`')
    .description('write other formats (html, png, markdown, junit, ...) from a saved report.json, without the data');
  addOptions(cmd, RENDER_OPTIONS);
  cmd.action(async (path: string, flags: Record<string, unknown>) => {
    const formats = (flags.format as string[] | undefined) ?? ['html'];
    for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}"; available: ${FORMATS.join(', ')}`);
    const outDir = (flags.out as string | undefined) ?? dirname(path);
    // The link flags given override the saved report's links one by one.
    const links = sectionFlags(RENDER_OPTIONS, flags, 'links', ReportLinks);
    const saved = await readReportFile(path);
    const report: Report = Object.keys(links).length ? { ...saved, links: { ...saved.links, ...links } } : saved;
    for (const f of formats) await WRITERS[f].preflight?.();
    await ensureDir(outDir);
    const written: string[] = [];
    // The saved report.json is part of the output when it sits in the output directory.
    const context = { monitor: DEFAULT_MONITOR, maxColumns: DEFAULT_PROM_MAX_COLUMNS, formats: outDir === dirname(path) ? [...formats, 'json'] : formats };
    for (const f of formats) written.push(...(await WRITERS[f].write(report, outDir, context)));
    if (!flags.quiet) io.stdout(`Report written to ${written.join(', ')}\n`);
    setExit(ExitCode.ok);
  });
}
