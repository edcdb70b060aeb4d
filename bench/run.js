// `npm run bench`: runs the built CLI end to end on seeded synthetic data and prints a table of wall
// seconds per stage and peak RSS. Targets (1M x 20 reference + current, JSON out, 2 cores): <= 3 s, <= 600 MB.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataset, parquetDataset, timedCurrent } from './generate.js';

const root = join(import.meta.dirname, '..');
const cache = join(root, 'bench', '.cache');
const sizes = (process.env.MLOBS_BENCH_ROWS ?? '100000,1000000').split(',').map(Number);
const repeats = Number(process.env.MLOBS_BENCH_REPEATS ?? 3);
// MLOBS_BENCH_MODES="log, whole;log, 30 daily windows" runs only those configurations.
const modes = process.env.MLOBS_BENCH_MODES?.split(';');

function runOnce(ref, cur, extra = []) {
  const out = mkdtempSync(join(tmpdir(), 'mlobs-bench-'));
  const t0 = process.hrtime.bigint();
  const res = spawnSync(process.execPath, [join(root, 'bin', 'mlobs.js'), 'report', '-r', ref, '-c', cur, '-o', out, '--quiet', '--timings', ...extra], {
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  rmSync(out, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`mlobs failed (${res.status}): ${res.stderr}`);
  const timings = JSON.parse(res.stderr.trim().split('\n').pop());
  return { wall, ...timings };
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
    rows.push({ rows: n, format, input_mb: Math.round(mb), mode: label, wall_s: med.wall, read_s: med.read_s, drift_s: med.drift_s, write_s: med.write_s, peak_rss_mb: Math.round(med.peak_rss_bytes / 2 ** 20) });
  }
}

const head = ['rows', 'format', 'input MB', 'mode', 'wall s', 'read s', 'drift s', 'write s', 'peak RSS MB'];
const cells = rows.map((r) => [r.rows, r.format, r.input_mb, r.mode, r.wall_s.toFixed(2), r.read_s.toFixed(2), r.drift_s.toFixed(2), r.write_s.toFixed(3), r.peak_rss_mb].map(String));
const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
const fmt = (r) => r.map((c, i) => c.padStart(widths[i])).join('  ');
console.log(fmt(head));
for (const c of cells) console.log(fmt(c));
for (const n of sizes) {
  const wall = (format, mode = 'threads') => rows.find((r) => r.rows === n && r.format === format && r.mode === mode)?.wall_s;
  const ratio = (a, b) => (a && b ? (a / b).toFixed(2) : 'n/a');
  console.log(`${n} rows, threads: Parquet ${ratio(wall('csv'), wall('parquet'))}x the speed of CSV (wall)`);
  console.log(`${n} rows: 30 daily windows cost ${ratio(wall('csv', 'log, 30 daily windows'), wall('csv', 'log, whole'))}x the whole-log report (wall)`);
}
console.log('\ntargets for 1M x 20 (reference + current), JSON out: drift only <= 3 s wall and <= 600 MB peak RSS; with quality and suites (measured here) within 1.5x; Parquet >= 2x the speed of CSV; 30 daily windows <= 2x the whole-log report');

mkdirSync(join(root, 'bench', 'results'), { recursive: true });
const result = { date: new Date().toISOString(), node: process.version, cpus: (await import('node:os')).cpus().length, repeats, rows };
writeFileSync(join(root, 'bench', 'results', 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log('written bench/results/latest.json');
