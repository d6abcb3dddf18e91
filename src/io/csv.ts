/**
 * CSV text -> DataTable, with R's `read.csv` type inference.
 *
 * - RFC 4180 fields: separated by a comma, optionally quoted with `"`, `""` inside
 *   quotes is a literal quote, CRLF or LF line ends, a final newline optional.
 * - The first row names the columns.
 * - An empty field, `NA`, or `"NA"` is missing.
 * - A column whose non-missing fields all read as numbers is numeric (quoted or
 *   not, as read.csv does); `Inf`, `-Inf` and `NaN` are numbers too. Anything
 *   else is categorical, keeping every field's text as written.
 *
 * The tokenizer works on bytes and records field boundaries in typed arrays;
 * numbers are read straight from the bytes (Clinger's fast path: an integer
 * mantissa below 2^53 scaled by an exact power of ten is correctly rounded),
 * falling back to `Number()` for anything longer. This keeps a 1e6-row file
 * well under a second.
 */
import type { Column, DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

interface Fields {
  /** start/end byte offsets of field i (end exclusive, quotes stripped). */
  start: Int32Array;
  end: Int32Array;
  /** 1 when the field was quoted (may contain `""` escapes). */
  quoted: Uint8Array;
  count: number;
  /** field index where each row starts; rowStart[nrows] = count. */
  rowStart: Int32Array;
  nrows: number;
}

/** Parse CSV text (or its UTF-8 bytes) into a table. `source` names the input in errors. */
export function parseCsv(input: string | Uint8Array, source = 'CSV input'): DataTable {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const fields = tokenize(bytes, source);
  if (fields.nrows === 0) throw new MixedModelsError(`${source}: the file is empty (no header row)`);
  const names = headerNames(bytes, fields, source);
  const ncol = names.length;
  const nrow = fields.nrows - 1;
  for (let r = 1; r <= nrow; r++) {
    const width = fields.rowStart[r + 1] - fields.rowStart[r];
    if (width !== ncol) {
      throw new MixedModelsError(
        `${source}: line ${r + 1} has ${width} field${width === 1 ? '' : 's'}, the header has ${ncol}`,
      );
    }
  }
  const columns = new Map<string, Column>();
  for (let c = 0; c < ncol; c++) columns.set(names[c], readColumn(bytes, fields, c, nrow));
  return { names, nrow, columns };
}

function tokenize(b: Uint8Array, source: string): Fields {
  let cap = 1024;
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let quoted = new Uint8Array(cap);
  let rowCap = 256;
  let rowStart = new Int32Array(rowCap);
  let count = 0;
  let nrows = 0;
  const n = b.length;
  let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  let line = 1;
  while (i < n) {
    if (nrows + 1 >= rowCap) {
      rowCap *= 2;
      rowStart = grow32(rowStart, rowCap);
    }
    rowStart[nrows++] = count;
    for (;;) {
      if (count >= cap) {
        cap *= 2;
        start = grow32(start, cap);
        end = grow32(end, cap);
        const q = new Uint8Array(cap);
        q.set(quoted);
        quoted = q;
      }
      if (b[i] === QUOTE) {
        let j = i + 1;
        for (;;) {
          if (j >= n) throw new MixedModelsError(`${source}: line ${line} has a quote that is never closed`);
          if (b[j] === QUOTE) {
            if (b[j + 1] === QUOTE) j += 2;
            else break;
          } else {
            if (b[j] === LF) line++;
            j++;
          }
        }
        start[count] = i + 1;
        end[count] = j;
        quoted[count] = 1;
        count++;
        i = j + 1;
        if (i < n && b[i] !== COMMA && b[i] !== LF && b[i] !== CR) {
          throw new MixedModelsError(`${source}: line ${line} has text after a closing quote`);
        }
      } else {
        let j = i;
        while (j < n && b[j] !== COMMA && b[j] !== LF && b[j] !== CR) j++;
        start[count] = i;
        end[count] = j;
        quoted[count] = 0;
        count++;
        i = j;
      }
      if (i < n && b[i] === COMMA) {
        i++;
        continue;
      }
      break;
    }
    if (i < n && b[i] === CR) i++;
    if (i < n && b[i] === LF) i++;
    line++;
    if (rowStart[nrows - 1] === count - 1 && start[count - 1] === end[count - 1] && !quoted[count - 1]) {
      count--;
      nrows--;
    }
  }
  rowStart[nrows] = count;
  return { start, end, quoted, count, rowStart, nrows };
}

function grow32(a: Int32Array<ArrayBuffer>, cap: number): Int32Array<ArrayBuffer> {
  const g = new Int32Array(cap);
  g.set(a);
  return g;
}

const decoder = new TextDecoder();

function fieldText(b: Uint8Array, f: Fields, i: number): string {
  const s = decoder.decode(b.subarray(f.start[i], f.end[i]));
  return f.quoted[i] ? s.replaceAll('""', '"') : s;
}

function headerNames(b: Uint8Array, f: Fields, source: string): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (let i = f.rowStart[0]; i < f.rowStart[1]; i++) {
    const name = fieldText(b, f, i).trim();
    if (name === '') throw new MixedModelsError(`${source}: column ${names.length + 1} of the header has no name`);
    if (seen.has(name)) throw new MixedModelsError(`${source}: the header names column '${name}' twice`);
    seen.add(name);
    names.push(name);
  }
  return names;
}

