// `npm run bench`: runs the built CLI end to end on seeded synthetic data and prints a table of wall
// seconds per stage and peak RSS. Targets (1M x 20 reference + current, JSON out, 2 cores): <= 3 s, <= 600 MB.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataset, largeParquetDataset, parquetDataset, timedCurrent } from './generate.js';

const root = join(import.meta.dirname, '..');
const cache = join(root, 'bench', '.cache');
// MLOBS_BENCH_MODES="log, whole;log, 30 daily windows" runs only those configurations.
const modes = process.env.MLOBS_BENCH_MODES?.split(';');
// Larger than memory, only when named in MLOBS_BENCH_MODES: their data is generated on first use (12 GB for 100M rows).
const LARGE = ['100M parquet, duckdb', '100M parquet, duckdb 3GB', '10M+10M parquet, duckdb equals memory'];
// Asked only for larger-than-memory modes, the 100k and 1M sizes are not prepared.
const onlyLarge = modes?.every((m) => LARGE.includes(m));
const sizes = (process.env.MLOBS_BENCH_ROWS ?? (onlyLarge ? '' : '100000,1000000')).split(',').filter(Boolean).map(Number);
const repeats = Number(process.env.MLOBS_BENCH_REPEATS ?? 3);

// CPU seconds (user + sys, every thread, DuckDB's included) from GNU time when it is there: on a shared machine
// they vary far less than wall seconds.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// Runs a command, timing it: wall seconds, and CPU seconds and peak RSS bytes when GNU time is there.
function timedRun(command, args, dir) {
  const usageFile = join(dir, 'usage');
  const t0 = process.hrtime.bigint();
  const res = gnuTime ? spawnSync(gnuTime, ['-f', '%U %S %M', '-o', usageFile, command, ...args], { encoding: 'utf8' }) : spawnSync(command, args, { encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys, kb] = gnuTime && existsSync(usageFile) ? readFileSync(usageFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number) : [NaN, NaN, NaN];
  return { res, wall, cpu: user + sys, rss: kb * 1024 };
}

function runOnce(ref, cur, extra = [], keep = null) {
  const out = mkdtempSync(join(tmpdir(), 'mlobs-bench-'));
  const args = [join(root, 'bin', 'mlobs.js'), 'report', '-r', ref, '-c', cur, '-o', out, '--quiet', '--timings', ...extra];
  const { res, wall, cpu } = timedRun(process.execPath, args, out);
  const report = keep ? JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) : null;
  rmSync(out, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`mlobs failed (${res.status}): ${res.stderr}`);
  const timings = JSON.parse(res.stderr.trim().split('\n').pop());
  return { wall, cpu, report, ...timings };
}

// The peer baseline (bench/pandas-baseline.py): pandas.read_csv and scipy's ks_2samp, wasserstein_distance and
// chisquare per column, on Debian's python3-pandas and python3-scipy. Null when they are not installed.
const PYTHON = '/usr/bin/python3';
const hasPandas = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import pandas, scipy'], { encoding: 'utf8' }).status === 0;

function runPandas(ref, cur) {
  const dir = mkdtempSync(join(tmpdir(), 'mlobs-bench-'));
  const { res, wall, cpu, rss } = timedRun(PYTHON, [join(root, 'bench', 'pandas-baseline.py'), ref, cur], dir);
  rmSync(dir, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`pandas baseline failed (${res.status}): ${res.stderr}`);
  const t = JSON.parse(res.stdout.trim().split('\n').pop());
  return { wall, cpu, read_s: t.read_s, drift_s: t.stats_s, write_s: 0, peak_rss_bytes: rss };
}

const rows = [];
for (const n of sizes) {
  process.stderr.write(`preparing ${n} rows...\n`);
  const csv = await dataset(cache, n);
  const parquet = await parquetDataset(cache, n);
  const timed = await timedCurrent(cache, n);
  // The windowed run against the same log without windows: the one-pass target is at most 2x.
  const configs = [
    ['csv', 'threads', csv.ref, csv.cur, []],
    ['csv', 'one thread', csv.ref, csv.cur, ['--no-parallel']],
    ['parquet', 'threads', parquet.ref, parquet.cur, []],
    ['csv', 'log, whole', csv.ref, timed, ['--timestamp', 'ts']],
    ['csv', 'log, 30 daily windows', csv.ref, timed, ['--timestamp', 'ts', '--window', '1d']],
  ];
  for (const [format, label, ref, current, extra] of configs.filter(([, label]) => !modes || modes.includes(label))) {
    const mb = (statSync(ref).size + statSync(current).size) / 1e6;
    const runs = Array.from({ length: repeats }, () => runOnce(ref, current, extra));
    // The median run by wall time stands for the configuration.
    const med = runs.sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)];
    rows.push(row(n, format, mb, label, med));
  }
  if (hasPandas && (!modes || modes.includes('pandas + scipy'))) {
    const mb = (statSync(csv.ref).size + statSync(csv.cur).size) / 1e6;
    const runs = Array.from({ length: repeats }, () => runPandas(csv.ref, csv.cur));
    rows.push(row(n, 'csv', mb, 'pandas + scipy', runs.sort((a, b) => a.wall - b.wall)[Math.floor(runs.length / 2)]));
  }
}

