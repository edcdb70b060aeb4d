import { openDuckDb } from '../../src/sources/duckdb/connection.js';

const sql = (s: string) => `'${s.replaceAll("'", "''")}'`;

/**
 * Writes CSV files as Parquet with DuckDB, letting its CSV sniffer pick the column types as a user's own
 * conversion would: numbers become BIGINT/DOUBLE, dates DATE, anything mixed VARCHAR.
 */
export async function csvToParquet(pairs: [csv: string, parquet: string][], extra = ''): Promise<void> {
  const db = await openDuckDb();
  try {
    for (const [csv, parquet] of pairs) {
      await db.connection.run(`COPY (SELECT * FROM read_csv(${sql(csv)}${extra})) TO ${sql(parquet)} (FORMAT parquet)`);
    }
  } finally {
    await db.close();
  }
}

/** Runs SQL statements on a scratch DuckDB (to write test Parquet files). */
export async function duckdbExec(...statements: string[]): Promise<void> {
  const db = await openDuckDb();
  try {
    for (const s of statements) await db.connection.run(s);
  } finally {
    await db.close();
  }
}

/** Fields that name the input, its format or the engine that read it, or time the run: everything else must be equal. */
export const FORMAT_FIELDS = [
  'run',
  'engine',
  'inputs.reference.path',
  'inputs.current.path',
  'inputs.reference.bytes',
  'inputs.current.bytes',
  'inputs.reference.sha256',
  'inputs.current.sha256',
  'inputs.reference.format',
  'inputs.current.format',
  'inputs.reference.delimiter',
  'inputs.current.delimiter',
];

/**
 * Field-by-field differences between two reports, skipping `skip` paths: numbers whose path `close` accepts
 * (by default those under a key containing "score") within 1e-12 (relative), every other value exactly equal.
 * Returns one line per difference.
 */
export function reportDifferences(a: unknown, b: unknown, skip: string[] = FORMAT_FIELDS, path = '', close = (p: string) => /score/i.test(p)): string[] {
  if (skip.includes(path)) return [];
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) return [];
    if (close(path) && Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(a), Math.abs(b))) return [];
    return [`${path}: ${a} vs ${b}`];
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return a === b ? [] : [`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`];
  }
  if (Array.isArray(a) !== Array.isArray(b)) return [`${path}: array vs object`];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const k of keys) {
    const sub = path ? `${path}.${k}` : k;
    if (!(k in a) || !(k in b)) {
      if (!skip.includes(sub)) out.push(`${sub}: only in ${k in a ? 'the first' : 'the second'}`);
      continue;
    }
    out.push(...reportDifferences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], skip, sub, close));
  }
  return out;
}
