import { describe, expect, it } from 'vitest';
import { releaseSorted, sortedCopy } from '../../src/stats/numeric/sorted.js';
import { mulberry32 } from '../helpers/random.js';

describe('sortedCopy (bucket sort, radix sort on IEEE bits)', () => {
  it('matches the native sort on large mixed-sign data with ties, subnormals and extremes', () => {
    const rand = mulberry32(7);
    const n = 50_000;
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rand();
      a[i] = r < 0.1 ? Math.round(rand() * 10) - 5 : r < 0.12 ? (rand() - 0.5) * 1e-310 : r < 0.13 ? (rand() - 0.5) * 1e300 : (rand() - 0.5) * 1e3;
    }
    a[0] = Number.MAX_VALUE;
    a[1] = -Number.MAX_VALUE;
    a[2] = Number.MIN_VALUE;
    a[3] = 0;
    const expected = new Float64Array(a).sort();
    const got = sortedCopy(a);
    expect(Array.from(got)).toEqual(Array.from(expected));
    expect(a[0]).toBe(Number.MAX_VALUE);
  });

  it('treats -0 and +0 as equal and keeps constant arrays intact', () => {
    const a = new Float64Array(5000).fill(3.25);
    a[10] = -0;
    a[11] = 0;
    const s = sortedCopy(a);
    expect(s[0] === 0 && s[1] === 0).toBe(true);
    expect(s[4999]).toBe(3.25);
  });

  it('sorts by bucket exactly as the native sort does, -0 before +0, on spread, tied, skewed and extreme columns', () => {
    const rand = mulberry32(11);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const column = (n: number, value: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => value(i));
    const columns = {
      'four decimals around zero (-0 and +0 cells)': column(100_000, () => Number((normal() * 0.001).toFixed(4))),
      'few integers (every bucket tied)': column(60_000, () => Math.floor(rand() * 40) - 20),
      'one far outlier (crowded buckets)': column(50_000, (i) => (i === 777 ? 1e12 : normal())),
      'an outlier and ties in the crowded buckets': column(50_000, (i) => (i === 3 ? -1e15 : Math.round(normal() * 100) / 4)),
      'subnormal range': column(20_000, () => (rand() - 0.5) * 1e-310),
      'infinities (radix sort)': column(20_000, (i) => (i % 1000 === 0 ? (i % 2000 ? Infinity : -Infinity) : normal())),
      'range past the largest double (radix sort)': column(20_000, (i) => (i < 2 ? (i ? Number.MAX_VALUE : -Number.MAX_VALUE) : normal())),
      descending: column(10_000, (i) => 10_000 - i),
      'two values': column(4_096, (i) => (i % 3 ? 0.5 : -0.5)),
      'smallest bucketed size': column(2_048, () => normal()),
    };
    for (const [name, a] of Object.entries(columns)) {
      const expected = new Float64Array(a).sort();
      const got = sortedCopy(a);
      const first = got.findIndex((v, i) => !Object.is(v, expected[i]));
      expect({ name, first }).toEqual({ name, first: -1 });
    }
  });

  it('sorts a column of over 4M values by coarse buckets first, exactly as the native sort does', () => {
    const rand = mulberry32(3);
    const n = (1 << 22) + 1000;
    // Ties (integers, whose coarse buckets already ascend) and four decimals near zero (-0 and +0 cells), which
    // crowd the first coarse bucket: it is sorted by fine buckets in turn.
    const a = Float64Array.from({ length: n }, (_, i) => (i % 7 === 0 ? Math.floor(rand() * 10) : Number(((rand() - 0.5) * 0.01).toFixed(4))));
    const expected = new Float64Array(a).sort();
    const got = sortedCopy(a);
    expect(got.findIndex((v, i) => !Object.is(v, expected[i]))).toBe(-1);
  });

  it('sorts the next column into the memory of a released copy', () => {
    const rand = mulberry32(5);
    const first = Float64Array.from({ length: 8192 }, () => rand() * 100);
    const next = Float64Array.from({ length: 8192 }, () => rand() - 0.5);
    const released = sortedCopy(first);
    releaseSorted(first);
    const sorted = sortedCopy(next);
    expect(sorted.buffer).toBe(released.buffer);
    expect(Array.from(sorted)).toEqual(Array.from(new Float64Array(next).sort()));
  });

  it('caches per input array until released', () => {
    const a = Float64Array.from({ length: 4096 }, (_, i) => 4096 - i);
    const s1 = sortedCopy(a);
    expect(sortedCopy(a)).toBe(s1);
    releaseSorted(a);
    expect(sortedCopy(a)).not.toBe(s1);
  });
});
