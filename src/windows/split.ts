import { InputError, UsageError } from '../errors.js';
import type { ParsedColumn, ParsedTable } from '../io/csv/types.js';
import { upperBound } from '../stats/numeric/sorted.js';
import { parseTimestamp, windowEnd, windowStart, type WindowSpec } from './spec.js';

/** Each row's time as UTC milliseconds (NaN: missing or not a timestamp), with what could not be read. */
export interface Timestamps {
  column: string;
  ms: Float64Array;
  missing: number;
  unparseable: number;
  /** The most frequent texts that are not timestamps, as junk tokens are reported. */
  tokens: string[];
}

/**
 * Reads a table's timestamp column. Each distinct text is parsed once (the reader dictionary-encodes text),
 * so a million rows cost one pass over their codes.
 */
export function readTimestamps(table: ParsedTable, name: string): Timestamps {
  const col = table.columns.find((c) => c.name === name);
  if (!col) throw new InputError({ file: table.path, column: name }, 'the --timestamp column is not in the file');
  const parsed = col.texts.map(parseTimestamp);
  const good = parsed.reduce((n, t, i) => (Number.isNaN(t) ? n : n + col.textCounts[i]), 0);
  if (good === 0) {
    const example = col.texts[0] ?? (col.numericCount > 0 ? 'numbers' : undefined);
    const what =
      example === undefined
        ? 'every cell is missing'
        : col.texts.length
          ? `cells such as "${example}" are not ISO 8601 dates or date-times`
          : 'it holds numbers, not ISO 8601 dates or date-times';
    throw new InputError({ file: table.path, line: col.firstTextLine || undefined, column: name }, `not a time column: ${what}`);
  }
  const ms = new Float64Array(col.numbers.length).fill(NaN);
  const codes = col.textCodes!;
  for (let i = 0; i < ms.length; i++) if (codes[i] >= 0) ms[i] = parsed[codes[i]];
  const bad = col.texts.map((text, i) => ({ text, n: Number.isNaN(parsed[i]) ? col.textCounts[i] : 0 })).filter((t) => t.n > 0);
  return {
    column: name,
    ms,
    missing: col.missingCount,
    unparseable: col.numericCount + bad.reduce((n, t) => n + t.n, 0),
    tokens: bad
      .sort((a, b) => b.n - a.n)
      .slice(0, 5)
      .map((t) => t.text),
  };
}

/** One window: its rows are `order[offset .. offset + rows)`. Times are UTC ms (null: row windows without timestamps). */
export interface WindowSlice {
  start: number | null;
  end: number | null;
  offset: number;
  rows: number;
  complete: boolean;
}

export interface WindowSplit {
  windows: WindowSlice[];
  /** Row indices grouped by window, in file order within each window. */
  order: Int32Array;
}

/** More windows than this is almost certainly a window size meant for another log. */
export const MAX_WINDOWS = 1000;

/**
 * Assigns the rows to windows in one pass: a window index per row, then a stable counting sort
 * of the row indices by it, so each window is one contiguous run of `order` and no window filters the table.
 * A calendar window is complete once `now` is past its end; a row window when it has its full count.
 */
