import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { InputError, UsageError } from '../../errors.js';
import { TextDictionary } from './dictionary.js';
import { CELL_MISSING, CELL_NUMBER, classifyCell, infinitySign, NumberScanner } from './numbers.js';
import { countFields, DELIMITERS, isBlank, notCsvText, recordSpans, sniffDelimiter } from './sniff.js';
import type { CsvOptions, ParsedColumn, ParsedTable } from './types.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Parser states between bytes; a chunk can end in any of them. */
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** After the closing quote of a field that goes on unquoted (`"ab"c`), which pandas reads as `abc`. */
const QUOTED_TAIL = 3;
/** After a CR that ended a record: an LF right after it belongs to the same line break. */
const AFTER_CR = 4;

export const DEFAULT_CHUNK_SIZE = 1 << 20;
/**
 * An unfinished field is carried from buffer to buffer, so a quote that is never closed would pull the rest of
 * the file into memory before failing at EOF. No real cell comes near this size.
 */
const FIELD_LIMIT = 1 << 26;
/** Bytes at the start of a file checked for binary content and byte order marks. */
const CONTENT_CHECK_BYTES = 64 * 1024;

/** Records looked at before parsing, to sniff the delimiter and estimate the row count. */
const SAMPLE_RECORDS = 32;
const SAMPLE_BYTES = 1 << 16;
/** Stop looking for the header's end here (a stray quote can hide it) rather than hold the whole file. */
const SAMPLE_LIMIT = 1 << 24;

/** Knobs for tests; not part of the public API. */
export interface ReadInternals {
  /** Bytes per read; tiny values exercise every state at a chunk boundary. */
  chunkSize?: number;
  /** Longest field accepted, in bytes. */
  fieldLimit?: number;
}

class ColumnBuilder {
  /** Allocated at the first numeric cell: a column of text and missing cells never needs one. */
  numbers: Float64Array | null = null;
  /** Allocated with the dictionary at the first text cell, pre-filled with -1 so that only text cells write to it. */
  codes: Int32Array | null = null;
  dictionary: TextDictionary | null = null;
  missingCount = 0;
  numericCount = 0;
  textCount = 0;
  integerLiterals = true;
  firstTextLine = 0;

  constructor(readonly name: string) {}

  grow(capacity: number): void {
    if (this.numbers !== null) {
      const numbers = sharedFloat64(capacity);
      numbers.set(this.numbers);
      this.numbers = numbers;
    }
    if (this.codes !== null) {
      const codes = sharedInt32(capacity);
      codes.set(this.codes);
      codes.fill(-1, this.codes.length);
      this.codes = codes;
    }
  }
}

/** Cell texts that mean "missing", matched on their UTF-8 bytes. */
export class NaMatcher {
  private readonly byLength: Buffer[][] = [];
  /** Some token reads as a number, so numbers cannot skip the NA check. */
  readonly numeric: boolean;

  constructor(naValues: ReadonlyArray<string>, scanner: NumberScanner) {
    let numeric = false;
    for (const value of new Set(naValues)) {
      const bytes = Buffer.from(value, 'utf8');
      (this.byLength[bytes.length] ??= []).push(bytes);
      const end = scanner.scan(bytes, 0, bytes.length, true);
      if ((end === bytes.length && !Number.isNaN(scanner.value)) || infinitySign(bytes, 0, bytes.length) !== 0) {
        numeric = true;
      }
    }
    this.numeric = numeric;
  }

  matches(buf: Uint8Array, start: number, end: number): boolean {
    const tokens = this.byLength[end - start];
    if (tokens === undefined) return false;
    for (const token of tokens) {
      let k = 0;
      while (k < token.length && token[k] === buf[start + k]) k++;
      if (k === token.length) return true;
    }
    return false;
  }
}

/**
 * The byte-level state machine. It is fed one buffer at a time and keeps every field it finishes contiguous in
 * that buffer (quoted fields are unescaped in place), so a cell is always handled as a byte range. Positions it
 * holds on to are relative to the buffer; `relocate` shifts them when the driver moves an unfinished field to the
 * front of the buffer before reading more.
 */
