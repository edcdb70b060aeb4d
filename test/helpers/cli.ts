import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'mlobs.js');
export const FIXTURES = join(ROOT, 'fixtures');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
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

export function tempDir(prefix = 'mlobs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
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
