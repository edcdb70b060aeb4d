import { describe, expect, it } from 'vitest';
import { infinitySign, NumberScanner } from '../../src/io/csv/numbers.js';
import { mulberry32 } from '../helpers/random.js';

const scanner = new NumberScanner();

/** The whole-cell reading: a number, or undefined for text. */
function read(text: string): number | undefined {
  const bytes = Buffer.from(text, 'latin1');
  const end = scanner.scan(bytes, 0, bytes.length, true);
  if (end === bytes.length && !Number.isNaN(scanner.value)) return scanner.value;
  return undefined;
}

function expectExact(text: string): void {
  const got = read(text);
  const want = Number(text);
  expect(Object.is(got, want), `${text}: got ${String(got)}, Number() gives ${want}`).toBe(true);
}


describe('NumberScanner', () => {
  it('rounds tricky inputs exactly as Number() does', () => {
    const tricky = [
      '0.1', '0.2', '0.3', '0.30000000000000004', '1.7976931348623157e308', '1.7976931348623158e308',
      '1.7976931348623159e308', '2.2250738585072014e-308', '2.2250738585072011e-308', '4.9e-324', '5e-324',
      '2.4703282292062327e-324', '2.4703282292062328e-324', '1e-400', '1e400', '-1e400', '9007199254740992',
      '9007199254740993', '9007199254740995', '18014398509481985', '123456789012345678901234567890',
      '0.000000000000000000000000000001', '1e22', '1e23', '1e-22', '1e-23', '8.98846567431158e307',
      '3.0517578125e-05', '7.0e-10', '0.1e1', '00000000000000000000000000000001', '1.00000000000000011102230246251565404236316680908203125',
      '1.00000000000000011102230246251565404236316680908203124', '1.00000000000000011102230246251565404236316680908203126',
      '4.35679E-05', '-0', '-0.0', '+0', '0e999999999999', '-0e-5', '5.', '.5', '-.5', '+5.e3', '1e+308', '123e-2',
      '9999999999999999999', '0.9999999999999999', '0.99999999999999999', '2.5', '3.5', '1E5', '1e0005',
    ];
    for (const text of tricky) expectExact(text);
  });

  it('matches Number() on random decimal strings of every length and exponent', () => {
    const rand = mulberry32(42);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
    for (let k = 0; k < 20000; k++) {
      const sign = ['', '-', '+'][Math.floor(rand() * 3)];
      const intPart = digits(Math.floor(rand() * 20));
      const frac = rand() < 0.7 ? '.' + digits(Math.floor(rand() * 20)) : '';
      if (intPart === '' && frac.length < 2) continue;
      const exp = rand() < 0.4 ? `e${Math.floor(rand() * 700) - 350}` : '';
      expectExact(sign + intPart + frac + exp);
    }
  });

  it('matches Number() on the shortest representation of random doubles', () => {
    const rand = mulberry32(7);
    const view = new DataView(new ArrayBuffer(8));
    for (let k = 0; k < 20000; k++) {
      view.setUint32(0, Math.floor(rand() * 2 ** 32));
      view.setUint32(4, Math.floor(rand() * 2 ** 32));
      const value = view.getFloat64(0);
      if (!Number.isFinite(value)) continue;
      expectExact(String(value));
      expectExact(value.toPrecision(17));
    }
  });

  it('accepts the pandas float grammar with surrounding whitespace, and rejects anything else', () => {
    for (const text of [' 1', '1 ', '\t1\t', '\n1\r', '\v1\f', ' -.5e-3 ']) expect(read(text)).toBe(Number(text));
    for (const text of ['', ' ', '.', '-', '+', '-.', 'e5', '.e5', '1e', '1e+', '1e-', '1.2.3', '1..2', '--1', '+-1', '1 2', '0x1A', '1_0', 'Infinity', 'NaN', '1d5', '\u00a01', '١']) {
      expect(read(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('stops before an exponent marker without digits, and before any byte outside the grammar', () => {
    const bytes = Buffer.from('12.5e,7');
    expect(scanner.scan(bytes, 0, bytes.length, false)).toBe(4);
    expect(scanner.value).toBe(12.5);
    expect(scanner.scan(bytes, 0, 2, false)).toBe(2);
    expect(scanner.scan(Buffer.from(' 1'), 0, 2, false)).toBe(0);
    expect(scanner.value).toBeNaN();
  });

  it('tells integer literals apart', () => {
    const integer = (text: string) => {
      read(text);
      return scanner.integer;
    };
    expect(['1', '-12', '+0', ' 42 ', '007'].map(integer)).toEqual([true, true, true, true, true]);
    expect(['1.', '1.0', '.5', '1e3', '1E0'].map(integer)).toEqual([false, false, false, false, false]);
    expect(integer('12e')).toBe(true);
  });
});

describe('infinitySign', () => {
  it('reads inf and infinity in any case with an optional sign, and nothing around them', () => {
    const sign = (text: string) => infinitySign(Buffer.from(text), 0, text.length);
    expect(['inf', 'INF', '+Inf', 'infinity', 'InFiNiTy', '+infinity'].map(sign)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(['-inf', '-Infinity'].map(sign)).toEqual([-1, -1]);
    expect(['', 'in', 'infin', 'infinit', 'infinityy', ' inf', 'inf ', '--inf', 'nf', 'iNf5'].map(sign)).toEqual(Array(10).fill(0));
  });
});
