import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, readReport, ROOT, runCli, tempDir } from './helpers/cli.js';

interface Line {
  event: string;
  status?: string;
  run_status?: string;
  exit_code?: number;
  message?: string;
  signal?: string;
}

/** CPU time of the thread `tid` of process `pid` so far, in clock ticks (user + system; Linux /proc). */
function threadTicks(pid: number, tid = pid): number {
  const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Whether the main thread of `pid` computed for (nearly) all of the next `ms` milliseconds. */
async function busyFor(pid: number, ms: number): Promise<boolean> {
  const before = threadTicks(pid);
  await new Promise((r) => setTimeout(r, ms));
  // 100 ticks a second (USER_HZ): busy means at least half the interval on the CPU (the box may be shared).
  return (threadTicks(pid) - before) * 10 >= ms / 2;
}

describe('mlobs schedule', () => {
  it('survives a failing run; SIGTERM mid-run lets that run finish, then exits 0', async () => {
    const dir = tempDir();
    // The current file is a FIFO that does not exist yet: the first runs fail (missing input); once it
    // exists, a run blocks reading it until this test writes the data, so SIGTERM lands mid-run for sure.
    const current = join(dir, 'current.csv');
    const out = join(dir, 'out');
    const child = spawn(
      process.execPath,
      [BIN, 'schedule', '--cron', '* * * * * *', '--log-format', 'json', '-r', 'fixtures/activities/reference.csv', '-c', current, '--target', 'Quality', '-o', out],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const lines: Line[] = [];
    let stderr = '';
    let buffered = '';
    const waiters: { test: (l: Line) => boolean; resolve: () => void }[] = [];
    child.stdout.on('data', (d: Buffer) => {
      buffered += d;
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const text of parts) {
        const line = JSON.parse(text) as Line;
        lines.push(line);
        for (const w of waiters.filter((x) => x.test(line))) w.resolve();
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const seen = (test: (l: Line) => boolean) =>
      lines.some(test) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ test, resolve }));

    try {
      await seen((l) => l.event === 'run' && l.exit_code === 2);
      execFileSync('mkfifo', [current]);
      // Opening the write end waits for a run to open the read end: from here a run is in progress.
      const fifo = await open(current, 'w');
      child.kill('SIGTERM');
      await seen((l) => l.event === 'stop');
      await fifo.writeFile(readFileSync(join(ROOT, 'fixtures/activities/current.csv')));
      await fifo.close();
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toBe('');
    expect(lines[0].event).toBe('start');
    const failed = lines.find((l) => l.event === 'run')!;
    expect(failed).toMatchObject({ status: 'usage', exit_code: 2, run_status: 'error' });
    expect(failed.message).toMatch(/^error: .*current\.csv/);
    const stopAt = lines.findIndex((l) => l.event === 'stop');
    expect(lines[stopAt].signal).toBe('SIGTERM');
    // The run in flight when the signal came is the last line: it finished, and nothing ran after it.
    // run_status is the report's status: the same word report.json, the HTML, Slack and Prometheus have.
    expect(lines.slice(stopAt + 1)).toEqual([expect.objectContaining({ event: 'run', status: 'ok', exit_code: 0, run_status: readReport(out).status.code })]);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  }, 60_000);

  it('a second SIGTERM stops at once, in the middle of a long run', async () => {
    const dir = tempDir();
    // Wide enough that a run takes many seconds (10 000 columns: 7 s of CPU), most of it
    // in synchronous per-column work.
    const big = (shift: number) => {
      const names = Array.from({ length: 10_000 }, (_, j) => `c${j}`);
      const rows = [names.join(',')];
      for (let i = 0; i < 50; i++) rows.push(names.map((_, j) => (i * (j + 3) + shift * (j % 2)) % 11).join(','));
      return `${rows.join('\n')}\n`;
    };
    writeFileSync(join(dir, 'r.csv'), big(0));
    writeFileSync(join(dir, 'c.csv'), big(1));
    const child = spawn(process.execPath, [BIN, 'schedule', '--cron', '* * * * * *', '--log-format', 'json', '-r', join(dir, 'r.csv'), '-c', join(dir, 'c.csv'), '-o', join(dir, 'out'), '--quiet'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    const exited = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
    const until = async (test: () => boolean) => {
      while (!test()) await new Promise((r) => setTimeout(r, 20));
    };
    try {
      await until(() => stdout.includes('"event":"start"'));
      // Both signals land while the run computes. The scheduler's own thread is watched (Linux /proc): when
      // it computes the run itself, the signals arrive inside a long synchronous stretch of it, which a
      // design that computes on that thread only notices when the stretch ends, seconds later. When the run
      // computes elsewhere, that thread stays idle and the signals come 2.5 s after the start line.
      const deadline = Date.now() + 2500;
      while (Date.now() < deadline && !(await busyFor(child.pid!, 200))) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
      child.kill('SIGTERM');
      const t0 = Date.now();
      const [code, signal] = await exited;
      expect(Date.now() - t0).toBeLessThan(1000);
      // Documented: the second signal ends the process as the signal does by default (status 143 in a shell).
      expect([code, signal]).toEqual([null, 'SIGTERM']);
    } finally {
      child.kill('SIGKILL');
    }
    // The first signal was heard at once (the stop line), and the run in flight never finished.
    expect(stdout).toContain('"event":"stop"');
    // The run in flight never finished: the process did not wait for it.
    expect(stdout).not.toContain('"event":"run"');
  }, 60_000);

  it('a bad cron expression or report flag fails at once, exit 2', async () => {
    const cron = await runCli(['schedule', '--cron', '61 * * * *', '-r', 'a.csv', '-c', 'b.csv']);
    expect(cron.code).toBe(2);
    expect(cron.stderr).toMatch(/^mlobs: error: cron expression "61 \* \* \* \*": minute "61": 61 is outside 0-59\n$/);
    const flag = await runCli(['schedule', '--cron', '* * * * *', '--refrence', 'a.csv']);
    expect(flag.code).toBe(2);
    expect((await runCli(['schedule', '-r', 'a.csv'])).stderr).toMatch(/missing --cron/);
  });
});
