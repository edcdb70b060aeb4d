import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { Clock } from '../../src/clock.js';

export { tempDir } from './tmp.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'mlobs.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from src/ in this process, through the same `run(argv, io)` that bin/mlobs.js calls, so a test
 * never exercises a stale dist/. `env` is applied to process.env for the duration of the run only; tests in a
 * file run one after another, so no other run sees it.
 */
export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; clock?: Clock } = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const saved = Object.entries(options.env ?? {}).map(([k]) => [k, process.env[k]] as const);
  // Loaded on first use, so a test file that needs only the paths or readReport does not load the whole CLI.
  const { run } = await import('../../src/cli/run.js');
  Object.assign(process.env, options.env);
  try {
    const code = await run(args, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), color: false, clock: options.clock });
    return { code, stdout, stderr };
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/**
 * Runs the built CLI (bin/mlobs.js → dist/) as a child process, as a user would: for what only a real process
 * shows (exit status, signals, node options, worker threads started from compiled files). Needs `npm run build`.
 */
export function spawnCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'report.schema.json'), 'utf8')));

/** Reads a report.json and fails loudly if it does not match the shipped JSON Schema. */
export function readReport(dir: string): any {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
  if (!validate(report)) throw new Error(`report.json does not match schema: ${ajv.errorsText(validate.errors)}`);
  return report;
}

/** The goldens' tolerance: relative 1e-6, absolute 1e-9 near zero; non-finite values as strings must match. */
export function closeTo(actual: number | string, expected: number | string, rel = 1e-6): boolean {
  if (typeof expected === 'string' || typeof actual === 'string') return actual === expected;
  if (Math.abs(expected) < 1e-9) return Math.abs(actual - expected) <= 1e-9;
  return Math.abs(actual - expected) <= rel * Math.abs(expected);
}
