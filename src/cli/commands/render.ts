import { dirname } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_MONITOR } from '../../config/monitors.js';
import { ExitCode, UsageError } from '../../errors.js';
import { ensureDir } from '../../io/atomic.js';
import { printable } from '../../printable.js';
import { readReportFile } from '../../report/read.js';
import type { Report, ReportLinks } from '../../report/model.js';
import { FORMATS, WRITERS } from '../../writers/index.js';
import { addOptions, defaultOf, resolveFlags } from '../../settings/index.js';
import type { CliIo } from '../../console.js';

export function registerRender(program: Command, io: CliIo, setExit: (code: ExitCode) => void): void {
  const cmd = program
    .command('render')
    .argument('<report.json>', 'a report.json written by `mlobs report`')
    .description('write other formats (html, png, markdown, junit, ...) from a saved report.json, without the data');
  addOptions(cmd, 'render');
  cmd.action(async (path: string, flags: Record<string, unknown>) => {
    const { config } = resolveFlags('render', flags, (name) => cmd.getOptionValueSource(name) === 'cli');
    const formats = (config.output as { format: string[] }).format;
    for (const f of formats) if (!FORMATS.includes(f)) throw new UsageError(`unknown format "${f}"; available: ${FORMATS.join(', ')}`);
    const outDir = (config.output as { dir?: string }).dir ?? dirname(path);
    // The link flags given override the saved report's links one by one.
    const links = (config.links ?? {}) as ReportLinks;
    const saved = await readReportFile(path);
    const report: Report = Object.keys(links).length ? { ...saved, links: { ...saved.links, ...links } } : saved;
    for (const f of formats) await WRITERS[f].preflight?.();
    await ensureDir(outDir);
    const written: string[] = [];
    // The saved report.json is part of the output when it sits in the output directory.
    const context = {
      monitor: DEFAULT_MONITOR,
      maxColumns: defaultOf('report', 'prometheus.max_columns') as number,
      formats: outDir === dirname(path) ? [...formats, 'json'] : formats,
    };
    for (const f of formats) written.push(...(await WRITERS[f].write(report, outDir, context)));
    if (!flags.quiet) io.stdout(`Report written to ${written.map((f) => printable(f)).join(', ')}\n`);
    setExit(ExitCode.ok);
  });
}