function isMissing(b: Uint8Array, s: number, e: number): boolean {
  return s === e || (e - s === 2 && b[s] === 78 && b[s + 1] === 65);
}

function readColumn(b: Uint8Array, f: Fields, c: number, nrow: number): Column {
  const values = new Float64Array(nrow);
  for (let r = 0; r < nrow; r++) {
    const i = f.rowStart[r + 1] + c;
    const s = f.start[i];
    const e = f.end[i];
    if (isMissing(b, s, e)) {
      values[r] = NaN;
      continue;
    }
    const x = parseNumber(b, s, e);
    if (x === undefined) return readCategorical(b, f, c, nrow);
    values[r] = x;
  }
  return { kind: 'numeric', values };
}

function readCategorical(b: Uint8Array, f: Fields, c: number, nrow: number): Column {
  const values = new Array<string | null>(nrow);
  const cache = new TextCache(b, f);
  for (let r = 0; r < nrow; r++) {
    const i = f.rowStart[r + 1] + c;
    const s = f.start[i];
    const e = f.end[i];
    values[r] = isMissing(b, s, e) ? null : e - s <= CACHED_LENGTH ? cache.text(i) : fieldText(b, f, i);
  }
  return { kind: 'categorical', values };
}

/** Fields up to this many bytes are decoded once per distinct spelling. */
const CACHED_LENGTH = 32;

/**
 * The text of short fields, decoded once per distinct (bytes, quoted) pair:
 * categorical columns repeat a few spellings many times, and sharing one
 * string per spelling saves the decoding and the garbage. An open-addressing
 * table keyed on an FNV-1a hash of the field's bytes, holding the index of
 * the field that first spelled each entry.
 */
class TextCache {
  private slots = new Int32Array(1024).fill(-1);
  private texts: string[] = new Array(1024);
  private size = 0;

  constructor(
    private readonly b: Uint8Array,
    private readonly f: Fields,
  ) {}

  text(i: number): string {
    const h = this.hash(i);
    const mask = this.slots.length - 1;
    for (let k = h & mask; ; k = (k + 1) & mask) {
      const j = this.slots[k];
      if (j < 0) return this.insert(k, i);
      if (this.same(i, j)) return this.texts[k];
    }
  }

  private hash(i: number): number {
    const { b, f } = this;
    let h = 0x811c9dc5 ^ f.quoted[i];
    for (let p = f.start[i]; p < f.end[i]; p++) h = Math.imul(h ^ b[p], 0x01000193);
    return (h ^ (h >>> 15)) >>> 0;
  }

  private same(i: number, j: number): boolean {
    const { b, f } = this;
    const si = f.start[i];
    const sj = f.start[j];
    const len = f.end[i] - si;
    if (f.end[j] - sj !== len || f.quoted[i] !== f.quoted[j]) return false;
    for (let p = 0; p < len; p++) if (b[si + p] !== b[sj + p]) return false;
    return true;
  }

  private insert(k: number, i: number): string {
    const text = fieldText(this.b, this.f, i);
    this.slots[k] = i;
    this.texts[k] = text;
    if (++this.size * 2 > this.slots.length) this.grow();
    return text;
  }

  private grow(): void {
    const slots = this.slots;
    const texts = this.texts;
    this.slots = new Int32Array(slots.length * 2).fill(-1);
    this.texts = new Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let k = 0; k < slots.length; k++) {
      if (slots[k] < 0) continue;
      let m = this.hash(slots[k]) & mask;
      while (this.slots[m] >= 0) m = (m + 1) & mask;
      this.slots[m] = slots[k];
      this.texts[m] = texts[k];
    }
  }
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

/** The number the bytes [s, e) spell, or undefined if they spell none. */
export function parseNumber(b: Uint8Array, s: number, e: number): number | undefined {
  while (s < e && b[s] === 32) s++;
  while (e > s && b[e - 1] === 32) e--;
  let i = s;
  let neg = false;
  if (b[i] === 45 || b[i] === 43) {
    neg = b[i] === 45;
    i++;
  }
  let mant = 0;
  let digits = 0;
  let scale = 0;
  let any = false;
  while (i < e && b[i] >= 48 && b[i] <= 57) {
    mant = mant * 10 + (b[i] - 48);
    if (mant !== 0) digits++;
    any = true;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e && b[i] >= 48 && b[i] <= 57) {
      mant = mant * 10 + (b[i] - 48);
      if (mant !== 0) digits++;
      scale--;
      any = true;
      i++;
    }
  }
  if (any && i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (b[i] === 45 || b[i] === 43) {
      eneg = b[i] === 45;
      i++;
    }
    let ex = 0;
    let edigits = 0;
    while (i < e && b[i] >= 48 && b[i] <= 57 && edigits < 6) {
      ex = ex * 10 + (b[i] - 48);
      edigits++;
      i++;
    }
    if (edigits === 0) return undefined;
    scale += eneg ? -ex : ex;
  }
  if (any && i === e && digits <= 15 && scale >= -22 && scale <= 22) {
    const v = scale < 0 ? mant / POW10[-scale] : mant * POW10[scale];
    return neg ? -v : v;
  }
  return slowNumber(decoder.decode(b.subarray(s, e)));
}

function slowNumber(text: string): number | undefined {
  if (text === 'Inf' || text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