export class CsvParser {
  private readonly delim: number;
  private readonly scanner = new NumberScanner();
  private readonly na: NaMatcher;

  private state = FIELD_START;
  /** Where parsing resumes. */
  private pos = 0;
  /** Start of the field being read (its opening quote, if quoted). */
  private fieldStart = 0;
  /** Quoted field: unescaped content so far is `[fieldStart + 1, write)`; bytes from `pending` on are still to move. */
  private write = 0;
  private pending = 0;
  private quoteLine = 0;

  private header: string[] | null = [];
  private headerLine = 0;
  private columns: ColumnBuilder[] = [];
  private ncols = 0;
  private col = 0;
  private row = 0;
  private capacity = 0;
  private line = 1;
  private rowLine = 1;
  private invalidHeaderNames = 0;
  private firstInvalid: { line: number; column: string } | null = null;

  constructor(
    private readonly file: string,
    delimiter: string,
    naValues: ReadonlyArray<string>,
    /** Expected data rows, the initial capacity of every column array. */
    private readonly expectedRows: number,
    /** Estimates the final row count from the rows parsed so far, when the expectation turns out short. */
    private readonly estimateRows: (row: number) => number,
  ) {
    this.delim = delimiter.charCodeAt(0);
    this.na = new NaMatcher(naValues, this.scanner);
  }

  start(pos: number): void {
    this.pos = pos;
  }

  /**
   * Parses `buf[pos, end)` and returns the first position still needed: the start of an unfinished field, or
   * `end`. With `eof`, everything is consumed.
   */
  parse(buf: Buffer, end: number, eof: boolean): number {
    const delim = this.delim;
    const scanner = this.scanner;
    const fastNumbers = !this.na.numeric;
    let i = this.pos;
    for (;;) {
      if (this.state === FIELD_START) {
        if (i >= end) {
          // "1,2," at EOF: the record still has its last, empty field.
          if (eof && this.col > 0) {
            this.addCell(buf, i, i, this.line);
            this.endRecord();
          }
          break;
        }
        // Growing here rather than after a record avoids growing past the last row.
        if (this.row === this.capacity && this.header === null) this.grow();
        this.fieldStart = i;
        const b = buf[i];
        if (b === QUOTE) {
          this.quoteLine = this.line;
          i++;
          this.write = this.pending = i;
          this.state = QUOTED;
          continue;
        }
        // Numbers are read straight from the bytes in one pass; anything that turns out not to be a plain number
        // (spaces, text, chunk end) goes the general way, which sees the whole field.
        if (fastNumbers && this.col < this.ncols && ((b >= 48 && b <= 57) || b === 45 || b === 46 || b === 43)) {
          const stop = scanner.scan(buf, i, end, false);
          if (stop >= end && !eof) break;
          const t = stop < end ? buf[stop] : -1;
          if ((t === delim || t === LF || t === CR || t === -1) && !Number.isNaN(scanner.value)) {
            this.addNumber(scanner.value, scanner.integer);
            i = this.endField(buf, stop, end);
            continue;
          }
          i = stop;
        }
        this.state = UNQUOTED;
      }
      if (this.state === UNQUOTED) {
        while (i < end) {
          const c = buf[i];
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i >= end && !eof) break;
        const start = this.fieldStart;
        if (this.col === 0 && (i >= end || buf[i] !== delim) && isBlank(buf, start, i)) {
          i = this.lineBreak(buf, i, end);
        } else {
          this.addCell(buf, start, i, this.line);
          i = this.endField(buf, i, end);
        }
        continue;
      }
      if (this.state === QUOTED) {
        while (i < end) {
          const c = buf[i];
          if (c === QUOTE) break;
          // Embedded line breaks still count as physical lines: CRLF once, a lone CR or LF once.
          if (c === LF) {
            if (buf[i - 1] !== CR) this.line++;
          } else if (c === CR) {
            this.line++;
          }
          i++;
        }
        if (i >= end) {
          if (!eof) break;
          throw this.error(this.quoteLine, 'unterminated quoted field: the closing quote is missing', this.col);
        }
        if (i + 1 >= end && !eof) break;
        const next = i + 1 < end ? buf[i + 1] : -1;
        const moved = i - this.pending;
        if (this.write !== this.pending) buf.copyWithin(this.write, this.pending, i);
        this.write += moved;
        if (next === QUOTE) {
          // A doubled quote is one quote of content: keep the first, skip the second.
          buf[this.write++] = QUOTE;
          i += 2;
          this.pending = i;
          continue;
        }
        i++;
        this.pending = i;
        if (next === delim || next === LF || next === CR || next === -1) {
          this.addCell(buf, this.fieldStart + 1, this.write, this.quoteLine);
          i = this.endField(buf, i, end);
        } else {
          this.state = QUOTED_TAIL;
        }
        continue;
      }
      if (this.state === QUOTED_TAIL) {
        while (i < end) {
          const c = buf[i];
          if (c === delim || c === LF || c === CR) break;
          i++;
        }
        if (i >= end && !eof) break;
        buf.copyWithin(this.write, this.pending, i);
        this.addCell(buf, this.fieldStart + 1, this.write + (i - this.pending), this.quoteLine);
        i = this.endField(buf, i, end);
        continue;
      }
      // AFTER_CR
      if (i >= end) break;
      if (buf[i] === LF) i++;
      this.state = FIELD_START;
    }
    this.pos = i;
    return this.state === FIELD_START || this.state === AFTER_CR ? i : this.fieldStart;
  }

