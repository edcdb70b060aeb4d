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

async function writeFile(path, rows, seed, shifted) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const header = [
    ...Array.from({ length: NUMERIC }, (_, i) => `num_${i}`),
    ...Array.from({ length: CATEGORICAL }, (_, i) => `cat_${i}`),
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
      line += `level_${Math.floor(LEVELS * u ** power)}${c === CATEGORICAL - 1 ? '\n' : ','}`;
    }
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
