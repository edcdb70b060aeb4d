import { describe, expect, it } from 'vitest';
import { clickHouseKind, parseClickHouseUrl } from '../src/sources/clickhouse.js';
import { duckDbKind } from '../src/sources/duckdb/engine.js';
import type { Cell } from '../src/sources/pushdown/engine.js';
import { duplicatedRowsSql, quoteIdent, rowChecksSql, tableSql, valueCountsSql, windowKeySql, windowKeyStart } from '../src/sources/pushdown/plan.js';
import { columnFromCounts, columnFromRows, keepCounts, LOCAL_MEMORY, possibleEqualCells } from '../src/sources/pushdown/reduce.js';
import { DuckDbEngine } from '../src/sources/duckdb/engine.js';
import { parseWindowSpec, windowStart } from '../src/windows/spec.js';

async function* batches(rows: Cell[][]): AsyncIterable<Cell[][]> {
  yield rows.slice(0, 2);
  yield rows.slice(2);
}

describe('pushdown plan and reduction', () => {
  it('the SQL is plain: quoted identifiers, GROUP BY, count, sum, CASE', () => {
    const col = quoteIdent('Climb (m)', 'reference SQL');
    expect(valueCountsSql('SELECT * FROM t', col)).toBe(
      'SELECT "Climb (m)" AS v, count(*) AS n FROM (SELECT * FROM t) AS s GROUP BY "Climb (m)" ORDER BY "Climb (m)"',
    );
    const sql = rowChecksSql(
      'SELECT * FROM t',
      [
        { ident: '"a"', kind: 'float', isNaN: 'NOT ("a" = "a")' },
        { ident: '"b"', kind: 'text', isNaN: 'NOT ("b" = "b")' },
      ],
      [[0, 1]],
    );
    expect(sql).not.toMatch(/OVER|isNaN|isInfinite|countIf|ttest|kolmogorov/i);
    expect(sql).toContain('sum(CASE WHEN "a" = "b" AND NOT (("a" IS NULL OR NOT ("a" = "a"))) THEN 1 ELSE 0 END)');
    expect(duplicatedRowsSql('SELECT 1', [{ ident: '"a"', kind: 'integer', isNaN: 'NOT ("a" = "a")' }])).toBe(
      'SELECT sum(n) - count(*) FROM (SELECT count(*) AS n FROM (SELECT 1) AS s GROUP BY "a") AS g',
    );
    expect(() => quoteIdent('a"b', 'current SQL')).toThrow(/current SQL column "a"b"/);
    expect(tableSql('analytics.predictions', "day < '2026-12-01'")).toBe(`SELECT * FROM "analytics"."predictions" WHERE (day < '2026-12-01')`);
    expect(() => tableSql('t"; DROP TABLE x; --', '1 = 1')).toThrow(/--table .*cannot be quoted/);
  });

  it('(value, count) pairs become the sorted column, missing (NULL, NaN) counted, ties flagged', async () => {
    const { column, mostCommonTied } = await columnFromCounts(
      'x',
      'float',
      batches([
        [2.5, 2],
        [null, 1],
        [-1, 1],
        [NaN, 1],
        [7, 2],
      ]),
    );
    expect(Array.from(column.numbers)).toEqual([-1, 2.5, 2.5, 7, 7, NaN, NaN]);
    expect(column).toMatchObject({ missingCount: 2, numericCount: 5, integerLiterals: false, textCodes: null });
    expect(mostCommonTied).toBe(true);
    const text = await columnFromCounts(
      'c',
      'text',
      batches([
        ['b', 3],
        ['a', 1],
        [null, 2],
      ]),
    );
    expect(text.column.texts).toEqual(['b', 'a']);
    expect(Array.from(text.column.textCodes!)).toEqual([0, 0, 0, 1, -1, -1]);
    expect(text.mostCommonTied).toBe(false);
  });

  it('pulled rows keep query order: numbers with NaN missing, texts dictionary-encoded in first-seen order', async () => {
    const x = await columnFromRows('x', 'integer', batches([[3], [null], [1], [NaN], [3]]), LOCAL_MEMORY);
    expect(Array.from(x.numbers)).toEqual([3, NaN, 1, NaN, 3]);
    expect(x).toMatchObject({ missingCount: 2, numericCount: 3, textCodes: null, integerLiterals: true });
    const c = await columnFromRows('c', 'text', batches([['b'], [null], ['a'], ['b']]), LOCAL_MEMORY);
    expect([c.texts, c.textCounts, Array.from(c.textCodes!), c.missingCount, c.textCount]).toEqual([['b', 'a'], [2, 1], [0, -1, 1, 0], 1, 3]);
  });

  it('the window key is floor division on epoch seconds or month numbers, the start windowStart gives', () => {
    const engine = new DuckDbEngine();
    const ts = { name: 't', engineType: 'TIMESTAMP', kind: 'text' as const };
    expect(windowKeySql(engine, ts, '"t"', parseWindowSpec('6h') as any)).toBe('floor((epoch("t")) / 21600) * 21600');
    expect(windowKeySql(engine, ts, '"t"', parseWindowSpec('7d') as any)).toBe('floor((epoch("t") + 259200) / 604800) * 604800 - 259200');
    expect(windowKeySql(engine, ts, '"t"', parseWindowSpec('1mo') as any)).toBe('floor((year("t") * 12 + month("t") - 1) / 1) * 1');
    expect(windowKeySql(engine, { ...ts, engineType: 'VARCHAR' }, '"t"', parseWindowSpec('1d') as any)).toBeNull();
    // The same arithmetic in JS, on a Sunday late in a month: each key's start is windowStart's.
    const t = Date.UTC(2026, 10, 29, 23, 30);
    const s = t / 1000;
    const spec = (text: string) => parseWindowSpec(text) as any;
    expect(windowKeyStart(spec('6h'), Math.floor(s / 21600) * 21600)).toBe(windowStart(spec('6h'), t));
    expect(windowKeyStart(spec('7d'), Math.floor((s + 259200) / 604800) * 604800 - 259200)).toBe(windowStart(spec('7d'), t));
    expect(windowKeyStart(spec('3mo'), Math.floor((2026 * 12 + 10) / 3) * 3)).toBe(windowStart(spec('3mo'), t));
  });

  it('the pair bound is the multiset intersection of two value-count lists, -0 counted as 0', () => {
    const a = keepCounts('float', { values: [2, -0, 0, 5], counts: [3, 1, 1, 4], missing: 2, sorted: false });
    const b = keepCounts('integer', { values: [0, 2, 7], counts: [5, 1, 9], missing: 1, sorted: true });
    // min(2, 1) missing + min(2, 5) zeros + min(3, 1) twos
    expect(possibleEqualCells(a, b)).toBe(4);
    const t = (values: string[], counts: number[]) => keepCounts('text', { values, counts, missing: 0, sorted: true });
    expect(possibleEqualCells(t(['x', 'y'], [4, 1]), t(['y', 'z', 'x'], [3, 3, 2]))).toBe(3);
  });

  it('engine types map to numbers or text, or are refused', () => {
    expect(
      ['Nullable(Int64)', 'LowCardinality(Nullable(String))', 'Decimal(10, 2)', 'DateTime', "Enum8('a' = 1)", 'Array(UInt8)', 'Tuple(Int8, String)'].map(
        clickHouseKind,
      ),
    ).toEqual(['integer', 'text', 'float', 'text', 'text', null, null]);
    expect(['BIGINT', 'DOUBLE', 'DECIMAL(18,3)', 'VARCHAR', 'TIMESTAMP WITH TIME ZONE', 'INTEGER[]', 'STRUCT(a INTEGER)'].map(duckDbKind)).toEqual([
      'integer',
      'float',
      'float',
      'text',
      'text',
      null,
      null,
    ]);
  });

  it('the ClickHouse URL names user, host and database, never a password', () => {
    expect(parseClickHouseUrl('clickhouse://mlobs@ch1:8124/analytics')).toEqual({ url: 'http://ch1:8124', username: 'mlobs', database: 'analytics' });
    expect(parseClickHouseUrl('clickhouse://ch1')).toEqual({ url: 'http://ch1:8123', username: 'default', database: 'default' });
    expect(() => parseClickHouseUrl('clickhouse://mlobs:secret@ch1/db')).toThrow(/MLOBS_CLICKHOUSE_PASSWORD/);
  });
});
