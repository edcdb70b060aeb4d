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
