/**
 * CSV fuzz guard: seeded generated files, many of them broken on purpose (stray quotes, ragged rows, NUL and
 * control bytes, invalid UTF-8, cut-off ends). For each, the reader either agrees with csv-parse on the
 * header and the row count, or fails with an InputError whose printed line is one clean line. A deeper pass:
 * `node scripts/fuzz-csv.mjs 100000` (runs this file with FUZZ_FILES and FUZZ_SEED).
 */
import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { DEFAULT_NA_VALUES } from '../../src/io/csv/index.js';
import { readCsvFile } from '../../src/io/csv/reader.js';
import { printable, PRINTED_MESSAGE_MAX } from '../../src/printable.js';
import { mulberry32 } from '../helpers/random.js';
import { tempFile } from './helpers.js';

const FILES = Number(process.env.FUZZ_FILES ?? 2000);
const FIRST_SEED = Number(process.env.FUZZ_SEED ?? 1);

const CELLS = ['1', '-2.5', '1e5', 'NA', '', 'x', 'hello world', 'é', '😀', 'a"b', '"q"', 'x,y', 'line\nbreak', 'cr\rcr', '\u2028', 'inf', ' 7 '];
const NASTY = ['"', ',', ';', '\n', '\r', '\r\n', '\u0000', '\u001b[2J', '\u0007', '\u0085', '\ufeff', ' ', 'a', '1'];

interface Case {
  bytes: Buffer;
  delimiter: string;
}

function generate(seed: number): Case {
  const rand = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
  const delimiter = pick([',', ';', '\t', '|']);
  const ncols = 1 + Math.floor(rand() * 5);
  const nrows = Math.floor(rand() * 20);
  const quote = (t: string) => (/["\n\r,;\t|]/.test(t) || rand() < 0.1 ? `"${t.replaceAll('"', '""')}"` : t);
  const lines = [Array.from({ length: ncols }, (_, k) => quote(rand() < 0.1 ? pick(NASTY) + k : `c${k}`)).join(delimiter)];
  for (let r = 0; r < nrows; r++) lines.push(Array.from({ length: ncols }, () => quote(pick(CELLS))).join(delimiter));
  let text = lines.join(rand() < 0.5 ? '\n' : '\r\n') + (rand() < 0.7 ? '\n' : '');
  // Break it: insert, delete or cut at random places.
  for (let m = Math.floor(rand() * 4); m > 0; m--) {
    const at = Math.floor(rand() * (text.length + 1));
    const r = rand();
    if (r < 0.6) text = text.slice(0, at) + pick(NASTY) + text.slice(at);
    else if (r < 0.85) text = text.slice(0, at) + text.slice(at + 1);
    else text = text.slice(0, at);
  }
  let bytes = Buffer.from(text, 'utf8');
  if (rand() < 0.05) {
    const at = Math.floor(rand() * (bytes.length + 1));
    bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([0xff, 0xc3]), bytes.subarray(at)]);
  }
  return { bytes, delimiter };
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

describe('CSV fuzz', () => {
  it(`${FILES} generated files: the reader agrees with csv-parse or fails in one clean line`, async () => {
    let agreed = 0;
    let refused = 0;
    let lenient = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + FILES; seed++) {
      const { bytes, delimiter } = generate(seed);
      const path = tempFile(bytes, `fuzz-${seed % 64}.csv`);
      let reference: string[][] | undefined;
      let why = '';
      try {
        const records: string[][] = csvParse(bytes, {
          delimiter,
          bom: true,
          skip_empty_lines: true,
          relax_quotes: true,
          relax_column_count: true,
          record_delimiter: ['\r\n', '\n', '\r'],
        });
        // pandas skips a whitespace-only line as blank, so such a line is no short row.
        const kept = records.filter((r, i) => i === 0 || r.length === records[0].length || !(r.length === 1 && /^[ \t]*$/.test(r[0])));
        if (kept.some((r) => r.length !== kept[0].length)) why = 'Invalid Record Length';
        else reference = kept;
      } catch (e) {
        why = (e as Error).message;
      }
      let table: Awaited<ReturnType<typeof readCsvFile>> | undefined;
      try {
        table = await readCsvFile(path, { naValues: DEFAULT_NA_VALUES, delimiter });
      } catch (e) {
        if (!(e instanceof InputError)) throw new Error(`seed ${seed}: not an InputError`, { cause: e });
        const line = `mlobs: error: ${printable(e.message, PRINTED_MESSAGE_MAX)}`;
        expect(line, `seed ${seed}`).not.toMatch(CONTROL);
        expect(line, `seed ${seed}`).toContain(path);
        refused++;
        continue;
      }
      // Text after a closing quote joins the field in pandas (and in the reader); csv-parse has no such mode.
      if (!reference && /Invalid Closing Quote/.test(why)) {
        lenient++;
        continue;
      }
      // Both read it: they must see the same table shape. The reader is stricter in places (binary content,
      // duplicate or empty names), otherwise as strict.
      if (process.env.FUZZ_DEBUG && !reference) console.log(seed, JSON.stringify(bytes.toString('utf8')), why);
      expect(reference, `seed ${seed}: the reader accepted what csv-parse refuses (${why})`).toBeDefined();
      // pandas skips an unquoted whitespace-only line as blank; csv-parse keeps it (quoted or not, it cannot tell).
      const rows = reference!.length - 1;
      const blankish = reference!.slice(1).filter((r) => r.length === 1 && /^[ \t]*$/.test(r[0])).length;
      expect(table.rowCount, `seed ${seed}`).toBeGreaterThanOrEqual(rows - blankish);
      expect(table.rowCount, `seed ${seed}`).toBeLessThanOrEqual(rows);
      // Quotes inside a field: pandas drops a closing quote that text follows, csv-parse (relaxed) keeps it.
      const unquoted = (names: string[]) => names.map((n) => n.replaceAll('"', ''));
      expect(unquoted(table.columns.map((c) => c.name)), `seed ${seed}`).toEqual(unquoted(reference![0]));
      agreed++;
    }
    expect(agreed + refused + lenient).toBe(FILES);
  });
});
