import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import { DEFAULT_NA_VALUES } from '../../src/io/csv/index.js';
import { readCsvFile } from '../../src/io/csv/reader.js';
import type { CsvOptions, ParsedColumn, ParsedTable } from '../../src/io/csv/types.js';
import { tempDir as sharedTempDir } from '../helpers/tmp.js';

/** Chunk sizes every input is read with: the default, and tiny ones that cut through every token. */
export const CHUNK_SIZES = [undefined, 1, 2, 3, 5, 7];

let dir: string | undefined;
let counter = 0;

/**
 * One directory per test file, removed after it (test/setup.ts). Test files may share this module (vitest runs
 * them without isolation), so a directory an earlier file's clean-up removed is made again.
 */
function home(): string {
  if (dir === undefined || !existsSync(dir)) dir = sharedTempDir('mlobs-csv-test-');
  return dir;
}

export function tempFile(content: string | Buffer, name = `t${counter++}.csv`): string {
  const path = join(home(), name);
  writeFileSync(path, content);
  return path;
}

export function tempDir(): string {
  const sub = join(home(), `d${counter++}`);
  mkdirSync(sub);
  return sub;
}

export const defaults: CsvOptions = { naValues: DEFAULT_NA_VALUES };

/** A cell as the reader classified it: null = missing, a number, or `{ text }`. */
export type Cell = null | number | { text: string };

export function cellsOf(column: ParsedColumn, rowCount: number): Cell[] {
  const cells: Cell[] = [];
  for (let r = 0; r < rowCount; r++) {
    const code = column.textCodes === null ? -1 : column.textCodes[r];
    if (code >= 0) {
      expect(Number.isNaN(column.numbers[r])).toBe(true);
      cells.push({ text: column.texts[code] });
    } else if (Number.isNaN(column.numbers[r])) {
      cells.push(null);
    } else {
      cells.push(column.numbers[r]);
    }
  }
  return cells;
}

/** Columns by name, each a list of cells; also checks the counts agree with the cells. */
export function tableCells(table: ParsedTable): Record<string, Cell[]> {
  const out: Record<string, Cell[]> = {};
  for (const column of table.columns) {
    expect(column.numbers.length).toBe(table.rowCount);
    if (column.textCodes !== null) expect(column.textCodes.length).toBe(table.rowCount);
    const cells = cellsOf(column, table.rowCount);
    expect(column.missingCount).toBe(cells.filter((c) => c === null).length);
    expect(column.numericCount).toBe(cells.filter((c) => typeof c === 'number').length);
    expect(column.textCount).toBe(cells.filter((c) => typeof c === 'object' && c !== null).length);
    expect(column.textCounts.reduce((a, b) => a + b, 0)).toBe(column.textCount);
    out[column.name] = cells;
  }
  return out;
}

/** Reads `path` with every chunk size; all reads must agree. Returns the default-size read. */
export async function readAllWays(path: string, options: CsvOptions = defaults): Promise<ParsedTable> {
  const tables = [];
  for (const chunkSize of CHUNK_SIZES) tables.push(await readCsvFile(path, options, { chunkSize }));
  const reference = summary(tables[0]);
  for (const table of tables.slice(1)) expect(summary(table)).toEqual(reference);
  return tables[0];
}

function summary(table: ParsedTable) {
  return {
    delimiter: table.delimiter,
    rowCount: table.rowCount,
    bytes: table.bytes,
    sha256: table.sha256,
    cells: tableCells(table),
    meta: table.columns.map((c) => [c.name, c.integerLiterals, c.firstTextLine, c.texts, c.textCounts]),
  };
}

export async function parse(content: string | Buffer, options: CsvOptions = defaults): Promise<ParsedTable> {
  return readAllWays(tempFile(content), options);
}

export async function cells(content: string | Buffer, options: CsvOptions = defaults): Promise<Record<string, Cell[]>> {
  return tableCells(await parse(content, options));
}

/** Reads with every chunk size and expects the same InputError each time. */
export async function inputError(content: string | Buffer, options: CsvOptions = defaults): Promise<InputError> {
  const path = tempFile(content);
  let first: InputError | undefined;
  for (const chunkSize of CHUNK_SIZES) {
    const error = await readCsvFile(path, options, { chunkSize }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InputError);
    const inputError = error as InputError;
    expect(inputError.location.file).toBe(path);
    if (first === undefined) first = inputError;
    else expect([inputError.message, inputError.location]).toEqual([first.message, first.location]);
  }
  return first!;
}
