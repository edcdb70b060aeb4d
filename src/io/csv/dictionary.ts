import { isUtf8 } from 'node:buffer';

/**
 * Dictionary encoding of text cells keyed on their raw UTF-8 bytes: a repeated token costs a hash and a byte compare,
 * and its JS string is decoded once, when first seen.
 */
export class TextDictionary {
  readonly texts: string[] = [];
  readonly counts: number[] = [];
  /** Codes of the tokens whose bytes are not valid UTF-8 (their text holds U+FFFD for the bad bytes). */
  readonly invalid: number[] = [];
  /** Open-addressing table of code + 1 (0 = empty slot). */
  private table = new Int32Array(64);
  private hashes = new Int32Array(32);
  /** Token bytes back to back; token `k` spans `offsets[k]` .. `offsets[k + 1]`. */
  private pool = new Uint8Array(256);
  private offsets = new Int32Array(33);

  /** Returns the code of the token in `buf[start, end)`, adding it when new. */
  intern(buf: Buffer, start: number, end: number): number {
    let h = 0x811c9dc5;
    for (let k = start; k < end; k++) h = Math.imul(h ^ buf[k], 0x01000193);
    const table = this.table;
    const mask = table.length - 1;
    const len = end - start;
    let slot = h & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) break;
      const code = entry - 1;
      if (this.hashes[code] === h) {
        const from = this.offsets[code];
        if (this.offsets[code + 1] - from === len && this.bytesEqual(buf, start, from, len)) {
          this.counts[code]++;
          return code;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.add(buf, start, end, h, slot);
  }

  private bytesEqual(buf: Buffer, start: number, from: number, len: number): boolean {
    const pool = this.pool;
    for (let k = 0; k < len; k++) if (buf[start + k] !== pool[from + k]) return false;
    return true;
  }

  private add(buf: Buffer, start: number, end: number, h: number, slot: number): number {
    const code = this.texts.length;
    if (code + 1 >= this.hashes.length) {
      this.hashes = grow(this.hashes, this.hashes.length * 2);
      this.offsets = grow(this.offsets, this.offsets.length * 2);
    }
    const from = this.offsets[code];
    const to = from + (end - start);
    if (to > this.pool.length) this.pool = grow(this.pool, Math.max(this.pool.length * 2, to));
    buf.copy(this.pool, from, start, end);
    this.offsets[code + 1] = to;
    this.hashes[code] = h;
    const text = buf.toString('utf8', start, end);
    // The decoder's replacement character is the cheap hint; a U+FFFD written in the file is valid UTF-8.
    if (text.includes('\ufffd') && !isUtf8(buf.subarray(start, end))) this.invalid.push(code);
    this.texts.push(text);
    this.counts.push(1);
    this.table[slot] = code + 1;
    // Resizing at half load keeps probe chains short for the high-cardinality columns (ids, free text).
    if ((code + 1) * 2 > this.table.length) this.rehash(this.table.length * 2);
    return code;
  }

  private rehash(size: number): void {
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let code = 0; code < this.texts.length; code++) {
      let slot = this.hashes[code] & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = code + 1;
    }
    this.table = table;
  }
}

function grow<T extends Int32Array | Uint8Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