export function splitWindows(spec: WindowSpec, rowCount: number, ts: Timestamps | null, now: number): WindowSplit {
  if (spec.kind === 'rows') {
    // Row windows follow file order.
    const order = new Int32Array(rowCount);
    for (let r = 0; r < rowCount; r++) order[r] = r;
    const windows: WindowSlice[] = [];
    for (let offset = 0; offset < order.length; offset += spec.n) {
      const rows = Math.min(spec.n, order.length - offset);
      let start = Infinity;
      let end = -Infinity;
      for (let k = offset; ts && k < offset + rows; k++) {
        const t = ts.ms[order[k]];
        if (t < start) start = t;
        if (t > end) end = t;
      }
      windows.push({ start: start <= end ? start : null, end: start <= end ? end : null, offset, rows, complete: rows === spec.n });
    }
    return { windows, order };
  }
  if (!ts) throw new UsageError(`--window ${spec.text} needs --timestamp <column> (or use a row count such as 10000rows)`);
  const ms = ts.ms;
  let min = Infinity;
  let max = -Infinity;
  for (let r = 0; r < rowCount; r++) {
    const t = ms[r];
    if (t === t) {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  if (min > max) return { windows: [], order: new Int32Array(0) };
  const starts: number[] = [];
  for (let s = windowStart(spec, min); s <= max; s = windowEnd(spec, s)) {
    if (starts.length === MAX_WINDOWS) {
      throw new UsageError(
        `--window ${spec.text} cuts ${new Date(min).toISOString()} .. ${new Date(max).toISOString()} into more than ${MAX_WINDOWS} windows; use a larger window`,
      );
    }
    starts.push(s);
  }
  const bounds = Float64Array.from(starts);
  const index = new Int32Array(rowCount).fill(-1);
  const counts = new Int32Array(starts.length + 1);
  for (let r = 0; r < rowCount; r++) {
    const t = ms[r];
    if (t !== t) continue;
    // The last start at or before t.
    const w = upperBound(bounds, t) - 1;
    index[r] = w;
    counts[w + 1]++;
  }
  for (let w = 1; w < counts.length; w++) counts[w] += counts[w - 1];
  const windows = starts.map((start, w): WindowSlice => {
    const end = windowEnd(spec, start);
    return { start, end, offset: counts[w], rows: counts[w + 1] - counts[w], complete: end <= now };
  });
  const order = new Int32Array(counts[counts.length - 1]);
  const next = counts.slice(0, starts.length);
  for (let r = 0; r < rowCount; r++) if (index[r] >= 0) order[next[index[r]]++] = r;
  return { windows, order };
}

/** One column restricted to `rows`, as the reader would have built it from those rows alone. */
function gatherColumn(col: ParsedColumn, rows: Int32Array): ParsedColumn {
  const n = rows.length;
  const src = col.numbers;
  const numbers = new Float64Array(n);
  const srcCodes = col.textCodes;
  // The window's dictionary holds only its own texts, in first-seen order, as a file of these rows would.
  const remap = srcCodes ? new Int32Array(col.texts.length).fill(-1) : null;
  const codes = srcCodes ? new Int32Array(n) : null;
  const texts: string[] = [];
  const textCounts: number[] = [];
  let numericCount = 0;
  let integral = true;
  for (let k = 0; k < n; k++) {
    const r = rows[k];
    const x = src[r];
    numbers[k] = x;
    const c = srcCodes ? srcCodes[r] : -1;
    if (c >= 0) {
      let m = remap![c];
      if (m < 0) {
        m = remap![c] = texts.length;
        texts.push(col.texts[c]);
        textCounts.push(0);
      }
      textCounts[m]++;
      codes![k] = m;
    } else {
      if (codes) codes[k] = -1;
      if (x === x) {
        numericCount++;
        if (integral && !Number.isInteger(x)) integral = false;
      }
    }
  }
  const textCount = textCounts.reduce((a, b) => a + b, 0);
  return {
    name: col.name,
    numbers,
    textCodes: textCount > 0 ? codes : null,
    texts,
    textCounts,
    missingCount: n - numericCount - textCount,
    numericCount,
    textCount,
    // Only the file-wide flag is known; a window of whole numbers from a file with decimals ("3.0") is taken as integers.
    integerLiterals: col.integerLiterals || integral,
    firstTextLine: textCount > 0 ? col.firstTextLine : 0,
  };
}

/** The table restricted to `rows` (indices in file order). */
export function gatherRows(table: ParsedTable, rows: Int32Array, label: string): ParsedTable {
  return { ...table, path: `${table.path} [${label}]`, rowCount: rows.length, columns: table.columns.map((c) => gatherColumn(c, rows)) };
}
