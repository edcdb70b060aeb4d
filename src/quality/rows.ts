import type { ParsedColumn } from '../io/csv/types.js';
import type { PandasDtype } from './dtype.js';

/** One column as the cross-column checks see its cells: number, text (by a file-wide text id) or missing. */
export interface CellColumn {
  col: ParsedColumn;
  dtype: PandasDtype;
  /** Numeric columns read stray text as missing (mlobs' typing), so their text codes are not values. */
  textIds: Int32Array | null;
}

/** Gives every distinct text of the file one id, so cells of different columns compare by id. */
export function cellColumns(columns: { col: ParsedColumn; dtype: PandasDtype; numeric: boolean }[]): CellColumn[] {
  const ids = new Map<string, number>();
  return columns.map(({ col, dtype, numeric }) => {
    let textIds: Int32Array | null = null;
    if (col.textCodes && !numeric) {
      textIds = Int32Array.from(col.texts, (t) => {
        let id = ids.get(t);
        if (id === undefined) ids.set(t, (id = ids.size));
        return id;
      });
    }
    return { col, dtype, textIds };
  });
}

function isMissing(c: CellColumn, i: number): boolean {
  const x = c.col.numbers[i];
  return x !== x && !(c.textIds && c.col.textCodes![i] >= 0);
}

/** Cell equality as pandas' duplicated() sees it: missing equals missing, -0 equals 0. */
function sameCell(a: CellColumn, i: number, b: CellColumn, j: number): boolean {
  const ta = a.textIds ? a.col.textCodes![i] : -1;
  const tb = b.textIds ? b.col.textCodes![j] : -1;
  if (ta >= 0 || tb >= 0) return ta >= 0 && tb >= 0 && a.textIds![ta] === b.textIds![tb];
  const x = a.col.numbers[i];
  const y = b.col.numbers[j];
  return x === y || (x !== x && y !== y);
}

const MISSING_HASH = 0x7fc00000;
const TEXT_SALT = 0x5bd1e995;

/**
 * A 32-bit hash of each listed row (all rows when `rowIds` is null) over `columns`, column by column.
 * `mul` picks one of several independent hash functions.
 */
function hashRows(columns: CellColumn[], rowIds: Int32Array | null, n: number, mul: number): Int32Array {
  const h = new Int32Array(n).fill(0x811c9dc5 | 0);
  for (const c of columns) {
    const v = c.col.numbers;
    const bits = new Int32Array(v.buffer, v.byteOffset, 2 * v.length);
    const codes = c.textIds ? c.col.textCodes! : null;
    for (let k = 0; k < n; k++) {
      const i = rowIds ? rowIds[k] : k;
      let lo: number;
      let hi: number;
      if (codes && codes[i] >= 0) {
        lo = c.textIds![codes[i]];
        hi = TEXT_SALT;
      } else {
        const x = v[i];
        if (x !== x) {
          lo = 0;
          hi = MISSING_HASH;
        } else if (x === 0) {
          lo = 0;
          hi = 0;
        } else {
          lo = bits[2 * i];
          hi = bits[2 * i + 1];
        }
      }
      const cell = Math.imul(lo ^ Math.imul(hi, mul), 0x85ebca77);
      h[k] = Math.imul(h[k] ^ cell ^ (cell >>> 15), 0x01000193);
    }
  }
  return h;
}

/**
 * Calls `onMatch(k, j)` for each item k whose hash equals that of an earlier item j that `same` confirms,
 * keeping only the first of each group in the table (open addressing).
 */
