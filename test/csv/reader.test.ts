import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { readCsv } from '../../src/io/csv/index.js';
import { readCsvFile } from '../../src/io/csv/reader.js';
import { cells, defaults, inputError, parse, tempDir, tempFile } from './helpers.js';

const t = (text: string) => ({ text });

describe('RFC 4180 structure', () => {
  it('reads plain rows with LF, CRLF, or lone CR line breaks, with or without a final line break', async () => {
    const expected = { a: [1, 3], b: [t('x'), t('y')] };
    for (const nl of ['\n', '\r\n', '\r']) {
      expect(await cells(`a,b${nl}1,x${nl}3,y${nl}`)).toEqual(expected);
      expect(await cells(`a,b${nl}1,x${nl}3,y`)).toEqual(expected);
    }
  });

  it('unquotes fields, keeping doubled quotes, delimiters and line breaks inside them', async () => {
    const text = 'name,note\n"a ""b"" c","x,y"\n"line1\nline2","cr\r\nlf"\n"""",""""""\n';
    expect(await cells(text)).toEqual({
      name: [t('a "b" c'), t('line1\nline2'), t('"')],
      note: [t('x,y'), t('cr\r\nlf'), t('""')],
    });
  });

  it('reads quoted numbers and quoted NA tokens like unquoted ones', async () => {
    expect(await cells('a,b\n"1.5","NA"\n" 2 ",""\n')).toEqual({ a: [1.5, 2], b: [null, null] });
  });

  it('reads a quote inside an unquoted field, and text after a closing quote, as pandas does', async () => {
    expect(await cells('a,b\nab"c,"x"yz\n5"," "7\n')).toEqual({ a: [t('ab"c'), t('5"')], b: [t('xyz'), 7] });
  });

  it('strips a UTF-8 byte order mark', async () => {
    const table = await parse(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,v\n1,2\n')]));
    expect(table.columns.map((c) => c.name)).toEqual(['id', 'v']);
  });

  it('reads the last field of a final line without a line break, empty or not', async () => {
    expect(await cells('a,b\n1,\n2,')).toEqual({ a: [1, 2], b: [null, null] });
    expect(await cells('a,b\n1,"x"')).toEqual({ a: [1], b: [t('x')] });
  });

  it('skips blank and whitespace-only lines, like pandas, but not a line holding a quoted empty field', async () => {
    expect(await cells('\n\na,b\n\n1,2\n  \n\t\n3,4\n\n\n')).toEqual({ a: [1, 3], b: [2, 4] });
    expect(await cells('a\n1\n\n""\n2\n')).toEqual({ a: [1, null, 2] });
  });

  it('counts physical lines, including line breaks inside quotes', async () => {
    const table = await parse('a,b\n"x\ny",1\r\n"p\r\nq",2\n5,"z"\n');
    expect(table.columns.map((c) => c.firstTextLine)).toEqual([2, 6]);
    const error = await inputError('a,b\n"x\ny",1\r\n"p\rq",2\nz\n');
    expect(error.location.line).toBe(6);
    const afterQuotes = await inputError('a,b\n"q""\r\n""\r\n""",1\n"x",2,3\n');
    expect(afterQuotes.location.line).toBe(5);
  });

  it('computes the byte size and the SHA-256 of the whole file, BOM included', async () => {
    const content = Buffer.from('\ufeffa,b\n1,2\n"x",y\n');
    const table = await parse(content);
    expect(table.bytes).toBe(content.length);
    expect(table.sha256).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('passes invalid UTF-8 through with replacement characters', async () => {
    const content = Buffer.concat([Buffer.from('a\n'), Buffer.from([0x66, 0xff, 0x6f]), Buffer.from('\n')]);
    expect(await cells(content)).toEqual({ a: [t('f\ufffdo')] });
  });

  it('reads a field longer than the read buffer', async () => {
    const long = 'x'.repeat(3 << 20);
    const table = await readCsv(tempFile(`a,b\n"${long}",${long}\n1,2\n`), defaults);
    expect(table.columns[0].texts).toEqual([long]);
    expect(table.columns[1].texts).toEqual([long]);
    expect(table.rowCount).toBe(2);
  });
});

describe('cell classification', () => {
  it('treats the pandas 1.5 default NA tokens as missing, and nothing else', async () => {
    const na = ['', '#N/A', '#N/A N/A', '#NA', '-1.#IND', '-1.#QNAN', '-NaN', '-nan', '1.#IND', '1.#QNAN', '<NA>', 'N/A', 'NA', 'NULL', 'NaN', 'n/a', 'nan', 'null'];
    const content = 'v\n' + na.map((v) => `"${v}"`).join('\n') + '\nNone\nna\n NA\nNA \nNone\n';
    expect(await cells(content)).toEqual({ v: [...na.map(() => null), t('None'), t('na'), t(' NA'), t('NA '), t('None')] });
  });

  it('uses the given NA tokens, numeric ones included, instead of the defaults', async () => {
    const options = { naValues: ['-999', 'missing'] };
    expect(await cells('a,b\n-999,missing\n-999.0,NA\n,x\n', options)).toEqual({
      a: [null, -999, t('')],
      b: [null, t('NA'), t('x')],
    });
  });

  it('reads what pandas reads as a float, with spaces around it', async () => {
    const numbers: Array<[string, number]> = [
      ['1', 1], ['-2', -2], ['+3', 3], ['.5', 0.5], ['5.', 5], ['-.5e1', -5], ['1e5', 1e5], ['1E-5', 1e-5],
      ['1e+5', 1e5], [' 7 ', 7], ['\t8', 8], ['007', 7], ['-0', -0], ['0e999', 0], ['1e400', Infinity],
      ['-1e400', -Infinity], ['1e-400', 0], ['inf', Infinity], ['-Inf', -Infinity], ['+INFINITY', Infinity],
      ['infinity', Infinity],
    ];
    const content = 'v\n' + numbers.map(([s]) => `"${s}"`).join('\n') + '\n';
    const got = (await cells(content)).v;
    got.forEach((value, k) => expect(Object.is(value, numbers[k][1]), `${numbers[k][0]} -> ${String(value)}`).toBe(true));
  });

  it('keeps everything else as verbatim text', async () => {
    const texts = ['1e', '1e+', '.', '-', '+', 'e5', '1.2.3', '1,5', '0x10', '1_000', ' inf', 'inf ', 'Infinit', 'nan5', '١٢', '1 2', ' x ', '\u00a01'];
    const content = 'v\n' + texts.map((s) => `"${s}"`).join('\n') + '\n';
    expect(await cells(content)).toEqual({ v: texts.map(t) });
  });

  it('flags columns whose numbers are all integer literals', async () => {
    const table = await parse('a,b,c,d,e\n1,1,1,x,\n-2,2.0,inf,y,\n" +3 ",3e0,4,z,\n');
    expect(table.columns.map((c) => c.integerLiterals)).toEqual([true, false, false, true, true]);
  });

  it('dictionary-encodes text cells in first-seen order, with counts and the first text line', async () => {
    const table = await parse('id,c\n1,1\n2,b\n3,a\n4,NA\n5,b\n6,b\n');
    const column = table.columns[1];
    expect(column.texts).toEqual(['b', 'a']);
    expect(column.textCounts).toEqual([3, 1]);
    expect([...column.textCodes!]).toEqual([-1, 0, 1, -1, 0, 0]);
    expect([...column.numbers]).toEqual([1, NaN, NaN, NaN, NaN, NaN]);
    expect(column.firstTextLine).toBe(3);
    expect(table.columns[0].textCodes).toBeNull();
    expect(table.columns[0].texts).toEqual([]);
  });

  it('tells apart many distinct tokens, including ones differing only in their last byte', async () => {
    const values = Array.from({ length: 5000 }, (_, k) => `tok${k}\u00e9`);
    const content = 'v\n' + [...values, ...values.slice().reverse()].join('\n') + '\n';
    const table = await readCsv(tempFile(content), defaults);
    const column = table.columns[0];
    expect(column.texts).toEqual(values);
    expect(column.textCounts.every((n) => n === 2)).toBe(true);
    expect(column.texts[column.textCodes![9999]]).toBe(values[0]);
  });
});

describe('delimiters', () => {
  it('sniffs each candidate from the header', async () => {
    for (const d of [',', ';', '\t', '|']) {
      const table = await parse(`a${d}b${d}c\n1${d}2${d}3\n`);
      expect(table.delimiter).toBe(d);
      expect(table.columns.map((c) => c.name)).toEqual(['a', 'b', 'c']);
    }
  });

  it('ignores candidates inside quotes and settles ties on the data lines', async () => {
    expect((await parse('"a,b";c\n1;2\n')).delimiter).toBe(';');
    // Both ',' and ';' appear once in the header; only ';' splits every data line the same way.
    expect((await parse('a;b,c\n1;2\n3;4,5\n')).delimiter).toBe(';');
    expect((await parse('a,b;c\n1,2\n')).delimiter).toBe(',');
  });

  it('reads a quote inside a header name literally when sniffing', async () => {
    const table = await parse('a;b"c;d\n1;2;3\n');
    expect(table.delimiter).toBe(';');
    expect(table.columns.map((c) => c.name)).toEqual(['a', 'b"c', 'd']);
  });

  it('reads a header without any candidate as a single column', async () => {
    const table = await parse('value\n1\n2\n');
    expect(table.delimiter).toBe(',');
    expect(table.columns).toHaveLength(1);
  });

  it('uses the given delimiter over the sniffed one', async () => {
    const table = await parse('a,b;c\n1,2;3\n', { ...defaults, delimiter: ';' });
    expect(table.columns.map((c) => c.name)).toEqual(['a,b', 'c']);
    await expect(readCsv(tempFile('a\n1\n'), { ...defaults, delimiter: ':' })).rejects.toThrow(/unsupported CSV delimiter/);
  });
});

describe('errors name the file, the line and the column', () => {
  it('missing or unreadable file', async () => {
    const path = tempFile('a\n1\n') + '.missing';
    const error = await readCsv(path, defaults).catch((e: unknown) => e);
    expect(String((error as Error).message)).toBe(`${path}: cannot open the file: no such file`);
    const dir = tempDir();
    await expect(readCsv(dir, defaults)).rejects.toThrow(`${dir}: cannot read the file: is a directory`);
  });

  it('empty file, or one with blank lines only', async () => {
    for (const content of ['', '\ufeff', '\n\n  \r\n', '\ufeff\r\n']) {
      const error = await inputError(content);
      expect(error.message).toMatch(/: the file is empty: a header row is required$/);
    }
  });

  it('header without data rows', async () => {
    expect((await inputError('a')).message).toMatch(/:line 1: the file has a header but no data rows$/);
    const error = await inputError('\na,b\n\n');
    expect(error.location.line).toBe(2);
    expect(error.message).toBe(`${error.location.file}:line 2: the file has a header but no data rows`);
  });

  it('duplicate header names, naming both positions', async () => {
    const error = await inputError('a,b,"a"\n1,2,3\n');
    expect(error.message).toBe(`${error.location.file}:line 1 column "a": duplicate column name in the header at positions 1 and 3`);
  });

  it('empty header name', async () => {
    const error = await inputError('a,,b\n1,2,3\n');
    expect(error.message).toBe(`${error.location.file}:line 1: empty column name in the header at position 2`);
  });

  it('rows with fewer or more fields than the header', async () => {
    const fewer = await inputError('a,b,c\n1,2,3\n"x\ny",2\n');
    expect(fewer.message).toBe(`${fewer.location.file}:line 3: expected 3 fields (as in the header), found 2`);
    const more = await inputError('a,b\r\n1,2\r\n3,4\r\n5,6,7,8\r\n');
    expect(more.message).toBe(`${more.location.file}:line 4: expected 2 fields (as in the header), found 4`);
    const last = await inputError('a,b\n1,2\n3');
    expect(last.message).toBe(`${last.location.file}:line 3: expected 2 fields (as in the header), found 1`);
  });

  it('unterminated quoted field, reported where it opens', async () => {
    const error = await inputError('a,b\n1,2\n3,"open\nstill open\n');
    expect(error.location).toEqual({ file: error.location.file, line: 3, column: 'b' });
    expect(error.message).toBe(`${error.location.file}:line 3 column "b": unterminated quoted field: the closing quote is missing`);
    const inHeader = await inputError('a,"b\n1,2\n');
    expect(inHeader.location.line).toBe(1);
  });
  it('a field too long to be real, which is mostly a quote never closed', async () => {
    const path = tempFile(`a,b\n1,2\n3,"${'x\n'.repeat(100_000)}4,5\n`);
    const error = await readCsvFile(path, defaults, { chunkSize: 4096, fieldLimit: 100_000 }).catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `${path}:line 3 column "b": a field is longer than 100000 bytes: is a closing quote missing?`,
    );
    await expect(readCsvFile(path, defaults, { fieldLimit: 300_000 })).rejects.toThrow(/:line 3 column "b": unterminated/);
  });
});

describe('memory layout', () => {
  it('shares one all-NaN array between columns without numbers and trims arrays to the row count', async () => {
    const table = await parse('a,b,c,d\nx,,1,y\nz,NA,2,y\n');
    const [a, b, c, d] = table.columns;
    expect(a.numbers).toBe(b.numbers);
    expect(a.numbers).toBe(d.numbers);
    expect(c.numbers).not.toBe(a.numbers);
    expect(b.textCodes).toBeNull();
    for (const column of table.columns) expect(column.numbers.length).toBe(2);
  });

  it('grows the columns when the first rows make the row count look small', async () => {
    const head = Array.from({ length: 40 }, (_, r) => `${r},${'long text '.repeat(20)}${r}`);
    const tail = Array.from({ length: 20000 }, (_, r) => `${40 + r},${r}`);
    const table = await readCsv(tempFile(['id,v', ...head, ...tail].join('\n')), defaults);
    expect(table.rowCount).toBe(20040);
    const [id, v] = table.columns;
    expect(id.numbers.length).toBe(20040);
    expect(id.numbers[20039]).toBe(20039);
    expect(v.numbers.length).toBe(20040);
    expect([v.numbers[39], v.numbers[40], v.numbers[20039]]).toEqual([NaN, 0, 19999]);
    expect(v.textCodes!.length).toBe(20040);
    expect([v.textCodes![39], v.textCodes![40], v.textCodes![20039]]).toEqual([39, -1, -1]);
  });

  it('copies the columns out when the first rows make the row count look large', async () => {
    const head = Array.from({ length: 40 }, (_, r) => `${r},x`);
    const tail = Array.from({ length: 200 }, (_, r) => `${40 + r},${'y'.repeat(5000)}`);
    const table = await readCsv(tempFile(['id,v', ...head, ...tail].join('\n') + '\n'), defaults);
    const [id, v] = table.columns;
    expect(table.rowCount).toBe(240);
    expect(id.numbers.buffer.byteLength).toBe(240 * 8);
    expect(v.textCodes!.buffer.byteLength).toBe(240 * 4);
    expect(v.textCounts).toEqual([40, 200]);
  });
});
