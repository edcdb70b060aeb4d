/** Looking at the first records of a file before parsing it: delimiter sniffing and a row-size estimate. */

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Candidate delimiters, in order of preference when the evidence is tied. */
export const DELIMITERS: readonly string[] = [',', '\t', ';', '|'];
const CANDIDATE_BYTES = DELIMITERS.map((d) => d.charCodeAt(0));

/** Whether `buf[start, end)` is empty or only spaces and tabs, which pandas skips as a blank line. */
export function isBlank(buf: Uint8Array, start: number, end: number): boolean {
  for (let k = start; k < end; k++) {
    const c = buf[k];
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * Finds up to `max` complete non-blank records in `buf[start, end)` and returns their spans as a flat
 * `[start0, end0, start1, end1, ...]` list, terminators excluded. The delimiter is not known yet, so a quote opens
 * a quoted section where it follows any candidate delimiter, as the parser would for that delimiter. At EOF the
 * unterminated tail counts as a record.
 */
export function recordSpans(buf: Uint8Array, start: number, end: number, max: number, eof: boolean): number[] {
  const spans: number[] = [];
  let recordStart = start;
  let fieldStart = true;
  let quoted = false;
  for (let i = start; i < end && spans.length < max * 2; i++) {
    const c = buf[i];
    if (quoted) {
      if (c === QUOTE) {
        // A doubled quote stays inside; any other byte after a quote is past the closing quote.
        if (i + 1 < end && buf[i + 1] === QUOTE) i++;
        else if (i + 1 < end || eof) quoted = false;
        else return spans;
      }
    } else if (c === QUOTE && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else if (c === LF || c === CR) {
      if (!isBlank(buf, recordStart, i)) spans.push(recordStart, i);
      if (c === CR && i + 1 < end && buf[i + 1] === LF) i++;
      recordStart = i + 1;
      fieldStart = true;
    } else {
      fieldStart = CANDIDATE_BYTES.includes(c);
    }
  }
  if (eof && spans.length < max * 2 && !isBlank(buf, recordStart, end)) {
    spans.push(recordStart, end);
  }
  return spans;
}

/** The number of fields in the record `buf[start, end)` read with `delim`, following the parser's quoting rules. */
export function countFields(buf: Uint8Array, start: number, end: number, delim: number): number {
  let fields = 1;
  let fieldStart = true;
  let quoted = false;
  for (let k = start; k < end; k++) {
    const c = buf[k];
    if (quoted) {
      if (c === QUOTE) {
        if (k + 1 < end && buf[k + 1] === QUOTE) k++;
        else quoted = false;
      }
    } else if (c === QUOTE && fieldStart) {
      quoted = true;
      fieldStart = false;
    } else {
      fieldStart = c === delim;
      if (fieldStart) fields++;
    }
  }
  return fields;
}

/**
 * Picks the delimiter from the header (the first span): the only candidate present there wins. When several are,
 * the one whose field count on the header recurs on the most sampled rows wins, then the one splitting the header
 * into more columns, then the earlier in `DELIMITERS`. A header without any candidate is a single column.
 */
export function sniffDelimiter(buf: Uint8Array, spans: number[]): string {
  let best = ',';
  let bestConsistent = -1;
  let bestFields = 1;
  for (const delimiter of DELIMITERS) {
    const byte = delimiter.charCodeAt(0);
    const fields = countFields(buf, spans[0], spans[1], byte);
    if (fields === 1) continue;
    let consistent = 0;
    for (let k = 2; k < spans.length; k += 2) {
      if (countFields(buf, spans[k], spans[k + 1], byte) === fields) consistent++;
    }
    if (consistent > bestConsistent || (consistent === bestConsistent && fields > bestFields)) {
      best = delimiter;
      bestConsistent = consistent;
      bestFields = fields;
    }
  }
  return best;
}

const MAGIC: [string, number[]][] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a ZIP archive (or an Excel .xlsx workbook)', [0x50, 0x4b, 0x03, 0x04]],
  ['gzip-compressed data', [0x1f, 0x8b]],
  ['a Parquet file', [0x50, 0x41, 0x52, 0x31]],
  ['a PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['an ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
  ['an SQLite database', [...Buffer.from('SQLite format 3\0', 'latin1')]],
  ['xz-compressed data', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]],
  ['zstd-compressed data', [0x28, 0xb5, 0x2f, 0xfd]],
  ['bzip2-compressed data', [0x42, 0x5a, 0x68]],
  ['an Excel .xls workbook (OLE2)', [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]],
];

// UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one.
const BOMS: [string, number[]][] = [
  ['UTF-32 LE', [0xff, 0xfe, 0x00, 0x00]],
  ['UTF-32 BE', [0x00, 0x00, 0xfe, 0xff]],
  ['UTF-16 LE', [0xff, 0xfe]],
  ['UTF-16 BE', [0xfe, 0xff]],
];

const startsWith = (head: Uint8Array, magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);

/**
 * Why the file whose first bytes are `head` is not CSV text mlobs can read, or undefined when it may be:
 * a UTF-16/32 byte order mark, the magic number of a known binary format, or NUL bytes (which no text
 * encoding mlobs reads contains; UTF-16 without a byte order mark is mostly NULs for Latin text).
 */
export function notCsvText(head: Uint8Array): string | undefined {
  for (const [name, bom] of BOMS) {
    if (startsWith(head, bom))
      return `the file is ${name} text (byte order mark); mlobs reads UTF-8: convert it first, e.g. iconv -f ${name.replace(' ', '')} -t UTF-8`;
  }
  for (const [name, magic] of MAGIC) if (startsWith(head, magic)) return `the file is ${name}, not CSV text`;
  let nul = 0;
  for (const b of head) if (b === 0) nul++;
  if (nul > 0)
    return `the file holds binary data (${nul} NUL bytes in its first ${head.length} bytes), not CSV text; UTF-16 without a byte order mark looks like this too`;
  return undefined;
}