function matchHashes(h: Int32Array, g: Int32Array | null, same: (k: number, j: number) => boolean, onMatch: (k: number, j: number) => void): void {
  const n = h.length;
  let size = 2;
  while (size < 2 * n) size <<= 1;
  const mask = size - 1;
  const table = new Int32Array(size).fill(-1);
  for (let k = 0; k < n; k++) {
    let slot = (h[k] ^ (h[k] >>> 16)) & mask;
    for (;;) {
      const j = table[slot];
      if (j < 0) {
        table[slot] = k;
        break;
      }
      if (h[j] === h[k] && (!g || g[j] === g[k]) && same(k, j)) {
        onMatch(k, j);
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
}

/**
 * Rows equal to an earlier row (pandas `df.duplicated().sum()`, keep='first'). Two rows can only be equal if
 * they agree on the most distinct columns, so enough of those to leave few candidates (about one expected
 * chance pair) screen all rows first; the candidates are then hashed over every column and compared cell
 * by cell, so a hash collision never counts as a duplicate.
 */
export function duplicatedRows(columns: CellColumn[], rows: number, distinct: number[]): number {
  if (rows < 2 || columns.length === 0) return 0;
  const ranked = columns.map((c, k) => ({ c, d: distinct[k] })).sort((a, b) => b.d - a.d);
  if (ranked[0].d === rows) return 0;
  const screen: CellColumn[] = [];
  let combinations = 1;
  for (const { c, d } of ranked) {
    if (combinations >= rows * rows) break;
    screen.push(c);
    combinations *= Math.max(d, 1);
  }
  const candidate = new Uint8Array(rows);
  matchHashes(hashRows(screen, null, rows, 0x9e3779b1), null, () => true, (k, j) => {
    candidate[k] = 1;
    candidate[j] = 1;
  });
  let n = 0;
  for (let i = 0; i < rows; i++) n += candidate[i];
  if (n === 0) return 0;
  const ids = new Int32Array(n);
  for (let i = 0, k = 0; i < rows; i++) if (candidate[i]) ids[k++] = i;
  let duplicates = 0;
  const h1 = hashRows(columns, ids, n, 0x9e3779b1);
  const h2 = hashRows(columns, ids, n, 0xc2b2ae3d);
  matchHashes(h1, h2, (k, j) => columns.every((c) => sameCell(c, ids[k], c, ids[j])), () => duplicates++);
  return duplicates;
}

/**
 * Rows whose every cell is missing, and rows with at least one missing or infinite cell. Only columns that
 * have such cells are visited; a column without a missing cell rules out empty rows at once.
 */
export function missingRows(columns: CellColumn[], rows: number, missingBy: number[], infiniteBy: number[]): { empty: number; withMissing: number } {
  const flagged = new Uint8Array(rows);
  const allMissing = columns.length > 0 && missingBy.every((m) => m > 0);
  const missingCount = allMissing ? new Uint16Array(rows) : null;
  columns.forEach((c, k) => {
    if (missingBy[k] === 0 && infiniteBy[k] === 0) return;
    const v = c.col.numbers;
    for (let i = 0; i < rows; i++) {
      const x = v[i];
      if (x === Infinity || x === -Infinity) flagged[i] = 1;
      else if (isMissing(c, i)) {
        flagged[i] = 1;
        if (missingCount) missingCount[i]++;
      }
    }
  });
  let empty = 0;
  let withMissing = 0;
  for (let i = 0; i < rows; i++) {
    withMissing += flagged[i];
    if (missingCount && missingCount[i] === columns.length) empty++;
  }
  return { empty, withMissing };
}

/**
 * Compares two columns cell by cell: whether they are identical (missing equal to missing) and how many
 * rows differ with missing never equal, stopping once they are not identical and more than `allowed` differ.
 */
function comparePair(x: CellColumn, y: CellColumn, rows: number, allowed: number): { identical: boolean; unequal: number } {
  let identical = true;
  let unequal = 0;
  if (!x.textIds && !y.textIds) {
    // Both numeric: the common case, compared on the numbers alone.
    const a = x.col.numbers;
    const b = y.col.numbers;
    for (let i = 0; i < rows && (identical || unequal <= allowed); i++) {
      if (a[i] === b[i]) continue;
      unequal++;
      if (a[i] === a[i] || b[i] === b[i]) identical = false;
    }
    return { identical, unequal };
  }
  for (let i = 0; i < rows && (identical || unequal <= allowed); i++) {
    if (!sameCell(x, i, y, i)) {
      identical = false;
      unequal++;
    } else if (isMissing(x, i)) {
      unequal++;
    }
  }
  return { identical, unequal };
}

/**
 * Duplicated column pairs (identical cells, same dtype: pandas `equals`) and almost duplicated pairs (same
 * dtype, equal cells in at least `threshold` of the rows, missing never equal).
 */
export function duplicatedColumns(columns: CellColumn[], rows: number, threshold: number): { duplicated: number; almost: number } {
  let duplicated = 0;
  let almost = 0;
  // One more than the most differing rows that can still pass, with room for the float comparison below.
  const allowed = Math.floor(rows * (1 - threshold)) + 1;
  for (let a = 0; a < columns.length; a++) {
    for (let b = a + 1; b < columns.length; b++) {
      if (columns[a].dtype !== columns[b].dtype) continue;
      const { identical, unequal } = comparePair(columns[a], columns[b], rows, allowed);
      if (identical) duplicated++;
      if (rows > 0 && (rows - unequal) / rows >= threshold) almost++;
    }
  }
  return { duplicated, almost };
}
