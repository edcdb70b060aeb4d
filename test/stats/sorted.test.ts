import { describe, expect, it } from 'vitest';
import { releaseSorted, sortedCopy } from '../../src/stats/numeric/sorted.js';
import { mulberry32 } from '../helpers/random.js';

describe('sortedCopy (radix sort on IEEE bits)', () => {
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

  it('caches per input array until released', () => {
    const a = Float64Array.from({ length: 4096 }, (_, i) => 4096 - i);
    const s1 = sortedCopy(a);
    expect(sortedCopy(a)).toBe(s1);
    releaseSorted(a);
    expect(sortedCopy(a)).not.toBe(s1);
  });
});
