import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReport, spawnCli, tempDir } from './helpers/cli.js';
import { csvToParquet, reportDifferences } from './helpers/parquet.js';
import { mulberry32 } from './helpers/random.js';

// 100k rows x 6 columns per side: above the size at which drift is scored on worker threads.
function writeData(path: string, rows: number, seed: number, shift: number) {
  const rand = mulberry32(seed);
  const lines = ['a,b,c,d,e,f'];
  for (let i = 0; i < rows; i++) {
    const cat = `L${Math.floor(rand() ** (1 + shift) * 6)}`;
    lines.push([rand() + shift, rand() * 10, Math.round(rand() * 4), rand() > 0.5 ? 'yes' : 'no', cat, i % 97 === 0 ? '' : rand().toFixed(3)].join(','));
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('drift on worker threads', () => {
  let dir: string;
  let parquet: string[];
  beforeAll(async () => {
    dir = tempDir();
    writeData(join(dir, 'ref.csv'), 100_000, 1, 0);
    writeData(join(dir, 'cur.csv'), 100_000, 2, 0.05);
    parquet = ['ref', 'cur'].map((side) => join(dir, `${side}.parquet`));
    // DuckDB's sniffer would make yes/no a BOOLEAN column, which reads as True/False.
    await csvToParquet(
      ['ref', 'cur'].map((side, k) => [join(dir, `${side}.csv`), parquet[k]]),
      `, types = {'d': 'VARCHAR'}`,
    );
  });

  it('gives exactly the single-threaded result', async () => {
    const par = tempDir();
    const seq = tempDir();
    const args = ['report', '-r', join(dir, 'ref.csv'), '-c', join(dir, 'cur.csv'), '--per-column-stattest', 'b=ks'];
    const [p, q] = await Promise.all([spawnCli([...args, '-o', par]), spawnCli([...args, '-o', seq, '--no-parallel'])]);
    expect(p.code, p.stderr).toBe(0);
    expect(q.code, q.stderr).toBe(0);
    const a = readReport(par);
    const b = readReport(seq);
    expect(a.drift.columns.map((c: any) => c.column)).toEqual(['a', 'b', 'c', 'f', 'd', 'e']);
    expect(a.drift).toEqual(b.drift);
    expect(a.quality).toEqual(b.quality);
    expect(a.run.drift_threads).toBeGreaterThan(1);
    expect(b.run.drift_threads).toBe(1);
    expect(a.drift.columns.find((c: any) => c.column === 'a').drift_detected).toBe(true);
  });

  it('a worker started while big files with few values are read is ended unused, and the run ends as usual', async () => {
    // 30k rows of long text: over the size at which workers start during reading, under the values that use them.
    const wide = join(dir, 'wide.csv');
    const cell = 'x'.repeat(60);
    writeFileSync(wide, `a,b,c\n${Array.from({ length: 30_000 }, (_, i) => `${i % 50},${cell}${i % 7},${cell}`).join('\n')}\n`);
    const out = tempDir();
    const res = await spawnCli(['report', '-r', wide, '-c', wide, '-o', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(readReport(out).run.drift_threads).toBe(1);
  });

  it('two Parquet inputs, each group of columns analysed on a worker while the next is read: the CSV report, and the single-threaded one', async () => {
    const [csv, par, seq] = [tempDir(), tempDir(), tempDir()];
    const args = (ref: string, cur: string, out: string, ...extra: string[]) => ['report', '-r', ref, '-c', cur, '-o', out, '--per-column-stattest', 'b=ks', ...extra];
    const runs = await Promise.all([
      spawnCli(args(join(dir, 'ref.csv'), join(dir, 'cur.csv'), csv)),
      spawnCli(args(parquet[0], parquet[1], par)),
      spawnCli(args(parquet[0], parquet[1], seq, '--no-parallel')),
    ]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const [fromCsv, a, b] = [csv, par, seq].map((out) => readReport(out));
    expect(reportDifferences(fromCsv, a)).toEqual([]);
    expect(reportDifferences(b, a)).toEqual([]);
    expect(a.inputs.reference.sha256).toBe(createHash('sha256').update(readFileSync(parquet[0])).digest('hex'));
    expect(a.run.drift_threads).toBeGreaterThan(1);
    expect(b.run.drift_threads).toBe(1);
  });

  it('a usage error found in a worker is still one line and exit 2, from CSV and from Parquet inputs', async () => {
    for (const [ref, cur] of [[join(dir, 'ref.csv'), join(dir, 'cur.csv')], parquet]) {
      const res = await spawnCli(['report', '-r', ref, '-c', cur, '--per-column-stattest', 'b=ks', '--stattest-threshold', '2', '-o', tempDir()]);
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/out of range/);
    }
  });
});
