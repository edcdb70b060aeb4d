// `npm run bench:clickhouse`: the pushdown row of the benchmark. Starts the same 2-shard ClickHouse cluster
// as test/clickhouse.test.ts, fills a Distributed table with N reference + N current rows x 20 columns
// (15 numerical with 2 decimals, 5 categorical) inside ClickHouse, runs `mlobs report --source clickhouse://...`
// (default tests, JSON out) and prints wall time and mlobs' own peak RSS. N = MLOBS_BENCH_CH_ROWS (default 5M,
// i.e. 10M rows in all).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLICKHOUSE_BIN, PASSWORD, startCluster } from './clickhouse-cluster.js';

const root = join(import.meta.dirname, '..');
const GNU_TIME = '/usr/bin/time';
const TICKS_PER_SECOND = 100;

/** A process's user + system CPU seconds so far, from /proc (fields 14 and 15 of its stat line, in clock ticks). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}
const perSide = Number(process.env.MLOBS_BENCH_CH_ROWS ?? 5_000_000);
if (!CLICKHOUSE_BIN) {
  console.log('clickhouse-server is not installed (apt-get install clickhouse-server): pushdown row skipped');
  process.exit(0);
}

const num = Array.from({ length: 15 }, (_, i) => `n${i}`);
const cat = Array.from({ length: 5 }, (_, i) => `c${i}`);
const defs = [...num.map((c) => `${c} Float64`), ...cat.map((c) => `${c} String`)].join(', ');
// Deterministic values from hashes of the row number; the current side shifts some columns a little.
const exprs = [
  ...num.map((c, i) => `round((intHash64(number * ${i + 3}) % 100000) / 100.0 + (number >= ${perSide}) * ${(i % 4) * 0.5}, 2)`),
  ...cat.map((c, i) => `concat('v', toString(intHash64(number * ${i + 31}) % ${5 + 3 * i}))`),
];

const cluster = await startCluster();
try {
  await cluster.everywhere(`CREATE TABLE default.bench_local (rn UInt64, side UInt8, ${defs}) ENGINE = MergeTree ORDER BY rn`);
  await cluster.everywhere(`CREATE TABLE default.bench (rn UInt64, side UInt8, ${defs}) ENGINE = Distributed(mlobs, default, bench_local, rn)`);
  const t0 = Date.now();
  await cluster.query(`INSERT INTO default.bench SELECT number, number >= ${perSide}, ${exprs.join(', ')} FROM numbers(${2 * perSide})`);
  process.stderr.write(`loaded ${2 * perSide} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  const cols = [...num, ...cat].join(', ');
  const out = mkdtempSync(join(tmpdir(), 'mlobs-bench-'));
  const engineCpu = () => cluster.servers.reduce((sum, server) => sum + cpuSeconds(server.process.pid), 0);
  const engineBefore = engineCpu();
  const start = process.hrtime.bigint();
  // Under GNU time when it is there: mlobs' own CPU seconds, steadier than wall time on a shared machine.
  const timed = existsSync(GNU_TIME);
  const res = spawnSync(
    timed ? GNU_TIME : process.execPath,
    [
      ...(timed ? ['-f', 'cpu %U %S', process.execPath] : []),
      join(root, 'bin', 'mlobs.js'),
      'report',
      '--source',
      cluster.url,
      '--reference-sql',
      `SELECT ${cols} FROM default.bench WHERE side = 0`,
      '--current-sql',
      `SELECT ${cols} FROM default.bench WHERE side = 1`,
      '-o',
      out,
      '--quiet',
      '--timings',
    ],
    { encoding: 'utf8', env: { ...process.env, MLOBS_CLICKHOUSE_PASSWORD: PASSWORD } },
  );
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(out, { recursive: true, force: true });
  if (res.status !== 0) throw new Error(`mlobs failed (${res.status}): ${res.stderr}`);
  const engine = engineCpu() - engineBefore;
  const lines = res.stderr.trim().split('\n');
  const cpu = timed ? lines.pop().split(' ').slice(1).map(Number) : null;
  const timings = JSON.parse(lines.pop());
  const mlobsCpu = cpu ? `, mlobs CPU ${(cpu[0] + cpu[1]).toFixed(1)} s (user ${cpu[0]} + sys ${cpu[1]})` : '';
  console.log(
    `ClickHouse pushdown, 2 shards, ${perSide} + ${perSide} rows x 20 columns: wall ${wall.toFixed(1)} s (queries + analysis ${timings.drift_s} s; read and typing ${timings.read_s} s)${mlobsCpu}, ClickHouse servers' CPU ${engine.toFixed(1)} s, mlobs peak RSS ${Math.round(timings.peak_rss_bytes / 2 ** 20)} MB, load average ${loadavg()[0].toFixed(1)}`,
  );
} finally {
  await cluster.stop();
}