  /** The header's names once it is parsed, else null. */
  columnNames(): string[] | null {
    return this.header === null ? this.columns.map((c) => c.name) : null;
  }

  /** The driver moved `buf[offset, end)` to the front of the buffer. */
  relocate(offset: number): void {
    this.pos -= offset;
    this.fieldStart -= offset;
    this.write -= offset;
    this.pending -= offset;
  }

  /** Consumes what ended a field at `i` (delimiter, line break, or EOF) and returns the next position. */
  private endField(buf: Buffer, i: number, end: number): number {
    if (i < end && buf[i] === this.delim) {
      this.col++;
      this.state = FIELD_START;
      return i + 1;
    }
    this.endRecord();
    return this.lineBreak(buf, i, end);
  }

  private lineBreak(buf: Buffer, i: number, end: number): number {
    if (i >= end) {
      this.state = FIELD_START;
      return i;
    }
    this.line++;
    this.rowLine = this.line;
    this.state = buf[i] === CR ? AFTER_CR : FIELD_START;
    return i + 1;
  }

  private endRecord(): void {
    const fields = this.col + 1;
    this.col = 0;
    if (this.header !== null) {
      this.startColumns(this.header);
      return;
    }
    if (fields !== this.ncols) {
      throw this.error(this.rowLine, `expected ${this.ncols} fields (as in the header), found ${fields}`);
    }
    this.row++;
  }

  private startColumns(names: string[]): void {
    const seen = new Map<string, number>();
    names.forEach((name, index) => {
      if (name === '') throw this.error(this.rowLine, `empty column name in the header at position ${index + 1}`);
      const first = seen.get(name);
      if (first !== undefined) {
        throw new InputError(
          { file: this.file, line: this.rowLine, column: name },
          `duplicate column name in the header at positions ${first + 1} and ${index + 1}`,
        );
      }
      seen.set(name, index);
    });
    this.header = null;
    this.headerLine = this.rowLine;
    this.columns = names.map((name) => new ColumnBuilder(name));
    this.ncols = names.length;
    this.capacity = Math.max(16, this.expectedRows);
  }

  private grow(): void {
    const capacity = Math.max(Math.ceil(this.capacity * 1.5), this.estimateRows(this.row));
    for (const column of this.columns) column.grow(capacity);
    this.capacity = capacity;
  }

  private addNumber(value: number, integer: boolean): void {
    const column = this.columns[this.col];
    const numbers = column.numbers ?? this.allocNumbers(column);
    numbers[this.row] = value;
    column.numericCount++;
    if (!integer) column.integerLiterals = false;
  }

