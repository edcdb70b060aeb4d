/**
 * Differential test: csv-parse splits seeded, generated nasty files into cell texts, which are classified here the
 * way the brief states pandas' rules; the reader's columns must hold exactly those cells.
 */
import { parse as csvParse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DEFAULT_NA_VALUES } from '../../src/io/csv/index.js';
import { readCsvFile } from '../../src/io/csv/reader.js';
import { type Cell, tableCells, tempFile } from './helpers.js';
import { mulberry32 } from '../helpers/random.js';


const NUMBERS = [
  '0', '-0', '12.3456', '-7', '+3', '.5', '5.', '1e5', '1E-7', '-2.5e+3', '1e400', '-1e400', '4.9e-324',
  '0.30000000000000004', '123456789012345678901', '9007199254740993', ' 42', '42 ', '\t1.5', '007', '1e', '1.2.3',
  'inf', '-Infinity', 'INF', ' inf', '0x10', '1,5', '1;5', '1|5', '1\t5',
];
const TEXTS = [
  'cat_3', 'None', 'none', 'na', ' NA', 'hello world', ' padded ', 'a"b', '"', '""', 'x,y', 'x;y', 'x|y', 'x\ty',
  'line\nbreak', 'crlf\r\nbreak', 'lone\rcr', '\n', 'é', 'e\u0301', '😀', '👩‍👩‍👧', '日本語', 'עברית', '\u00a0', '\u2028', '\ufeffbom',
  "'quoted'", '=1+1', 'a,"b",c', '   ',
];
const NA = [...DEFAULT_NA_VALUES];

function cellText(rand: () => number): string {
  const r = rand();
  if (r < 0.35) return NUMBERS[Math.floor(rand() * NUMBERS.length)];
  if (r < 0.55) return NA[Math.floor(rand() * NA.length)];
  if (r < 0.85) return TEXTS[Math.floor(rand() * TEXTS.length)];
  if (r < 0.92) return (rand() * 1000 - 500).toFixed(Math.floor(rand() * 6));
  // Random mixes of the nastiest characters.
  const parts = ['"', ',', ';', '|', '\t', '\n', '\r\n', ' ', 'a', '1', '.', 'é', '😀', 'NA'];
  let text = '';
  const n = 1 + Math.floor(rand() * 6);
  for (let k = 0; k < n; k++) text += parts[Math.floor(rand() * parts.length)];
  return text;
}

interface Generated {
  content: string;
  delimiter: string;
  sniff: boolean;
}

function generate(seed: number): Generated {
  const rand = mulberry32(seed);
  const delimiter = [',', ';', '\t', '|'][Math.floor(rand() * 4)];
  const nl = rand() < 0.5 ? '\n' : '\r\n';
  const ncols = 1 + Math.floor(rand() * 6);
  const nrows = 1 + Math.floor(rand() * 40);
  const quote = (text: string, always: boolean): string => {
    const must = text.includes('"') || text.includes(delimiter) || text.includes('\n') || text.includes('\r');
    // A single column whose cell is empty or blank would be a blank line, which both parsers skip.
    const blank = ncols === 1 && /^[ \t]*$/.test(text);
    return must || blank || always ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const header = Array.from({ length: ncols }, (_, k) => quote(`col${k}${rand() < 0.2 ? ' é' : ''}`, rand() < 0.2));
  const lines = [header.join(delimiter)];
  for (let r = 0; r < nrows; r++) {
    const row = Array.from({ length: ncols }, () => quote(cellText(rand), rand() < 0.15));
    lines.push(row.join(delimiter));
    if (ncols > 1 && rand() < 0.05) lines.push('');
  }
  let content = lines.join(nl);
  if (rand() < 0.7) content += nl;
  if (rand() < 0.2) content += nl;
  if (rand() < 0.3) content = '\ufeff' + content;
  return { content, delimiter, sniff: ncols > 1 && rand() < 0.5 };
}

const SPACE = '[ \\t\\n\\v\\f\\r]*';
const FLOAT = new RegExp(`^${SPACE}[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?${SPACE}$`);
const INTEGER = new RegExp(`^${SPACE}[+-]?\\d+${SPACE}$`);
const INFINITY = /^[+-]?inf(inity)?$/i;

/** The brief's rules, stated independently of the reader's byte-level code. */
function classify(text: string): Cell {
  if (NA.includes(text)) return null;
  if (FLOAT.test(text)) return Number(text);
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return { text };
}

describe('differential test against csv-parse', () => {
  it('classifies every cell of 400 generated files as csv-parse splits them', async () => {
    for (let seed = 1; seed <= 400; seed++) {
      const { content, delimiter, sniff } = generate(seed);
      const records: string[][] = csvParse(content, { delimiter, bom: true, skip_empty_lines: true });
      const [header, ...rows] = records;
      const expected: Record<string, Cell[]> = {};
      header.forEach((name, k) => (expected[name] = rows.map((row) => classify(row[k]))));

      const path = tempFile(content);
      const options = { naValues: DEFAULT_NA_VALUES, delimiter: sniff ? undefined : delimiter };
      for (const chunkSize of [undefined, 1 + (seed % 7)]) {
        const table = await readCsvFile(path, options, { chunkSize });
        const context = `seed ${seed}, chunk size ${chunkSize ?? 'default'}`;
        expect(table.delimiter, context).toBe(delimiter);
        expect(table.rowCount, context).toBe(rows.length);
        const got = tableCells(table);
        for (const name of header) {
          got[name].forEach((cell, r) => {
            const want = expected[name][r];
            const same = typeof want === 'number' ? Object.is(cell, want) : JSON.stringify(cell) === JSON.stringify(want);
            expect(same, `${context}, column ${name}, row ${r}: ${JSON.stringify(rows[r])}`).toBe(true);
          });
        }
        table.columns.forEach((column, k) => {
          const numeric = rows.map((row) => row[k]).filter((text) => typeof classify(text) === 'number');
          expect(column.integerLiterals, `${context}, column ${k}`).toBe(numeric.every((text) => INTEGER.test(text)));
        });
      }
    }
  });
});
