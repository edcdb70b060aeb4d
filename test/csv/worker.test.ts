/**
 * The worker path only exists in compiled JavaScript: from TypeScript sources readCsvFiles falls back to reading
 * in-thread. So this test reads through a compiled copy: dist/ when it is up to date with the sources, otherwise
 * a private build of src/io/csv (and what it imports) into a temporary directory, leaving dist/ alone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as CsvModule from '../../src/io/csv/index.js';
import type * as ErrorsModule from '../../src/errors.js';
import { tableCells, tempFile } from './helpers.js';

const root = resolve(import.meta.dirname, '../..');

function upToDate(distDir: string): boolean {
  const sources = [
    ...readdirSync(join(root, 'src/io/csv'))
      .filter((f) => f.endsWith('.ts'))
      .map((f) => `io/csv/${f}`),
    'errors.ts',
  ];
  return sources.every((source) => {
    const compiled = join(distDir, source.replace(/\.ts$/, '.js'));
    return existsSync(compiled) && statSync(compiled).mtimeMs >= statSync(join(root, 'src', source)).mtimeMs;
  });
}

/** The directory holding a compiled errors.js and io/csv/, and whether it is a private build to remove afterwards. */
function compiledDir(): { dir: string; temporary: boolean } {
  const dist = join(root, 'dist');
  if (upToDate(dist)) return { dir: dist, temporary: false };
  const out = mkdtempSync(join(tmpdir(), 'mlobs-csv-build-'));
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const files = ['src/io/csv/index.ts', 'src/io/csv/worker.ts'];
  const flags = ['--outDir', out, '--rootDir', 'src', '--module', 'nodenext', '--moduleResolution', 'nodenext'];
  execFileSync(process.execPath, [tsc, ...files, ...flags, '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node'], {
    cwd: root,
  });
  // Outside the repository no package.json says the output is ES modules.
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  return { dir: out, temporary: true };
}

let csv: typeof CsvModule;
let errors: typeof ErrorsModule;
let workerUrl: URL;

let build: { dir: string; temporary: boolean };

beforeAll(async () => {
  build = compiledDir();
  const { dir } = build;
  csv = await import(pathToFileURL(join(dir, 'io/csv/index.js')).href);
  errors = await import(pathToFileURL(join(dir, 'errors.js')).href);
  workerUrl = pathToFileURL(join(dir, 'io/csv/worker.js'));
}, 120_000);

afterAll(() => {
  if (build?.temporary) rmSync(build.dir, { recursive: true, force: true });
});

function sampleFile(seed: number, rows: number): string {
  const lines = ['id,score,"group, quoted",flag,mixed'];
  for (let r = 0; r < rows; r++) {
    const score = r % 17 === 0 ? 'NA' : ((r * 7919 + seed) % 1000) / 7;
    const mixed = r % 3 === 0 ? 'yes' : r % 3;
    lines.push(`${r},${score},"g""${(r + seed) % 5}""",${r % 2 ? 'yes' : 'no'},${mixed}`);
  }
  return tempFile(lines.join('\n') + '\n');
}

describe('readCsvFiles in worker threads', () => {
  it('runs the compiled worker script', () => {
    expect(existsSync(workerUrl)).toBe(true);
  });

  it('returns the same tables as reading in-thread', async () => {
    const options = { naValues: csv.DEFAULT_NA_VALUES };
    const paths = [sampleFile(1, 5000), sampleFile(2, 300), sampleFile(3, 1)];
    const parallel = await csv.readCsvFiles(paths, options, { parallel: true });
    const serial = await csv.readCsvFiles(paths, options, { parallel: false });
    expect(parallel).toHaveLength(3);
    parallel.forEach((table, k) => {
      const { columns, ...meta } = table;
      const { columns: serialColumns, ...serialMeta } = serial[k];
      expect(meta).toEqual(serialMeta);
      expect(tableCells(table)).toEqual(tableCells(serial[k]));
      expect(columns.map((c) => [c.texts, c.textCounts, c.integerLiterals, c.firstTextLine])).toEqual(
        serialColumns.map((c) => [c.texts, c.textCounts, c.integerLiterals, c.firstTextLine]),
      );
      for (const column of columns) {
        expect(column.numbers).toBeInstanceOf(Float64Array);
        if (column.textCodes !== null) expect(column.textCodes).toBeInstanceOf(Int32Array);
      }
    });
  });

  it('rethrows an InputError from a worker with its file, line and column', async () => {
    const good = sampleFile(4, 10);
    const bad = tempFile('a,b\n1,2\n3,"unterminated\n');
    const error = await csv
      .readCsvFiles([good, bad], { naValues: csv.DEFAULT_NA_VALUES }, { parallel: true })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(errors.InputError);
    const inputError = error as ErrorsModule.InputError;
    expect(inputError.location).toEqual({ file: bad, line: 3, column: 'b' });
    expect(inputError.message).toBe(`${bad}:line 3 column "b": unterminated quoted field: the closing quote is missing`);
    expect(inputError.exitCode).toBe(2);
  });

  it('reports the first failing file in the order given', async () => {
    const missing = tempFile('x\n1\n') + '.gone';
    const ragged = tempFile('a,b\n1\n');
    const error = await csv.readCsvFiles([ragged, missing], { naValues: [] }, { parallel: true }).catch((e: unknown) => e);
    expect((error as ErrorsModule.InputError).location).toEqual({ file: ragged, line: 2 });
  });

  it('shares the column arrays with the worker instead of copying them', async () => {
    const path = sampleFile(5, 100);
    const [table] = await csv.readCsvFiles([path, path], { naValues: ['NA'] }, { parallel: true });
    const [, score, group, flag] = table.columns;
    expect(table.rowCount).toBe(100);
    expect(score.numbers.length).toBe(100);
    expect(group.texts).toHaveLength(5);
    // Shared memory crosses postMessage without a copy, and later goes to the drift threads the same way.
    for (const column of table.columns) {
      expect(column.numbers.buffer).toBeInstanceOf(SharedArrayBuffer);
      if (column.textCodes) expect(column.textCodes.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    // Neither column holds a number, so both use the one all-NaN array.
    expect(flag.numbers).toBe(group.numbers);
  });
});