  private allocNumbers(column: ColumnBuilder): Float64Array {
    const numbers = sharedFloat64(this.capacity);
    numbers.fill(NaN, 0, this.row);
    column.numbers = numbers;
    return numbers;
  }

  /** Classifies a complete cell: missing, number, or text. */
  private addCell(buf: Buffer, start: number, end: number, line: number): void {
    if (this.header !== null) {
      const name = buf.toString('utf8', start, end);
      if (name.includes('\ufffd') && !isUtf8(buf.subarray(start, end))) {
        this.invalidHeaderNames++;
        this.firstInvalid ??= { line, column: name };
      }
      this.header.push(name);
      return;
    }
    if (this.col >= this.ncols) return;
    const column = this.columns[this.col];
    const kind = classifyCell(buf, start, end, this.na, this.scanner);
    if (kind === CELL_MISSING) {
      column.missingCount++;
      if (column.numbers !== null) column.numbers[this.row] = NaN;
      return;
    }
    if (kind === CELL_NUMBER) {
      this.addNumber(this.scanner.value, this.scanner.integer);
      return;
    }
    let dictionary = column.dictionary;
    if (dictionary === null) {
      dictionary = column.dictionary = new TextDictionary();
      column.codes = sharedInt32(this.capacity).fill(-1);
      column.firstTextLine = line;
    }
    const invalid = dictionary.invalid.length;
    column.codes![this.row] = dictionary.intern(buf, start, end);
    if (dictionary.invalid.length > invalid) this.firstInvalid ??= { line, column: column.name };
    column.textCount++;
    if (column.numbers !== null) column.numbers[this.row] = NaN;
  }

  fieldTooLong(limit: number): InputError {
    const quoted = this.state === QUOTED || this.state === QUOTED_TAIL;
    const detail = `a field is longer than ${limit} bytes${quoted ? ': is a closing quote missing?' : ''}`;
    return this.error(quoted ? this.quoteLine : this.line, detail, this.col);
  }

  private error(line: number, detail: string, col?: number): InputError {
    const column = col !== undefined && this.header === null && col < this.ncols ? this.columns[col].name : undefined;
    return new InputError({ file: this.file, line, column }, detail);
  }

  /** Checks what only the end of the input can tell and returns the columns trimmed to the row count. */
  finish(): { rowCount: number; columns: ParsedColumn[]; invalidUtf8: ParsedTable['invalidUtf8'] } {
    if (this.header !== null) throw new InputError({ file: this.file }, 'the file is empty: a header row is required');
    const rowCount = this.row;
    if (rowCount === 0) {
      throw new InputError({ file: this.file, line: this.headerLine }, 'the file has a header but no data rows');
    }
    let allMissing: Float64Array | null = null;
    const columns = this.columns.map((c): ParsedColumn => {
      // Columns without any number share one all-NaN array, so a text column costs its codes alone.
      const numbers = c.numbers !== null ? trim(c.numbers, rowCount) : (allMissing ??= sharedFloat64(rowCount).fill(NaN));
      return {
        name: c.name,
        numbers,
        textCodes: c.codes !== null ? trim(c.codes, rowCount) : null,
        texts: c.dictionary?.texts ?? [],
        textCounts: c.dictionary?.counts ?? [],
        missingCount: c.missingCount,
        numericCount: c.numericCount,
        textCount: c.textCount,
        integerLiterals: c.integerLiterals,
        firstTextLine: c.firstTextLine,
      };
    });
    let cells = this.invalidHeaderNames;
    for (const c of this.columns) for (const code of c.dictionary?.invalid ?? []) cells += c.dictionary!.counts[code];
    const invalidUtf8 = this.firstInvalid && { cells, ...this.firstInvalid };
    return { rowCount, columns, invalidUtf8 };
  }
}

/**
 * Drops the unused tail of a column array. A small overshoot of the row estimate stays as a view (no copy);
 * a large one is copied out, one column at a time so the peak stays near one extra column.
 */