function row(n, format, mb, mode, run) {
  return { rows: n, format, input_mb: Math.round(mb), mode, wall_s: run.wall, cpu_s: run.cpu, read_s: run.read_s, drift_s: run.drift_s, write_s: run.write_s, peak_rss_mb: Math.round(run.peak_rss_bytes / 2 ** 20) };
}

// The column-batch engine (docs/sources.md "Larger than memory"), one run each: 50M + 50M rows x 20 Parquet with
// the default memory limit (half the machine's memory) and with 3GB; and 10M + 10M, whose report must equal the
// in-memory report of the same files in every field but the run's timings and the engine.
const large = LARGE.filter((m) => modes?.includes(m));
for (const mode of large) {
  const n = mode.startsWith('100M') ? 50_000_000 : 10_000_000;
  process.stderr.write(`preparing ${n} + ${n} rows of Parquet...\n`);
  const { ref, cur } = await largeParquetDataset(cache, n);
  const mb = (statSync(ref).size + statSync(cur).size) / 1e6;
  const limit = mode.endsWith('3GB') ? ['--memory-limit', '3GB'] : [];
  const batched = runOnce(ref, cur, ['--engine', 'duckdb', ...limit], mode.includes('equals'));
  rows.push(row(2 * n, 'parquet', mb, `duckdb${limit.length ? ', 3GB' : ''}`, batched));
  if (!mode.includes('equals')) continue;
  const inMemory = runOnce(ref, cur, ['--engine', 'memory'], true);
  rows.push(row(2 * n, 'parquet', mb, 'in memory', inMemory));
  const strip = ({ run: _run, engine: _engine, ...rest }) => JSON.stringify(rest);
  const equal = strip(batched.report) === strip(inMemory.report);
  console.log(`${2 * n} rows: the column-batch report ${equal ? 'equals' : 'DIFFERS FROM'} the in-memory report (every field but run and engine)`);
  if (!equal) process.exitCode = 1;
}

const head = ['rows', 'format', 'input MB', 'mode', 'wall s', 'CPU s', 'read s', 'drift s', 'write s', 'peak RSS MB'];
const cells = rows.map((r) =>
  [r.rows, r.format, r.input_mb, r.mode, r.wall_s.toFixed(2), r.cpu_s.toFixed(1), r.read_s.toFixed(2), r.drift_s.toFixed(2), r.write_s.toFixed(3), r.peak_rss_mb].map(String),
);
const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const fmt = (r) => r.map((c, i) => c.padStart(widths[i])).join('  ');
console.log(fmt(head));
for (const c of cells) console.log(fmt(c));
for (const n of sizes) {
  const wall = (format, mode = 'threads') => rows.find((r) => r.rows === n && r.format === format && r.mode === mode)?.wall_s;
  const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
  console.log(`${n} rows, threads: Parquet ${ratio(wall('csv'), wall('parquet'))}x the speed of CSV (wall)`);
  console.log(`${n} rows, threads: CSV ${ratio(wall('csv', 'pandas + scipy'), wall('csv'))}x the speed of pandas read_csv + scipy per column (wall)`);
  console.log(`${n} rows: 30 daily windows cost ${ratio(wall('csv', 'log, 30 daily windows'), wall('csv', 'log, whole'))}x the whole-log report (wall)`);
}
console.log(
  '\ntargets for 1M x 20 (reference + current), JSON out: drift only <= 3 s wall and <= 600 MB peak RSS; with quality and suites (measured here) within 1.5x; Parquet >= 2x the speed of CSV; CSV >= 7x the speed of pandas + scipy; 30 daily windows <= 2x the whole-log report; 100M x 20 Parquet larger than memory <= 3 min, <= 3 GB peak RSS',
);

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const result = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, repeats, rows };
writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('written bench/results/latest.json');
