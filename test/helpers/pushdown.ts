import { expect } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { CliResult } from './cli.js';

/** `mlobs` in this process: a hundred runs cost no hundred Node start-ups. */
export async function runHere(args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run([...args, '--quiet'], { stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; }, color: false });
  return { code, stdout, stderr };
}

/** Numbers equal to 1e-12 (relative, absolute near zero); everything else exactly; `skip` paths left out. */
function sameReport(a: unknown, b: unknown, path: string, skip: Set<string>, out: string[]): void {
  if (skip.has(path)) return;
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a)))) out.push(`${path}: ${a} vs ${b}`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) sameReport((a as any)[k], (b as any)[k], Array.isArray(a) ? `${path}[${k}]` : `${path}.${k}`, skip, out);
    return;
  }
  if (a !== b) out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
}

/** The CSV report and the pushdown report agree on every section the pushdown computes. */
export function expectSameReport(csv: any, pushdown: any, engine: { name: string; version?: string }): void {
  expect(pushdown.engine).toMatchObject({ ...engine, mode: 'pushdown' });
  expect(csv.engine).toMatchObject({ name: 'csv', mode: 'in-memory' });
  const skip = new Set<string>();
  for (const { section } of pushdown.engine.not_exact) {
    const m = /^quality\.columns\["(.*)"\]\.(reference|current)\.most_common$/.exec(section);
    if (m) skip.add(`.quality.columns[${csv.quality.columns.findIndex((c: any) => c.column === m[1])}].${m[2]}.most_common`);
  }
  const diffs: string[] = [];
  for (const section of ['columns', 'drift', 'quality', 'errors', 'warnings', 'options']) sameReport(csv[section], pushdown[section], `.${section}`, skip, diffs);
  expect(diffs).toEqual([]);
  expect(pushdown.target_drift).toBeUndefined();
  expect(pushdown.model_quality).toBeUndefined();
  if (csv.target_drift) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('target_drift');
  if (csv.model_quality) expect(pushdown.engine.not_exact.map((e: any) => e.section)).toContain('model_quality');
}

