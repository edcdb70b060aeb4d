import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, statSync, symlinkSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UNSAFE_CHARACTER } from '../src/printable.js';
import { utc } from '../src/writers/html/common.js';
import { BIN, readReport, ROOT, runCli, spawnCli, tempDir, type CliResult } from './helpers/cli.js';
import { FakeSlack, WEBHOOK_PATH } from './helpers/fake_slack.js';

/*
 * The CLI runs in this process (`runCli`) unless a test is about what only a real process shows, where it runs
 * built, as a child process (`spawnCli`): the terminal guard on process output, signals, the umask, the working
 * directory, worker threads.
 */

/**
 * Starts `mlobs report ARGS` and sends SIGTERM once a file matching `staging` appears in `watched`: mid-write.
 * Resolves to the exit code, or the signal name.
 */
async function terminatedMidWrite(args: string[], watched: string, staging: (name: string) => boolean): Promise<unknown> {
  const child = spawn(process.execPath, [BIN, 'report', ...args, '--format', 'json,html', '--quiet'], { stdio: 'ignore' });
  await new Promise<void>((ready) => {
    const watcher = watch(watched, () => {
      if (readdirSync(watched).some(staging)) {
        watcher.close();
        ready();
      }
    });
  });
  child.kill('SIGTERM');
  return new Promise((done) => child.on('close', (c, sig) => done(c ?? sig)));
}

/**
 * Polls `out` as a reader of a published set does: resolve it once, then read that run's files. Every read
 * must find one of the `expected` file lists, with report.html of the same run as report.json.
 */
function pollSets(out: string, expected: string[][]): { stop: () => Promise<{ seen: number; problems: string[] }> } {
  let running = true;
  let seen = 0;
  const problems: string[] = [];
  const poll = async () => {
    while (running) {
      await new Promise((r) => setImmediate(r));
      let real: string;
      try {
        real = realpathSync(out);
      } catch {
        continue;
      }
      try {
        const names = readdirSync(real).sort();
        const started = readReport(real).run.started_at as string;
        const html = readFileSync(join(real, 'report.html'), 'utf8');
        if (!expected.some((e) => e.join() === names.join())) problems.push(`files ${names.join()}`);
        else if (!html.includes(utc(started))) problems.push(`report.html of another run than report.json in ${real}`);
        else seen++;
      } catch (e) {
        problems.push(String(e));
      }
    }
  };
  const poller = poll();
  return {
    stop: async () => {
      running = false;
      await poller;
      return { seen, problems };
    },
  };
}

