/**
 * Number recognition on raw bytes, following what pandas' C parser reads as a float, with values rounded exactly
 * as `Number(text)` rounds them.
 */

const TWO_POW_53 = 9007199254740992;

/** Powers of ten that are exact doubles: the basis of Clinger's fast path. */
const POW10 = new Float64Array(23);
for (let k = 0, p = 1; k < 23; k++, p *= 10) POW10[k] = p;

/** The whitespace pandas skips around a number (C `isspace` in the ASCII range). */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Parses the number grammar `[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?` from bytes.
 * One instance is reused for every cell so that a scan returns its results without allocating.
 */
export class NumberScanner {
  /** The parsed value; NaN when the scanned bytes do not start with a number. */
  value = NaN;
  /** No '.', no exponent: a literal pandas would read as an integer. */
  integer = false;

  /**
   * Scans a number starting at `start` and returns the index where the grammar stopped matching. With `spaces`,
   * whitespace around the number is consumed too (the whole-cell form); without it, the scan stops at the first
   * byte outside the grammar so a caller reading a field in place can check that this byte ends the field.
   * An exponent marker without digits is left unconsumed, as pandas does.
   */
  scan(buf: Buffer, start: number, end: number, spaces: boolean): number {
    // Most numbers in data files are plain decimals (`42`, `-12.3456`). This path is kept small enough for V8 to
    // inline it into the parser's loop; spaces, '+', exponents and long mantissas take the full path.
    if (!spaces) {
      let i = start;
      const negative = i < end && buf[i] === 45;
      if (negative) i++;
      const intStart = i;
      let mantissa = 0;
      while (i < end) {
        const d = buf[i] - 48;
        if (d >>> 0 > 9) break;
        mantissa = mantissa * 10 + d;
        i++;
      }
      let digits = i - intStart;
      let fraction = 0;
      const point = i < end && buf[i] === 46;
      if (point) {
        const fracStart = ++i;
        while (i < end) {
          const d = buf[i] - 48;
          if (d >>> 0 > 9) break;
          mantissa = mantissa * 10 + d;
          i++;
        }
        fraction = i - fracStart;
        digits += fraction;
      }
      if (digits > 0 && mantissa < TWO_POW_53 && fraction <= 22 && (i >= end || (buf[i] | 32) !== 101)) {
        const value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
        this.value = negative ? -value : value;
        this.integer = !point;
        return i;
      }
    }
    return this.scanFull(buf, start, end, spaces);
  }

  private scanFull(buf: Buffer, start: number, end: number, spaces: boolean): number {
    let i = start;
    if (spaces) while (i < end && isSpace(buf[i])) i++;
    let negative = false;
    if (i < end) {
      const c = buf[i];
      if (c === 45) {
        negative = true;
        i++;
      } else if (c === 43) {
        i++;
      }
    }
    let mantissa = 0;
    const intStart = i;
    while (i < end) {
      const d = buf[i] - 48;
      if (d >>> 0 > 9) break;
      mantissa = mantissa * 10 + d;
      i++;
    }
    let digits = i - intStart;
    let fraction = 0;
    let integer = true;
    if (i < end && buf[i] === 46) {
      integer = false;
      i++;
      const fracStart = i;
      while (i < end) {
        const d = buf[i] - 48;
        if (d >>> 0 > 9) break;
        mantissa = mantissa * 10 + d;
        i++;
      }
      fraction = i - fracStart;
      digits += fraction;
    }
    if (digits === 0) {
      this.value = NaN;
      return i;
    }
    let exponent = 0;
    if (i < end && (buf[i] | 32) === 101) {
      let j = i + 1;
      let expNegative = false;
      if (j < end && (buf[j] === 45 || buf[j] === 43)) {
        expNegative = buf[j] === 45;
        j++;
      }
      const expStart = j;
      while (j < end) {
        const d = buf[j] - 48;
        if (d >>> 0 > 9) break;
        // Saturating keeps the value finite; such exponents go through Number(), which sees the real text.
        if (exponent < 100000) exponent = exponent * 10 + d;
        j++;
      }
      if (j > expStart) {
        integer = false;
        i = j;
        if (expNegative) exponent = -exponent;
      }
    }
    const numEnd = i;
    if (spaces) while (i < end && isSpace(buf[i])) i++;

    const power = exponent - fraction;
    let value: number;
    if (mantissa === 0) {
      value = 0;
    } else if (mantissa < TWO_POW_53 && power >= -22 && power <= 22) {
      // Both operands are exact doubles, so one IEEE multiply or divide rounds correctly (Clinger 1990).
      value = power >= 0 ? mantissa * POW10[power] : mantissa / POW10[-power];
    } else {
      // The unsigned token is valid JavaScript numeric syntax, so Number() reads the same digits, rounded correctly.
      value = Number(buf.toString('latin1', intStart, numEnd));
    }
    this.value = negative ? -value : value;
    this.integer = integer;
    return i;
  }
}

/** `inf`, `infinity` with an optional sign, any case and no surrounding spaces (pandas' strcasecmp checks): its sign, else 0. */
export function infinitySign(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let sign = 1;
  if (i < end && (buf[i] === 43 || buf[i] === 45)) {
    if (buf[i] === 45) sign = -1;
    i++;
  }
  const n = end - i;
  if (n !== 3 && n !== 8) return 0;
  const word = n === 3 ? 'inf' : 'infinity';
  for (let k = 0; k < n; k++) if ((buf[i + k] | 32) !== word.charCodeAt(k)) return 0;
  return sign;
}

/** What `classifyCell` found in a cell. */
export const CELL_MISSING = 0;
export const CELL_NUMBER = 1;
export const CELL_TEXT = 2;

/**
 * The one cell rule of every reader (CSV cells, Parquet and database text): a missing-value token first (a token
 * such as `-1.#IND` may also look like a number), then a number, then `inf`/`infinity` (pandas reads them as
 * floats), else text. For a number the value and its integer-literal flag are left in `scanner`, so a caller on
 * the hot path allocates nothing.
 */
export function classifyCell(
  buf: Uint8Array,
  start: number,
  end: number,
  na: { matches(buf: Uint8Array, start: number, end: number): boolean },
  scanner: NumberScanner,
): number {
  if (na.matches(buf, start, end)) return CELL_MISSING;
  if (scanner.scan(buf as Buffer, start, end, true) === end && !Number.isNaN(scanner.value)) return CELL_NUMBER;
  const sign = infinitySign(buf, start, end);
  if (sign === 0) return CELL_TEXT;
  scanner.value = sign * Infinity;
  scanner.integer = false;
  return CELL_NUMBER;
}