function trim<T extends Float64Array | Int32Array>(array: T, length: number): T {
  if (array.length === length || (array.length - length) * 8 <= array.length) return array.subarray(0, length) as T;
  const copy = (array instanceof Float64Array ? sharedFloat64(length) : sharedInt32(length)) as T;
  copy.set(array.subarray(0, length));
  return copy;
}

/**
 * Column arrays live in shared memory, so the thread that reads a file and the threads that later compute
 * drift all use the same bytes: posting a table or a column between threads copies no data.
 */
export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * Int32Array.BYTES_PER_ELEMENT));
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return error instanceof Error ? error.message : String(error);
}

export function checkOptions(options: CsvOptions): void {
  if (options.delimiter !== undefined && !DELIMITERS.includes(options.delimiter)) {
    throw new UsageError(`unsupported CSV delimiter ${JSON.stringify(options.delimiter)}: use one of , ; | or a tab`);
  }
}

/** Checks the options, opens the file and hands it to `use`, closing it after. */
async function withCsvFile<T>(path: string, options: CsvOptions, use: (handle: FileHandle) => Promise<T>): Promise<T> {
  checkOptions(options);
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new InputError({ file: path }, `cannot open the file: ${describe(error)}`);
  }
  try {
    return await use(handle);
  } finally {
    await handle.close();
  }
}

/** Reads a whole CSV file into columns, streaming it through one reused buffer. */
export async function readCsvFile(path: string, options: CsvOptions, internals: ReadInternals = {}): Promise<ParsedTable> {
  const chunkSize = internals.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const fieldLimit = internals.fieldLimit ?? FIELD_LIMIT;
  return withCsvFile(path, options, (handle) => readOpen(path, handle, options, chunkSize, fieldLimit));
}

/** A file read through one growing buffer: the bytes not yet parsed are `buf[0, end)`; everything read is hashed. */
class FileBuffer {
  buf: Buffer;
  end = 0;
  bytes = 0;
  eof = false;
  readonly hash = createHash('sha256');

  constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private readonly chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(2 * chunkSize);
  }

  async read(): Promise<void> {
    const { chunkSize } = this;
    if (this.end + chunkSize > this.buf.length) {
      const bigger = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.end + chunkSize));
      this.buf.copy(bigger, 0, 0, this.end);
      this.buf = bigger;
    }
    let n: number;
    try {
      n = (await this.handle.read(this.buf, this.end, chunkSize, null)).bytesRead;
    } catch (error) {
      throw new InputError({ file: this.path }, `cannot read the file: ${describe(error)}`);
    }
    if (n === 0) {
      this.eof = true;
      return;
    }
    this.hash.update(this.buf.subarray(this.end, this.end + n));
    this.end += n;
    this.bytes += n;
  }
}

/** What the first records of a file tell before it is parsed. */
interface Sample {
  /** Where the header starts (after a byte order mark). */
  start: number;
  delimiter: string;
  /** Data rows the file's size suggests, the initial capacity of every column array. */
  expectedRows: number;
  /** Re-estimates the row count from the rows parsed so far, when the expectation turns out short. */
  estimateRows: (row: number) => number;
}

/** Reads enough of the file to sniff the delimiter from whole records and to size the column arrays. */
async function sampleFile(path: string, input: FileBuffer, size: number, options: CsvOptions): Promise<Sample> {
  let spans: number[];
  let start: number;
  for (;;) {
    await input.read();
    const { buf, end, eof } = input;
    if (end < 3 && !eof) continue;
    if (input.bytes === end) {
      const why = notCsvText(buf.subarray(0, Math.min(end, CONTENT_CHECK_BYTES)));
      if (why) throw new InputError({ file: path }, why);
    }
    start = end >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    spans = recordSpans(buf, start, end, SAMPLE_RECORDS, eof);
    const sampled = end - start;
    if (eof || spans.length === 2 * SAMPLE_RECORDS || (spans.length > 0 && sampled >= SAMPLE_BYTES)) break;
    if (sampled >= SAMPLE_LIMIT) break;
  }
  const { buf } = input;
  const delimiter = options.delimiter ?? (spans.length > 0 ? sniffDelimiter(buf, spans) : ',');

  let expectedRows = 1024;
  let maxRows = Infinity;
  if (spans.length > 0 && size > 0) {
    const headerFields = countFields(buf, spans[0], spans[1], delimiter.charCodeAt(0));
    // Every row takes at least one byte per field (a delimiter or the line break).
    maxRows = Math.ceil(size / headerFields) + 16;
    if (spans.length >= 4) {
      const rowBytes = (spans[spans.length - 1] - spans[1]) / (spans.length / 2 - 1);
      expectedRows = Math.min(maxRows, Math.ceil(((size - spans[1]) / rowBytes) * 1.02) + 16);
    }
  }
  // The parser is at most one buffer behind the bytes read, close enough to extrapolate from.
  const estimateRows = (row: number): number => Math.min(maxRows, Math.ceil((row / input.bytes) * Math.max(size, input.bytes) * 1.05) + 16);
  return { start, delimiter, expectedRows, estimateRows };
}

