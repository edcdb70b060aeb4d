import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { FakeSlack } from './helpers/fake_slack.js';
import { duckdbExec } from './helpers/parquet.js';
import { readReport, ROOT, runCli, tempDir, type CliResult } from './helpers/cli.js';

const exec = promisify(execFile);
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

let dir: string;
let cache: string;
let build: { bytes: number; build_s: number };

/** Runs the binary from a directory with no node_modules in it or above it, with a minimal environment. */
function runBinary(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return exec(join(dir, 'mlobs'), args, { cwd: dir, env: { PATH: '/usr/bin:/bin', NO_COLOR: '1', XDG_CACHE_HOME: cache, ...env } })
    .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }))
    .catch((e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
}

/** Rows enough that `mlobs report` reads and scores on worker threads when it can. */
function largeCsv(rows: number, shift: number): string {
  const lines = ['a,b,c,d,e,f'];
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < rows; i++) lines.push(Array.from({ length: 6 }, (_, j) => (rand() * (j + 1) + shift).toFixed(4)).join(','));
  return `${lines.join('\n')}\n`;
}

// The package smoke test is mostly npm unpacking some 250 packages (disk, not CPU): it runs while the binary is
// built and tested, and its test awaits it.
let packSmoke: Promise<{ stdout: string }>;

beforeAll(async () => {
  packSmoke = exec(process.execPath, [join(ROOT, 'scripts/pack-smoke.mjs')], { cwd: ROOT });
  // Its failure is reported by its own test.
  packSmoke.catch(() => undefined);
  dir = tempDir('mlobs-binary-');
  cache = join(dir, '.cache');
  // Built straight into the temporary directory, which tempDir removes after the file: no 100 MB copy.
  const { stdout } = await exec(process.execPath, [join(ROOT, 'scripts/build-binary.mjs'), '--out', join(dir, 'mlobs')], { cwd: ROOT });
  build = JSON.parse(stdout);
  for (const f of ['reference.csv', 'current.csv']) copyFileSync(join(ROOT, 'fixtures/activities', f), join(dir, f));
  let up = dir;
  while (up !== '/') {
    expect(existsSync(join(up, 'node_modules')), up).toBe(false);
    up = join(up, '..');
  }
}, 180_000);

describe('standalone binary (Node SEA)', () => {
  it('is one self-contained file of about the size of node', () => {
    expect(build.bytes).toBeGreaterThan(50e6);
    expect(build.bytes).toBeLessThan(200e6);
  });

  it('knows its version', async () => {
    const res = await runBinary(['--version']);
    expect(res.stdout.trim()).toBe(VERSION);
  });

  it('mlobs report: the same report as the npm package, JSON, HTML and Prometheus, no node_modules', async () => {
    const res = await runBinary(['report', '-r', 'reference.csv', '-c', 'current.csv', '--target', 'Quality', '-o', 'out', '-f', 'json,html,prom']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toBe('');
    const report = readReport(join(dir, 'out'));
    expect(report.run.mlobs_version).toBe(VERSION);
    const out = tempDir();
    const viaNode = await runCli(['report', '-r', 'fixtures/activities/reference.csv', '-c', 'fixtures/activities/current.csv', '--target', 'Quality', '-o', out]);
    expect(viaNode.code).toBe(0);
    expect(report.drift).toEqual(readReport(out).drift);
    const html = readFileSync(join(dir, 'out', 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('Distance (km)');
    expect(existsSync(join(dir, 'out', 'metrics.prom'))).toBe(true);
  });

  it('PNG charts need the native canvas module: one clear line, and no other format is affected', async () => {
    const res = await runBinary(['report', '-r', 'reference.csv', '-c', 'current.csv', '-o', 'png', '-f', 'json,png']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/^mlobs: error: --format png needs the native module @napi-rs\/canvas.*standalone binary cannot include.*\n$/);
  });

  it('Parquet input needs the native DuckDB module: one clear line, exit 2, no report', async () => {
    await duckdbExec(`COPY (SELECT * FROM read_csv('${join(dir, 'current.csv')}')) TO '${join(dir, 'current.parquet')}' (FORMAT parquet)`);
    const res = await runBinary(['report', '-r', 'reference.csv', '-c', 'current.parquet', '-o', 'parquet']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^mlobs: error: Parquet input and --engine duckdb need the native module @duckdb\/node-api.*standalone binary cannot include.*\n$/);
    expect(existsSync(join(dir, 'parquet', 'report.json'))).toBe(false);
  });

  it('large inputs: reading and scoring stay in the main thread, as there are no worker scripts', async () => {
    writeFileSync(join(dir, 'big-ref.csv'), largeCsv(100_000, 0));
    writeFileSync(join(dir, 'big-cur.csv'), largeCsv(100_000, 0.05));
    const res = await runBinary(['report', '-r', 'big-ref.csv', '-c', 'big-cur.csv', '-o', 'big', '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(readReport(join(dir, 'big')).run.drift_threads).toBe(1);
  });

  it('without a writable cache directory the embedded files go to a private temporary one', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const res = await runBinary(['report', '-r', 'reference.csv', '-c', 'current.csv', '-o', 'nocache', '-f', 'html', '--quiet'], { XDG_CACHE_HOME: join(dir, 'not-a-dir') });
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync(join(dir, 'nocache', 'report.html'))).toBe(true);
  });

  it('posts to Slack (the bundled client) against the local fake', async () => {
    const slack = await new FakeSlack().start();
    try {
      const res = await runBinary(['notify', 'out/report.json', '--slack-channel', '#ml'], { SLACK_BOT_TOKEN: 'xoxb-binary-test', MLOBS_SLACK_API_URL: slack.apiUrl });
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout).toBe('Slack: posted to #ml\n');
      expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage']);
    } finally {
      await slack.close();
    }
  });

  it.skipIf(!existsSync(join(ROOT, 'src/cli/commands/test.ts')))('mlobs test runs the suites', async () => {
    const res = await runBinary(['test', '-r', 'reference.csv', '-c', 'current.csv', '--target', 'Quality', '-o', 'tests']);
    expect([0, 1], res.stderr).toContain(res.code);
  });
});

describe('npm package', () => {
  it('`npm pack` installs into an empty project and runs with npx', async () => {
    const { stdout } = await packSmoke;
    const result = JSON.parse(stdout);
    expect(result.tarball).toBe(`mlobs-${VERSION}.tgz`);
  }, 300_000);
});