function files(contents: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A small deterministic table: `rows(n, (i) => [..cells])` with a header. */
function csv(header: string[], n: number, row: (i: number) => (string | number)[]): string {
  return [header.join(','), ...Array.from({ length: n }, (_, i) => row(i).join(','))].join('\n') + '\n';
}

// Everything mlobs prints must be free of control characters but the newline ending each line.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029]/;

describe('crash and correctness', () => {
  it('probability columns that cover only some classes are a usage error, not a crash', async () => {
    const classes = ['a', 'b', 'c'];
    const make = (shift: number) => csv(['x', 'y', 'a', 'b'], 60, (i) => [i + shift, classes[i % 3], ((i * 7) % 10) / 20, ((i * 3) % 10) / 20]);
    const d = files({ 'r.csv': make(0), 'c.csv': make(1) });
    const res = await runCli(['test', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '--target', 'y', '--prediction', 'a,b', '-o', join(d, 'out')]);
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^mlobs: error: --prediction: .*"c"/);
  });

  it('datetime and id columns get their data-quality tests without ERROR, and integer datetimes have first/last', async () => {
    const make = (shift: number) =>
      csv(['id', 'year', 'when', 'x'], 40, (i) => [i + shift, 1950 + (i % 9), `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, (i * 37) % 11]);
    const d = files({ 'r.csv': make(0), 'c.csv': make(1000) });
    const out = join(d, 'out');
    const res = await runCli([
      'test',
      '-r',
      join(d, 'r.csv'),
      '-c',
      join(d, 'c.csv'),
      '--id',
      'id',
      '--datetime',
      'year,when',
      '-o',
      out,
      '--fail-on',
      'never',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const report = readReport(out);
    const errors = report.tests.tests.filter((t: any) => t.status === 'ERROR');
    expect(errors.map((t: any) => t.description)).toEqual([]);
    const year = report.quality.columns.find((c: any) => c.column === 'year');
    expect([year.reference.first, year.reference.last]).toEqual(['1950', '1958']);
  });

  it('one column, one type, one stat test: the suite drift test and the drift table agree for every column', async () => {
    const make = (shift: number) => csv(['k', 'x', 'c'], 1200, (i) => [(i + shift) % 4, ((i * 7919) % 1000) / 7, ['u', 'v', 'w'][(i + shift) % 3]]);
    const d = files({ 'r.csv': make(0), 'c.csv': make(1) });
    const out = join(d, 'out');
    const res = await runCli([
      'test',
      '-r',
      join(d, 'r.csv'),
      '-c',
      join(d, 'c.csv'),
      '--num-stattest',
      'psi',
      '--cat-stattest',
      'hellinger',
      '-o',
      out,
      '--fail-on',
      'never',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const report = readReport(out);
    for (const t of report.tests.tests.filter((t: any) => t.id === 'column_drift')) {
      const row = report.drift.columns.find((c: any) => c.column === t.column);
      expect(t.parameters.stattest, t.column).toBe(row.stattest_name);
      const type = report.columns.find((c: any) => c.name === t.column).type;
      const typed = report.tests.tests.filter((x: any) => x.column === t.column).map((x: any) => x.id);
      if (type === 'num') expect(typed).not.toContain('share_of_out_of_list_values');
      else expect(typed).not.toContain('share_of_out_of_range_values');
    }
  });
});

describe('terminal and CI safety', () => {
  const hostile = [
    'ok',
    'evil\u001b[2J\u001b[HDataset drift: not detected',
    'x\n::error file=a::pwned',
    'cr\rback',
    'sep\u2028line',
    'bell\u0007',
    'c1\u009b31m',
  ];

  it('control characters and newlines in column names, labels and file names are escaped in every line', async () => {
    const make = (shift: number) =>
      [
        hostile.map((h) => (/[\n\r,"]/.test(h) ? `"${h}"` : h)).join(','),
        ...Array.from({ length: 30 }, (_, i) =>
          hostile.map((_, j) => (j === 1 ? `"lab\u001b[31m\n::warning::${(i + shift) % 3}"` : (i * (j + 1) + shift) % 7)).join(','),
        ),
      ].join('\n') + '\n';
    const d = files({ 'r\u001b[1m.csv': make(0), 'c.csv': make(2) });
    for (const cmd of ['report', 'test']) {
      const res = await spawnCli([cmd, '-r', join(d, 'r\u001b[1m.csv'), '-c', join(d, 'c.csv'), '-o', join(d, `out-${cmd}`), '--fail-on', 'never']);
      expect(res.code, res.stderr).toBe(0);
      for (const line of `${res.stdout}${res.stderr}`.split('\n')) {
        expect(line).not.toMatch(CONTROL);
        expect(line).not.toMatch(/^::/);
      }
      if (cmd === 'report') expect(res.stdout).toContain('x\\n::error file=a::pwned');
    }
  });

  it('an error naming a hostile column is one escaped line', async () => {
    const d = files({ 'a.csv': 'a,b\n1,2\n', 'b.csv': 'a,b\n1,2\n' });
    const res = await spawnCli(['report', '-r', join(d, 'a.csv'), '-c', join(d, 'b.csv'), '--target', 'bad\u2028::error::name\u009b2J', '-o', join(d, 'o')]);
    expect(res.code).toBe(2);
    expect(res.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(res.stderr.trimEnd()).not.toMatch(CONTROL);
  });

  it('a very long label is capped on the terminal', async () => {
    const long = 'L'.repeat(100_000);
    const d = files({ 'r.csv': csv([long, 'x'], 20, (i) => [i, i % 3]), 'c.csv': csv([long, 'x'], 20, (i) => [i + 5, i % 3]) });
    const res = await spawnCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', join(d, 'o')]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.length).toBeLessThan(20_000);
    expect(res.stdout).toContain('(100000 characters)');
  });
});

describe('files and runs', () => {
  const REF = join(ROOT, 'fixtures/activities/reference.csv');
  const CUR = join(ROOT, 'fixtures/activities/current.csv');

  it('runs started in the same second get a directory each', async () => {
    const cwd = tempDir();
    const results = await Promise.all([0, 1, 2].map(() => spawnCli(['report', '-r', REF, '-c', CUR, '--quiet'], { cwd })));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const dirs = readdirSync(join(cwd, 'reports'));
    expect(dirs).toHaveLength(3);
    for (const d of dirs) expect(readdirSync(join(cwd, 'reports', d))).toEqual(['report.json']);
  });

  it('relative paths in a config file resolve against the config file, not the working directory', async () => {
    const d = files({ 'r.csv': readFileSync(REF, 'utf8'), 'c.csv': readFileSync(CUR, 'utf8') });
    mkdirSync(join(d, 'monitors'));
    writeFileSync(join(d, 'monitors', 'one.yaml'), 'reference: ../r.csv\ncurrent: ../c.csv\noutput:\n  dir: out\nprometheus:\n  textfile_dir: prom\n');
    writeFileSync(join(d, 'monitors', 'many.yaml'), 'monitors:\n  - name: a\n    reference: ../r.csv\n    current: ../c.csv\n    output:\n      dir: many\n');
    const cwd = tempDir();
    const one = await spawnCli(['report', '--config', join(d, 'monitors', 'one.yaml'), '--quiet'], { cwd });
    expect(one.code, one.stderr).toBe(0);
    expect(readdirSync(join(d, 'monitors', 'out'))).toContain('report.json');
    expect(readdirSync(join(d, 'monitors', 'prom'))).toEqual(['mlobs_default.prom']);
    const many = await spawnCli(['report', '--config', join(d, 'monitors', 'many.yaml'), '--quiet'], { cwd });
    expect(many.code, many.stderr).toBe(0);
    expect(existsSync(join(d, 'monitors', 'many', 'a', 'report.json'))).toBe(true);
    expect(readdirSync(cwd)).toEqual([]);
    // A flag is relative to the working directory, as on any command line.
    const flag = await spawnCli(['report', '--config', join(d, 'monitors', 'one.yaml'), '-o', 'here', '--quiet'], { cwd });
    expect(flag.code, flag.stderr).toBe(0);
    expect(readdirSync(cwd)).toEqual(['here']);
  });

  it('an output directory holding files of its own is never moved: merged into, with a warning that says so', async () => {
    const d = tempDir();
    const out = join(d, 'latest');
    const first = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', 'json,html,markdown', '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const second = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', 'json', '--quiet']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe(
      `mlobs: warning: output directory ${out} holds files mlobs did not write (notes.txt): its files are replaced one by one, so a reader may see a mix of two runs for a moment; give --out a directory of its own for an atomic switch\n`,
    );
    // The files of the previous set this run does not write again are removed.
    expect(lstatSync(out).isDirectory()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'report.json']);
    expect(readdirSync(d)).toEqual(['latest']);
  });

  it('an output that is a real directory holding an earlier run becomes a swapped link: readers see one whole set', async () => {
    const d = tempDir();
    const out = join(d, 'latest');
    // An existing empty directory is replaced whole by the first run.
    mkdirSync(out);
    const sets = ['json,html,markdown', 'json,html'];
    const expected = [
      ['report.html', 'report.json', 'summary.md'],
      ['report.html', 'report.json'],
    ];
    const first = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', sets[0], '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    expect(readdirSync(d)).toEqual(['latest']);
    const firstStarted = readReport(out).run.started_at;
    // The second run finds a real directory holding only the first run's files: it is moved aside whole, and a
    // link to the new set takes its place (docs/reports.md: the one moment the path is missing).
    const second = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', sets[1], '--quiet']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toBe('');
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(expected[1]);
    const runs = readdirSync(join(d, 'latest.runs')).sort();
    expect(runs).toHaveLength(2);
    expect(readdirSync(join(d, 'latest.runs', runs[0])).sort()).toEqual(expected[0]);
    expect(readReport(join(d, 'latest.runs', runs[0])).run.started_at).toBe(firstStarted);
    // From now on a reader that resolved the output keeps a whole set while the next run publishes.
    const poller = pollSets(out, expected);
    const resolved = realpathSync(out);
    const secondStarted = readReport(resolved).run.started_at;
    const third = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', sets[0], '--quiet']);
    expect(third.code, third.stderr).toBe(0);
    expect(readdirSync(resolved).sort()).toEqual(expected[1]);
    expect(readReport(resolved).run.started_at).toBe(secondStarted);
    expect(realpathSync(out)).not.toBe(resolved);
    const { seen, problems } = await poller.stop();
    expect(problems).toEqual([]);
    expect(seen).toBeGreaterThan(0);
    expect(readdirSync(d).sort()).toEqual(['latest', 'latest.runs']);
  });

  it('an output that is a symlink is swapped whole: a polling reader never sees a mixed or partial set', async () => {
    const d = tempDir();
    const out = join(d, 'latest');
    // Opting in: a symlink to a run directory that does not exist yet.
    symlinkSync(join('latest.runs', 'none'), out);
    mkdirSync(join(d, 'latest.runs'));
    writeFileSync(join(d, 'latest.runs', 'keep.txt'), 'mine');
    const sets = ['json,html,markdown', 'json,html'];
    const expected = [
      ['report.html', 'report.json', 'summary.md'],
      ['report.html', 'report.json'],
    ];
    const poller = pollSets(out, expected);
    for (let i = 0; i < 4; i++) {
      const res = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '-f', sets[i % 2], '--quiet']);
      expect(res.code, res.stderr).toBe(0);
    }
    const { seen, problems } = await poller.stop();
    expect(problems).toEqual([]);
    expect(seen).toBeGreaterThan(0);
    expect(lstatSync(out).isSymbolicLink()).toBe(true);
    expect(readdirSync(out).sort()).toEqual(expected[1]);
    // The current run and the previous one (an open reader may still be in it); older runs pruned, user files kept.
    const runs = readdirSync(join(d, 'latest.runs')).sort();
    expect(runs).toHaveLength(3);
    expect(runs).toContain('keep.txt');
    expect(readlinkSync(out)).toBe(join('latest.runs', runs[1]));
    expect(readdirSync(d).sort()).toEqual(['latest', 'latest.runs']);
  });

  it('a run into a symlinked output killed mid-write leaves the previous run and nothing else', async () => {
    const d = tempDir();
    const out = join(d, 'latest');
    symlinkSync(join('latest.runs', 'none'), out);
    const first = await runCli(['report', '-r', REF, '-c', CUR, '-o', out, '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const target = readlinkSync(out);
    const code = await terminatedMidWrite(['-r', REF, '-c', CUR, '-o', out], join(d, 'latest.runs'), (f) => f.startsWith('.'));
    expect(code).toBe(143);
    expect(readlinkSync(out)).toBe(target);
    expect(readdirSync(join(d, 'latest.runs'))).toEqual([target.split('/')[1]]);
    expect(readdirSync(d).sort()).toEqual(['latest', 'latest.runs']);
  });

  it('a failed run creates no output directory', async () => {
    const d = tempDir();
    const res = await spawnCli(['report', '-r', join(d, 'missing.csv'), '-c', CUR, '-o', join(d, 'new', 'out')]);
    expect(res.code).toBe(2);
    expect(existsSync(join(d, 'new'))).toBe(false);
    const cwd = tempDir();
    const dflt = await spawnCli(['report', '-r', join(d, 'missing.csv'), '-c', CUR], { cwd });
    expect(dflt.code).toBe(2);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('reports follow the umask; the textfile and a textfile directory mlobs creates are world-readable', async () => {
    const d = tempDir();
    const res = await new Promise<number | null>((done) => {
      const child = spawn('sh', [
        '-c',
        `umask 077 && exec "${process.execPath}" "${BIN}" report -r "${REF}" -c "${CUR}" -o "${join(d, 'out')}" --format json,prom --textfile-dir "${join(d, 'tf', 'sub')}" --quiet`,
      ]);
      child.on('close', done);
    });
    expect(res).toBe(0);
    expect(statSync(join(d, 'out', 'report.json')).mode & 0o777).toBe(0o600);
    expect(statSync(join(d, 'tf', 'sub', 'mlobs_default.prom')).mode & 0o777).toBe(0o644);
    expect(statSync(join(d, 'tf')).mode & 0o777).toBe(0o755);
    expect(statSync(join(d, 'tf', 'sub')).mode & 0o777).toBe(0o755);
  });

  it('temp files of a killed run are swept by the next run, and a run leaves none of its own', async () => {
    const d = tempDir();
    mkdirSync(join(d, 'out'));
    // A pid above the kernel's maximum is never alive.
    const stale = ['.report.json.99999999.deadbeef.tmp', '.staging.99999999.0badf00d.tmp'];
    writeFileSync(join(d, 'out', stale[0]), '{');
    mkdirSync(join(d, 'out', stale[1]));
    const res = await spawnCli(['report', '-r', REF, '-c', CUR, '-o', join(d, 'out'), '--format', 'json,prom', '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(readdirSync(join(d, 'out')).sort()).toEqual(['metrics.prom', 'report.json']);
  });

  it('a signal while a run works leaves no temp file behind', async () => {
    const d = tempDir();
    // A directory with a file of its own is merged into, so the staging directory is made inside it.
    mkdirSync(join(d, 'out'));
    writeFileSync(join(d, 'out', 'notes.txt'), 'mine');
    const code = await terminatedMidWrite(['-r', REF, '-c', CUR, '-o', join(d, 'out')], join(d, 'out'), (f) => f.startsWith('.staging'));
    expect([143, 0]).toContain(code);
    expect(readdirSync(join(d, 'out')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  it('a signal while the column-batch engine converts a CSV input leaves no DuckDB directory or converted file behind', async () => {
    const d = tempDir();
    const tmp = tempDir();
    const csv = join(d, 'big.csv');
    writeFileSync(csv, `a,b,c\n${Array.from({ length: 400_000 }, (_, i) => `${i % 1013},${(i * 7) % 101}.25,k${i % 13}`).join('\n')}\n`);
    const child = spawn(process.execPath, [BIN, 'report', '-r', csv, '-c', csv, '--engine', 'duckdb', '-o', join(d, 'out'), '--quiet'], {
      stdio: 'ignore',
      env: { ...process.env, TMPDIR: tmp },
    });
    const closed = new Promise((done) => child.on('close', (c, sig) => done(c ?? sig)));
    const converting = () => readdirSync(tmp).some((dir) => existsSync(join(tmp, dir, 'reference.parquet')));
    while (!converting()) await new Promise((r) => setTimeout(r, 5));
    child.kill('SIGTERM');
    expect([143, 0]).toContain(await closed);
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('schedule', () => {
  it('a static usage error (flag value, config key, unknown monitor) fails at start-up with exit 2, before "start"', async () => {
    const REF = join(ROOT, 'fixtures/activities/reference.csv');
    const CUR = join(ROOT, 'fixtures/activities/current.csv');
    const d = tempDir();
    writeFileSync(join(d, 'm.yaml'), `monitors:\n  - { name: a, reference: ${REF}, current: ${CUR} }\n`);
    for (const args of [
      ['-r', REF, '-c', CUR, '--format', 'xml'],
      ['-r', REF, '-c', CUR, '--stattest', 'kolmogorov'],
      ['--config', join(d, 'm.yaml'), '--monitor', 'b'],
    ]) {
      const res = await spawnCli(['schedule', '--cron', '* * * * * *', '--log-format', 'json', ...args, '-o', join(d, 'out')]);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).toMatch(/^mlobs: error: /);
    }
  });
});

describe('textfile', () => {
  const series = (text: string) => text.split('\n').filter((l) => l.startsWith('mlobs_drift_score'));

  it('a failed run carries over every series, labels with CR or U+2028 included; long labels are capped', async () => {
    const d = tempDir();
    const names = ['plain', 'c\rr', 's\u2028ep', 'L'.repeat(5000)];
    const make = (shift: number) =>
      csv(
        names.map((n) => (/[\r,]/.test(n) ? `"${n}"` : n)),
        60,
        (i) => names.map((_, j) => (i * (j + 3) + shift * j) % 17),
      );
    writeFileSync(join(d, 'r.csv'), make(0));
    writeFileSync(join(d, 'c.csv'), make(5));
    const tf = join(d, 'tf');
    const ok = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', join(d, 'o'), '--textfile-dir', tf, '--quiet']);
    expect(ok.code, ok.stderr).toBe(0);
    const first = readFileSync(join(tf, 'mlobs_default.prom'), 'utf8');
    expect(series(first)).toHaveLength(4);
    expect(first.length).toBeLessThan(20_000);
    const failed = await runCli(['report', '-r', join(d, 'missing.csv'), '-c', join(d, 'c.csv'), '-o', join(d, 'o'), '--textfile-dir', tf, '--quiet']);
    expect(failed.code).toBe(2);
    expect(series(readFileSync(join(tf, 'mlobs_default.prom'), 'utf8'))).toEqual(series(first));
  });
});

describe('inputs at the edges', () => {
  const CUR = join(ROOT, 'fixtures/activities/current.csv');
  const text = 'a,b\n1,2\n3,4\n';

  it('UTF-16/32 byte order marks and binary content are refused in one line that names the format', async () => {
    const d = tempDir();
    const cases: [string, Buffer, RegExp][] = [
      ['utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), /UTF-16 LE/],
      ['utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), /UTF-16 BE/],
      ['utf32.csv', Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]), /UTF-32 LE/],
      ['image.csv', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), /PNG image/],
      ['data.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), /ZIP archive/],
      ['nobom.csv', Buffer.from(text, 'utf16le'), /binary data .*NUL/],
    ];
    for (const [name, bytes, why] of cases) {
      writeFileSync(join(d, name), bytes);
      const res = await runCli(['report', '-r', join(d, name), '-c', CUR, '-o', join(d, 'o')]);
      expect(res.code, name).toBe(2);
      expect(res.stderr.trimEnd().split('\n'), name).toHaveLength(1);
      expect(res.stderr, name).toMatch(new RegExp(`^mlobs: error: .*${name}: .*${why.source}`));
    }
  });
  it('invalid UTF-8 is warned about once per file, with a count and where the first one is', async () => {
    const d = tempDir();
    const bad = Buffer.from([0x66, 0xff, 0x6f]);
    const rows = Array.from({ length: 40 }, (_, i) => Buffer.concat([Buffer.from(`${i},`), i % 10 === 3 ? bad : Buffer.from(`k${i % 3}`), Buffer.from('\n')]));
    writeFileSync(join(d, 'r.csv'), Buffer.concat([Buffer.from('n,label\n'), ...rows]));
    writeFileSync(
      join(d, 'c.csv'),
      csv(['n', 'label'], 40, (i) => [i, `k${i % 3}`]),
    );
    const res = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', join(d, 'o')]);
    expect(res.code, res.stderr).toBe(0);
    const lines = `${res.stdout}${res.stderr}`.split('\n').filter((l) => /UTF-8/.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/r\.csv: 4 cells are not valid UTF-8 \(the first at line 5, column "label"\)/);
    expect(readReport(join(d, 'o')).warnings.filter((w: { code: string }) => w.code === 'invalid_utf8')).toHaveLength(1);
  });
});

describe('per-column maps', () => {
  it('a column named __proto__ takes its per-column stat test and threshold, from flags and from the config', async () => {
    const d = files({
      'r.csv': csv(['__proto__', 'x'], 30, (i) => [i, i % 4]),
      'c.csv': csv(['__proto__', 'x'], 30, (i) => [i + 3, i % 4]),
      'm.yaml': 'drift:\n  per_column_stattest:\n    __proto__: psi\n  per_column_threshold:\n    __proto__: 0.3\n',
    });
    for (const how of [
      ['--per-column-stattest', '__proto__=psi', '--per-column-threshold', '__proto__=0.3'],
      ['--config', join(d, 'm.yaml')],
    ]) {
      const out = join(d, `o${how.length}`);
      const res = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), ...how, '-o', out, '--quiet']);
      expect(res.code, res.stderr).toBe(0);
      const col = readReport(out).drift.columns.find((c: any) => c.column === '__proto__');
      expect([col.stattest, col.threshold], how.join(' ')).toEqual(['psi', 0.3]);
    }
  });
});

describe('Slack', () => {
  const slack = new FakeSlack();
  const TOKEN = 'xoxb-1111-2222-fakeSecretToken';
  let report: string;
  beforeAll(async () => {
    await slack.start();
    const dir = tempDir();
    const res = await runCli([
      'report',
      '-r',
      join(ROOT, 'fixtures/activities/reference.csv'),
      '-c',
      join(ROOT, 'fixtures/activities/current.csv'),
      '-o',
      dir,
      '--format',
      'json,html',
      '--quiet',
    ]);
    expect(res.code, res.stderr).toBe(0);
    report = join(dir, 'report.json');
  });
  afterAll(() => slack.close());
  beforeEach(() => slack.reset());
  const env = (vars: Record<string, string>) => ({ SLACK_BOT_TOKEN: '', SLACK_WEBHOOK_URL: '', MLOBS_SLACK_API_URL: slack.apiUrl, ...vars });

  it('uploads only regular files that are what their name says: no symlinks, no impostors', async () => {
    const dir = join(report, '..');
    symlinkSync('/etc/hostname', join(dir, 'drift-scores.png'));
    writeFileSync(join(dir, 'drift-distributions.png'), 'not a png');
    const res = await runCli(['notify', report, '--slack-channel', '#ml', '--slack-upload'], { env: env({ SLACK_BOT_TOKEN: TOKEN }) });
    expect(res.code, res.stderr).toBe(0);
    const names = slack.calls('/api/files.getUploadURLExternal').map((r) => (r.body as Record<string, unknown>).filename);
    expect(names).toEqual(['report.html']);
    expect(res.stderr).toMatch(/not uploading .*drift-scores\.png/);
  });

  it('a Slack error text is printed escaped and capped; a secret echoed from the webhook URL is redacted', async () => {
    slack.script('/api/chat.postMessage', { json: { ok: false, error: `weird\u001b[2J${'x'.repeat(5000)}` } });
    const bot = await spawnCli(['notify', report, '--slack-channel', '#ml'], { env: env({ SLACK_BOT_TOKEN: TOKEN }) });
    expect(bot.code).toBe(4);
    expect(bot.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(bot.stderr.length).toBeLessThan(500);
    expect(bot.stderr.trimEnd()).not.toMatch(CONTROL);
    slack.script(WEBHOOK_PATH, { status: 400, text: 'bad request: sig=querySecret0123456789 rejected' });
    const hook = await spawnCli(['notify', report], { env: env({ SLACK_WEBHOOK_URL: `${slack.webhookUrl}?sig=querySecret0123456789` }) });
    expect(hook.code).toBe(4);
    expect(hook.stderr).not.toContain('querySecret0123456789');
  });

  it('credentials that can never work are a configuration error: exit 2 at once, nothing retried', async () => {
    const newline = await runCli(['notify', report, '--slack-channel', '#ml'], { env: env({ SLACK_BOT_TOKEN: `${TOKEN}\n` }) });
    expect(newline.code).toBe(2);
    expect(newline.stderr).toMatch(/^mlobs: error: SLACK_BOT_TOKEN /);
    const userinfo = await runCli(['notify', report], { env: env({ SLACK_WEBHOOK_URL: slack.webhookUrl.replace('http://', 'http://user:pass@') }) });
    expect(userinfo.code).toBe(2);
    expect(userinfo.stderr).not.toContain('pass@');
    expect(slack.requests).toEqual([]);
  });
});

describe('wide data and long labels', () => {
  it('the HTML lists the most drifted columns up to its limit with a note; report.json keeps every column, compact', async () => {
    const n = 1200;
    const names = Array.from({ length: n }, (_, j) => `c${j}`);
    const d = files({
      'r.csv': csv(names, 12, (i) => names.map((_, j) => (i + j) % 5)),
      'c.csv': csv(names, 12, (i) => names.map((_, j) => (i + j + (j % 2)) % 5)),
    });
    const out = join(d, 'o');
    const res = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', out, '-f', 'json,html', '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    const json = readFileSync(join(out, 'report.json'), 'utf8');
    expect(JSON.parse(json).drift.columns).toHaveLength(n);
    expect(json.split('\n').length).toBeLessThan(5);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('700 less drifted columns are not listed here');
  });

  it('report.json keeps a huge label as its start, its length and a hash: two long labels stay two', async () => {
    const [a, b] = ['A', 'B'].map((end) => `${'Z'.repeat(1_000_000)}${end}`);
    const name = 'N'.repeat(100_000);
    const d = files({ 'r.csv': csv([name, 'n'], 12, (i) => [i % 2 ? a : 'x', i]), 'c.csv': csv([name, 'n'], 12, (i) => [i % 3 ? b : 'x', i]) });
    const out = join(d, 'o');
    const res = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', out, '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(statSync(join(out, 'report.json')).size).toBeLessThan(200_000);
    const report = readReport(out);
    const labels: string[] = report.drift.columns.find((c: { column: string }) => c.column.startsWith('NNN')).distribution.x;
    const capped = labels.filter((x) => x.startsWith('ZZZ'));
    expect(capped).toHaveLength(2);
    for (const x of capped) expect(x).toMatch(/^Z+…\[1000001 characters, sha256 [0-9a-f]{12}\]$/);
    expect(report.drift.columns.map((c: { column: string }) => c.column)).toContainEqual(
      expect.stringMatching(/^N+…\[100000 characters, sha256 [0-9a-f]{12}\]$/),
    );
    const again = await runCli(['render', join(out, 'report.json'), '-o', join(d, 'again')]);
    expect(again.code, again.stderr).toBe(0);
  });

  it('a huge category label is capped in the HTML', async () => {
    const huge = 'Z'.repeat(1_000_000);
    const d = files({ 'r.csv': csv(['k'], 10, (i) => [i % 2 ? huge : 'a']), 'c.csv': csv(['k'], 10, (i) => [i % 3 ? huge : 'b']) });
    const out = join(d, 'o');
    const res = await runCli(['report', '-r', join(d, 'r.csv'), '-c', join(d, 'c.csv'), '-o', out, '-f', 'json,html', '--quiet']);
    expect(res.code, res.stderr).toBe(0);
    expect(statSync(join(out, 'report.html')).size).toBeLessThan(2_000_000);
  });
});

describe('standing guard', () => {
  // Control characters, ESC sequences, newlines, the line separator and bidirectional overrides, in every place
  // a user or a server can put text.
  const H = ['ok\u202eevil', 'e\u001b[2J\u001b]0;t\u0007', 'nl\n::error::x', 'cr\rz', 'ls\u2028y', 'del\u007fc1\u0085', 'rli\u2067x\u2069'];
  const quote = (h: string) => `"${h.replace(/"/g, '""')}"`;
  const table = (shift: number) =>
    [
      H.map(quote).join(','),
      ...Array.from({ length: 40 }, (_, i) => H.map((h, j) => (j % 2 ? quote(`${h}${(i + shift) % 3}`) : (i * (j + 1) + shift) % 9)).join(',')),
    ].join('\n') + '\n';
  const slack = new FakeSlack();
  beforeAll(() => slack.start());
  afterAll(() => slack.close());

  function expectClean(res: CliResult, what: string): void {
    for (const line of `${res.stdout}\n${res.stderr}`.split('\n')) {
      expect(line, what).not.toMatch(UNSAFE_CHARACTER);
      expect(line, what).not.toMatch(/^::/);
    }
  }

  it('every line mlobs prints is free of control characters, whatever the input', async () => {
    const name = `f${H.join('')}.csv`.replace(/[\n/]/g, '_');
    const d = files({ [name]: table(0), 'c.csv': table(2) });
    const out = join(d, 'o');
    const ref = join(d, name);
    const cur = join(d, 'c.csv');
    for (const cmd of ['report', 'test']) {
      const res = await spawnCli([cmd, '-r', ref, '-c', cur, '-o', join(out, cmd), '--fail-on', 'never', '-f', 'json,html,markdown,junit']);
      expect(res.code, res.stderr).toBe(0);
      expectClean(res, cmd);
    }
    for (const bad of [
      ['--target', H.join('')],
      ['--categorical', `${H[1]}?`],
      ['--per-column-stattest', `${H[3]}=nope`],
    ]) {
      const res = await spawnCli(['report', '-r', ref, '-c', cur, '-o', join(d, 'x'), ...bad]);
      expect(res.code).toBe(2);
      expectClean(res, bad.join(' '));
    }
    expectClean(await spawnCli(['report', '-r', join(d, `missing${H.join('')}.csv`.replace(/\n/g, '_')), '-c', cur]), 'missing file');
    const report = join(out, 'report', 'report.json');
    const env = { SLACK_BOT_TOKEN: 'xoxb-1-2-guard', SLACK_WEBHOOK_URL: '', MLOBS_SLACK_API_URL: slack.apiUrl };
    slack.script('/api/chat.postMessage', { json: { ok: false, error: H.join('') } });
    expectClean(await spawnCli(['notify', report, '--slack-channel', H[0]], { env }), 'notify, bot');
    slack.script(WEBHOOK_PATH, { status: 400, text: H.join('') });
    expectClean(await spawnCli(['notify', report], { env: { ...env, SLACK_BOT_TOKEN: '', SLACK_WEBHOOK_URL: slack.webhookUrl } }), 'notify, webhook');
    expectClean(await spawnCli(['notify', report, '--slack-channel', '#x', '--notify-optional'], { env: { ...env, SLACK_BOT_TOKEN: '' } }), 'notify, optional');
    for (const format of ['text', 'json']) {
      const child = spawn(
        process.execPath,
        [BIN, 'schedule', '--cron', '* * * * * *', '--log-format', format, '-r', join(d, `gone${H[1]}.csv`), '-c', cur, '-o', join(d, 's')],
        {
          cwd: ROOT,
          env: { ...process.env, NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      const res: CliResult = { code: null, stdout: '', stderr: '' };
      child.stdout.on('data', (b: Buffer) => (res.stdout += b));
      child.stderr.on('data', (b: Buffer) => (res.stderr += b));
      const closed = new Promise((r) => child.on('close', r));
      try {
        while (!/\brun\b/.test(res.stdout) && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
        child.kill('SIGTERM');
        await closed;
      } finally {
        // A schedule that never printed "run" would otherwise keep running every second after the test.
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      expectClean(res, `schedule ${format}`);
    }
  }, 60_000);
});
