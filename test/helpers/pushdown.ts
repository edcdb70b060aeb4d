import { expect } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliResult } from './cli.js';
import { join } from 'node:path';
import { FORMAT_FIELDS, reportDifferences } from './parquet.js';
import { LOG } from './activities_log.js';
import { columnsFromCsv, writeCsv, type LoadedColumn } from './clickhouse_load.js';

/** `mlobs` in this process: a hundred runs cost no hundred Node start-ups. */
export async function runHere(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run([...args, '--quiet'], {
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    color: false,
  });
  return { code, stdout, stderr };
}

/** The CSV report and the pushdown report agree on every section the pushdown computes. */
export function expectSameReport(csv: any, pushdown: any, engine: { name: string; version?: string }): void {
  expect(pushdown.engine).toMatchObject({ ...engine, mode: 'pushdown' });
  expect(csv.engine).toMatchObject({ name: 'csv', mode: 'in-memory' });
  // The sections the pushdown leaves out or flags (checked below), and the tie it cannot break as pandas does.
  const skip = [...FORMAT_FIELDS, 'target_drift', 'model_quality', 'tests', 'status'];
  for (const { section } of pushdown.engine.not_exact) {
    const m = /^quality\.columns\["(.*)"\]\.(reference|current)\.most_common$/.exec(section);
    if (m) skip.push(`quality.columns.${csv.quality.columns.findIndex((c: any) => c.column === m[1])}.${m[2]}.most_common`);
  }
  // Sums in sorted rather than row order may differ in the last bit: every number within 1e-12.
  expect(reportDifferences(csv, pushdown, skip, '', () => true)).toEqual([]);
  expect(pushdown.target_drift).toBeUndefined();
  expect(pushdown.model_quality).toBeUndefined();
  if (csv.target_drift) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('target_drift');
  if (csv.model_quality) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('model_quality');
}

/** The whole report and every window agree (windows are cut by the engine on one side, in memory on the other). */
export function expectSameWindows(csv: any, pushdown: any, engine: { name: string; version?: string }): void {
  expectSameReport(csv, pushdown, engine);
  expect(pushdown.windows.length).toBeGreaterThan(3);
  expect(reportDifferences(csv.windowing, pushdown.windowing, [], '', () => true)).toEqual([]);
  expect(reportDifferences(csv.windows, pushdown.windows, [], '', () => true)).toEqual([]);
}

/**
 * The activities log as the loader writes it (one type per column), cut into reference rows before May 2022 and
 * current rows from then, and written as reference.csv and current.csv.
 */
export async function splitLog(dir: string): Promise<{ ref: string; cur: string; columns: LoadedColumn[] }> {
  const whole = await columnsFromCsv(LOG, LOG);
  const dates = whole.find((c) => c.name === 'Date')!.ref as string[];
  const before = (i: number) => dates[i] < '2022-05-01';
  const columns = whole.map((c) => ({ ...c, ref: c.ref.filter((_, i) => before(i)), cur: c.ref.filter((_, i) => !before(i)) }));
  const ref = join(dir, 'reference.csv');
  const cur = join(dir, 'current.csv');
  writeCsv(ref, columns, 'ref');
  writeCsv(cur, columns, 'cur');
  return { ref, cur, columns };
}