async function fileSize(path: string, handle: FileHandle): Promise<number> {
  try {
    return (await handle.stat()).size;
  } catch (error) {
    throw new InputError({ file: path }, `cannot read the file: ${describe(error)}`);
  }
}

async function readOpen(
  path: string,
  handle: FileHandle,
  options: CsvOptions,
  chunkSize: number,
  fieldLimit: number,
): Promise<ParsedTable> {
  const size = await fileSize(path, handle);
  const input = new FileBuffer(path, handle, chunkSize);
  const { start, delimiter, expectedRows, estimateRows } = await sampleFile(path, input, size, options);
  const parser = new CsvParser(path, delimiter, options.naValues, expectedRows, estimateRows);
  parser.start(start);
  for (;;) {
    const keep = parser.parse(input.buf, input.end, input.eof);
    if (input.eof) break;
    // Only the unfinished field is carried over; everything before it is done with.
    input.buf.copy(input.buf, 0, keep, input.end);
    parser.relocate(keep);
    input.end -= keep;
    if (input.end > fieldLimit) throw parser.fieldTooLong(fieldLimit);
    await input.read();
  }
  const { rowCount, columns, invalidUtf8 } = parser.finish();
  return { path, format: 'csv', delimiter, rowCount, bytes: input.bytes, sha256: input.hash.digest('hex'), columns, invalidUtf8 };
}

/** A CSV file's layout, from its first records: what a reader other than this one needs to read it the same way. */
export interface CsvLayout {
  delimiter: string;
  /** The header's column names, checked as the reader checks them (none empty, none twice). */
  names: string[];
  /** Data rows the file's size suggests. */
  expectedRows: number;
}

/**
 * Sniffs a CSV file from its first records without reading it whole: the delimiter and the header as this reader
 * takes them. The first buffer's records are parsed too, so an error among them reads as the reader's own; with
 * `sampleOnly`, only the sampled ones (for a caller that reads the file with this reader afterwards anyway).
 */
export async function sniffCsvFile(path: string, options: CsvOptions, { sampleOnly = false }: { sampleOnly?: boolean } = {}): Promise<CsvLayout> {
  return withCsvFile(path, options, async (handle) => {
    const size = await fileSize(path, handle);
    const input = new FileBuffer(path, handle, DEFAULT_CHUNK_SIZE);
    const { start, delimiter, expectedRows, estimateRows } = await sampleFile(path, input, size, options);
    const parser = new CsvParser(path, delimiter, options.naValues, Math.min(expectedRows, 1024), estimateRows);
    parser.start(start);
    // The sampled bytes first: parsing the rest of the buffer in code not yet optimised takes tens of milliseconds.
    const sampled = Math.min(input.end, start + SAMPLE_BYTES);
    parser.parse(input.buf, sampled, input.eof && sampled === input.end);
    if (sampled < input.end && (!sampleOnly || parser.columnNames() === null)) parser.parse(input.buf, input.end, input.eof);
    const names = parser.columnNames();
    if (names === null) {
      throw new InputError({ file: path }, input.bytes === 0 ? 'the file is empty: a header row is required' : 'the header row does not end within its first 16 MB');
    }
    return { delimiter, names, expectedRows };
  });
}
