// Seeded synthetic data for the benchmark: 15 numeric + 5 categorical (10 levels) columns; the current
// file has a shift in some columns so the drift path does real work. Written once into bench/.cache/.
import { createWriteStream, existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMERIC = 15;
const CATEGORICAL = 5;
const LEVELS = 10;

async function writeFile(path, rows, seed, shifted, timed = false) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const header = [
    ...Array.from({ length: NUMERIC }, (_, i) => `num_${i}`),
    ...Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`),
    ...(timed ? ['ts'] : []),
  ].join(',');
  const tmp = `${path}.tmp`;
  const out = createWriteStream(tmp);
  out.write(`${header}\n`);
  let buf = '';
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < NUMERIC; c++) {
      // In current, a third of the numeric columns move by 0.2 sd and one widens.
      const shift = shifted && c % 3 === 0 ? 0.2 : 0;
      const scale = shifted && c === 1 ? 1.3 : 1;
      line += `${(10 * c + (normal() + shift) * scale * (c + 1)).toFixed(4)},`;
    }
    for (let c = 0; c < CATEGORICAL; c++) {
      // Skewed level probabilities; in current two columns favour low levels more strongly.
      const u = rand();
      const power = shifted && c < 2 ? 1.6 : 1.2;
      line += `level_${Math.floor(LEVELS * u ** power)}${c === CATEGORICAL - 1 && !timed ? '\n' : ','}`;
    }
    // A request log: rows in time order over DAYS days, to the second.
    if (timed) line += `${new Date(START + Math.floor((r / rows) * DAYS * 86_400) * 1000).toISOString().slice(0, 19)}Z\n`;
    buf += line;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((res) => out.once('drain', res));
      buf = '';
    }
  }
  out.write(buf);
  await new Promise((res, rej) => out.end((e) => (e ? rej(e) : res())));
  renameSync(tmp, path);
}

const DAYS = 30;
const START = Date.UTC(2026, 10, 1);

/** The current file of `rows` with a `ts` column spreading them over 30 days: the windowed benchmark's log. */
export async function timedCurrent(cacheDir, rows) {
  mkdirSync(cacheDir, { recursive: true });
  const cur = join(cacheDir, `current-ts-${rows}.csv`);
  if (!existsSync(cur)) await writeFile(cur, rows, 2, true, true);
  return cur;
}

/** Returns the paths of the reference and current files for `rows`, generating them if absent. */
export async function dataset(cacheDir, rows) {
  mkdirSync(cacheDir, { recursive: true });
  const ref = join(cacheDir, `reference-${rows}.csv`);
  const cur = join(cacheDir, `current-${rows}.csv`);
  if (!existsSync(ref)) await writeFile(ref, rows, 1, false);
  if (!existsSync(cur)) await writeFile(cur, rows, 2, true);
  return { ref, cur };
}

/** The same data as Parquet (numbers DOUBLE, categories VARCHAR), converted from the CSV files by DuckDB. */
export async function parquetDataset(cacheDir, rows) {
  const { ref, cur } = await dataset(cacheDir, rows);
  const out = { ref: ref.replace(/\.csv$/, '.parquet'), cur: cur.replace(/\.csv$/, '.parquet') };
  const missing = [[ref, out.ref], [cur, out.cur]].filter(([, p]) => !existsSync(p));
  if (missing.length === 0) return out;
  const { openDuckDb } = await import('../dist/sources/duckdb/connection.js');
  const db = await openDuckDb();
  try {
    for (const [csv, parquet] of missing) {
      await db.connection.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${parquet}.tmp' (FORMAT parquet)`);
      renameSync(`${parquet}.tmp`, parquet);
    }
  } finally {
    await db.close();
  }
  return out;
}

/**
 * Reference and current Parquet files of `rows` rows each with the same 15 numeric + 5 categorical columns,
 * written by DuckDB's SQL straight from `range()` (generating 50M rows through CSV would take longer than the
 * run it measures). Seeded by hashes of the row number, so the files are the same on every run and machine:
 * normal numbers (Box-Muller on two 53-bit uniforms), 10 levels per category; the current side shifts five
 * numeric columns and adds two levels to one category.
 */
export async function largeParquetDataset(cacheDir, rows) {
  mkdirSync(cacheDir, { recursive: true });
  const out = { ref: join(cacheDir, `reference-${rows}-generated.parquet`), cur: join(cacheDir, `current-${rows}-generated.parquet`) };
  const uniform = (k, side) => `((hash(i, ${k}, ${side}) >> 11)::DOUBLE / 9007199254740992.0)`;
  const columns = (side) => [
    ...Array.from({ length: NUMERIC }, (_, k) => {
      const shift = side === 1 && k < 5 ? 0.02 * (k + 1) : 0;
      return `sqrt(-2 * ln(1 - ${uniform(2 * k, side)})) * cos(2 * pi() * ${uniform(2 * k + 1, side)}) * ${k + 1} + ${shift} AS num_${k}`;
    }),
    ...Array.from({ length: CATEGORICAL }, (_, k) => `'level_' || (hash(i, ${100 + k}, ${side}) % ${side === 1 && k === 0 ? LEVELS + 2 : LEVELS}) AS cat_${k}`),
  ];
  const missing = [out.ref, out.cur].map((path, side) => [path, side]).filter(([path]) => !existsSync(path));
  if (missing.length === 0) return out;
  const { openDuckDb } = await import('../dist/sources/duckdb/connection.js');
  const db = await openDuckDb();
  try {
    for (const [path, side] of missing) {
      await db.connection.run(`COPY (SELECT ${columns(side).join(', ')} FROM range(${rows}) t(i)) TO '${path}.tmp' (FORMAT parquet)`);
      renameSync(`${path}.tmp`, path);
    }
  } finally {
    await db.close();
  }
  return out;
}
