/**
 * Loads two CSV files into the test cluster (one Distributed table, `side` 0/1, `rn` the row number) and writes
 * the same rows back as CSV, so the CSV path and the pushdown path see exactly the same values: columns
 * with both numbers and text are left out (a database column has one type), float columns keep a decimal
 * point on whole numbers so both paths call them float64.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_NA_VALUES, readCsv } from '../../src/io/csv/index.js';
import type { ParsedColumn } from '../../src/io/csv/types.js';
import type { Cluster } from '../../bench/clickhouse-cluster.js';

type Kind = 'Int64' | 'Float64' | 'String';

export interface LoadedColumn {
  name: string;
  kind: Kind;
  ref: (number | string | null)[];
  cur: (number | string | null)[];
}

export interface Loaded {
  table: string;
  columns: string[];
  referenceCsv: string;
  currentCsv: string;
  referenceSql: string;
  currentSql: string;
  /** The same queries, rows in their original order (for TVD and empirical MMD). */
  orderedReferenceSql: string;
  orderedCurrentSql: string;
}

function cells(col: ParsedColumn, kind: Kind): (number | string | null)[] {
  return Array.from(col.numbers, (x, i) => {
    if (kind === 'String') return col.textCodes && col.textCodes[i] >= 0 ? col.texts[col.textCodes[i]] : null;
    return Number.isNaN(x) ? null : x;
  });
}

/** The kept columns of two parsed CSV files with one database type each. */
export async function columnsFromCsv(refPath: string, curPath: string): Promise<LoadedColumn[]> {
  const options = { naValues: DEFAULT_NA_VALUES };
  const [ref, cur] = [await readCsv(refPath, options), await readCsv(curPath, options)];
  const out: LoadedColumn[] = [];
  for (const r of ref.columns) {
    const c = cur.columns.find((x) => x.name === r.name);
    if (!c) continue;
    const numbers = r.numericCount + c.numericCount;
    const texts = r.textCount + c.textCount;
    if (numbers > 0 === texts > 0) continue;
    const kind: Kind = texts > 0 ? 'String' : r.integerLiterals && c.integerLiterals ? 'Int64' : 'Float64';
    out.push({ name: r.name, kind, ref: cells(r, kind), cur: cells(c, kind) });
  }
  return out;
}

function csvCell(v: number | string | null, kind: Kind): string {
  if (v === null) return '';
  if (kind === 'String') return `"${String(v).replace(/"/g, '""')}"`;
  const s = String(v);
  return kind === 'Float64' && /^-?\d+$/.test(s) ? `${s}.0` : s;
}

export function writeCsv(path: string, columns: LoadedColumn[], side: 'ref' | 'cur'): void {
  const n = columns[0][side].length;
  const lines = [columns.map((c) => `"${c.name}"`).join(',')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => csvCell(c[side][i], c.kind)).join(','));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** RowBinary of (rn, side, nullable columns...), the exact doubles: no float is printed and parsed back. */
function rowBinary(columns: LoadedColumn[], side: 'ref' | 'cur', offset: number): Buffer {
  const n = columns[0][side].length;
  const parts: Buffer[] = [];
  for (let i = 0; i < n; i++) {
    const head = Buffer.alloc(9);
    head.writeBigUInt64LE(BigInt(offset + i), 0);
    head.writeUInt8(side === 'ref' ? 0 : 1, 8);
    parts.push(head);
    for (const c of columns) {
      const v = c[side][i];
      if (v === null) {
        parts.push(Buffer.from([1]));
        continue;
      }
      if (c.kind === 'String') {
        const bytes = Buffer.from(String(v), 'utf8');
        const len: number[] = [];
        let l = bytes.length;
        do {
          len.push((l & 0x7f) | (l > 0x7f ? 0x80 : 0));
          l >>>= 7;
        } while (l > 0);
        parts.push(Buffer.from([0, ...len]), bytes);
      } else {
        const b = Buffer.alloc(9);
        if (c.kind === 'Int64') b.writeBigInt64LE(BigInt(v), 1);
        else b.writeDoubleLE(v as number, 1);
        parts.push(b);
      }
    }
  }
  return Buffer.concat(parts);
}

const ident = (name: string) => `"${name}"`;

/** Creates `table` (MergeTree on each server, Distributed over both), inserts both sides, writes the CSVs. */
export async function loadColumns(cluster: Cluster, table: string, columns: LoadedColumn[], dir: string): Promise<Loaded> {
  const defs = columns.map((c) => `${ident(c.name)} Nullable(${c.kind})`).join(', ');
  await cluster.everywhere(`CREATE TABLE default.${table}_local (rn UInt64, side UInt8, ${defs}) ENGINE = MergeTree ORDER BY rn`);
  await cluster.everywhere(`CREATE TABLE default.${table} (rn UInt64, side UInt8, ${defs}) ENGINE = Distributed(mlobs, default, ${table}_local, rn)`);
  const nRef = columns[0].ref.length;
  await cluster.query(`INSERT INTO default.${table} FORMAT RowBinary`, rowBinary(columns, 'ref', 0));
  await cluster.query(`INSERT INTO default.${table} FORMAT RowBinary`, rowBinary(columns, 'cur', nRef));
  const referenceCsv = join(dir, `${table}-reference.csv`);
  const currentCsv = join(dir, `${table}-current.csv`);
  writeCsv(referenceCsv, columns, 'ref');
  writeCsv(currentCsv, columns, 'cur');
  const list = columns.map((c) => ident(c.name)).join(', ');
  const sql = (side: number) => `SELECT ${list} FROM default.${table} WHERE side = ${side}`;
  return {
    table,
    columns: columns.map((c) => c.name),
    referenceCsv,
    currentCsv,
    referenceSql: sql(0),
    currentSql: sql(1),
    orderedReferenceSql: `${sql(0)} ORDER BY rn`,
    orderedCurrentSql: `${sql(1)} ORDER BY rn`,
  };
}
