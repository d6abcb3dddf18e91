/**
 * CSV text -> DataTable, with R's `read.csv` type inference.
 *
 * - RFC 4180 fields: separated by `sep` (default a comma), optionally quoted
 *   with `"`, `""` inside quotes is a literal quote, CRLF or LF line ends, a
 *   final newline optional. UTF-8 (with or without a byte-order mark) or
 *   UTF-16 (textBytes.ts).
 * - The first row names the columns. A header that is one unquoted field
 *   holding semicolons or tabs is refused with the separator to give
 *   ("looks like semicolon-separated: use --sep ';'"), never read as one column.
 * - An empty field, `NA`, or `"NA"` is missing.
 * - A column whose non-missing fields all read as numbers (csvNumber.ts: R's
 *   reading of `Inf`, `nan`, hex...; `dec` is the decimal mark) is numeric,
 *   quoted or not, as read.csv does. Anything else is categorical, keeping every
 *   field's text as written; as R, a column of numbers with some text is text,
 *   but the column records the first such field (`looksNumeric`), and so does a
 *   column of numbers written with a decimal comma when `dec` is `.`, so that a
 *   model using it as a number is refused with the row and value.
 *
 * The tokenizer works on bytes and records field boundaries in typed arrays;
 * numbers are read straight from the bytes. This keeps a 1e6-row file well
 * under a second.
 */
import type { Column, DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { parseNumber } from './csvNumber.js';
import { utf8Bytes } from './textBytes.js';

export { parseNumber } from './csvNumber.js';

const QUOTE = 34;
const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
const DOT = 46;
const LF = 10;
const CR = 13;

export interface CsvOptions {
  /** The field separator: one character such as ',' (default), ';', '\t' or '|'. */
  sep?: string;
  /** The decimal mark: '.' (default) or ','. */
  dec?: string;
  /** Names the input in messages (a file name). */
  source?: string;
}

interface Syntax {
  sep: number;
  dec: number;
  source: string;
}

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

/**
 * Parse CSV text (or its bytes) into a table. A string as `options` is the source's name, as `{ source }`.
 * @example
 * ```ts
 * const data = parseCsv(readFileSync('sleepstudy.csv'));          // bytes or text
 * parseCsv('y;x\n1,5;2', { sep: ';', dec: ',' });               // other layouts
 * ```
 */
export function parseCsv(input: string | Uint8Array, options: string | CsvOptions = {}): DataTable {
  const syntax = csvSyntax(typeof options === 'string' ? { source: options } : options);
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new MixedModelsError('parseCsv() needs CSV text or its bytes');
  const { source } = syntax;
  const bytes = utf8Bytes(typeof input === 'string' ? new TextEncoder().encode(input) : input, source);
  const fields = tokenize(bytes, syntax);
  if (fields.nrows === 0) throw new MixedModelsError(`${source}: the file is empty (no header row)`);
  checkSeparator(bytes, fields, syntax);
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
  for (let c = 0; c < ncol; c++) columns.set(names[c], readColumn(bytes, fields, c, nrow, syntax));
  return { names, nrow, columns };
}

function csvSyntax(options: CsvOptions): Syntax {
  const source = options.source ?? 'CSV input';
  const sep = options.sep ?? ',';
  const dec = options.dec ?? '.';
  if (typeof sep !== 'string' || sep.length !== 1 || sep.charCodeAt(0) > 127 || '"\r\n'.includes(sep)) {
    throw new MixedModelsError(`the separator must be one character such as ',', ';' or a tab, not ${JSON.stringify(sep)}`);
  }
  if (dec !== '.' && dec !== ',') throw new MixedModelsError(`the decimal mark must be '.' or ',', not ${JSON.stringify(dec)}`);
  if (dec === sep) throw new MixedModelsError(`the decimal mark and the separator cannot both be '${sep}'`);
  return { sep: sep.charCodeAt(0), dec: dec.charCodeAt(0), source };
}

const SEPARATOR_NAMES: ReadonlyArray<[number, string, string]> = [
  [COMMA, 'comma', "','"],
  [SEMICOLON, 'semicolon', "';'"],
  [TAB, 'tab', 'tab'],
];

/** A header that is one unquoted field containing another usual separator: the file uses that one. */
function checkSeparator(b: Uint8Array, f: Fields, syntax: Syntax): void {
  if (f.rowStart[1] - f.rowStart[0] !== 1 || f.quoted[0]) return;
  const header = b.subarray(f.start[0], f.end[0]);
  for (const [byte, name, flag] of SEPARATOR_NAMES) {
    if (byte === syntax.sep || !header.includes(byte)) continue;
    throw new MixedModelsError(`${syntax.source} looks like ${name}-separated: use --sep ${flag}${byte === COMMA ? ' (the default)' : ''}`);
  }
}

function tokenize(b: Uint8Array, { sep, source }: Syntax): Fields {
  const n = b.length;
  // Sized once from a count of separators and line ends (an upper bound unless quoted fields
  // hold line ends, when the arrays still grow): growing by doubling cost a fifth of reading a
  // 1e6-row file, and up to twice the memory.
  let seps = 0, lfs = 0, crs = 0;
  for (let p = 0; p < n; p++) {
    const c = b[p];
    if (c === sep) seps++;
    else if (c === LF) lfs++;
    else if (c === CR) crs++;
  }
  let rowCap = Math.max(lfs, crs) + 2;
  let cap = seps + rowCap;
  let start = new Int32Array(cap);
  let end = new Int32Array(cap);
  let quoted = new Uint8Array(cap);
  let rowStart = new Int32Array(rowCap);
  let count = 0;
  let nrows = 0;
  let i = 0;
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
        if (i < n && b[i] !== sep && b[i] !== LF && b[i] !== CR) {
          throw new MixedModelsError(`${source}: line ${line} has text after a closing quote`);
        }
      } else {
        let j = i;
        while (j < n && b[j] !== sep && b[j] !== LF && b[j] !== CR) j++;
        start[count] = i;
        end[count] = j;
        quoted[count] = 0;
        count++;
        i = j;
      }
      if (i < n && b[i] === sep) {
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

function readColumn(b: Uint8Array, f: Fields, c: number, nrow: number, syntax: Syntax): Column {
  const values = new Float64Array(nrow);
  let numbers = 0;
  for (let r = 0; r < nrow; r++) {
    const i = f.rowStart[r + 1] + c;
    const s = f.start[i];
    const e = f.end[i];
    if (isMissing(b, s, e)) {
      values[r] = NaN;
      continue;
    }
    const x = parseNumber(b, s, e, syntax.dec);
    if (x === undefined) return readCategorical(b, f, c, nrow, numberLikeNote(b, f, c, r, numbers, syntax));
    values[r] = x;
    numbers++;
  }
  return { kind: 'numeric', values };
}

/**
 * Why a column read as text looks numeric, or undefined. Row `r` holds its
 * first field that is not a number; `numbers` fields before it are. With the
 * decimal mark '.' and another separator than ',', a column whose text fields
 * all read as numbers with a decimal comma is such a column; otherwise any
 * number among text makes it one.
 */
function numberLikeNote(b: Uint8Array, f: Fields, c: number, r: number, numbers: number, syntax: Syntax): string | undefined {
  const first = `row ${r + 1} is ${JSON.stringify(fieldText(b, f, f.rowStart[r + 1] + c))}`;
  const commaPossible = syntax.dec === DOT && syntax.sep !== COMMA;
  let commaNumbers = 0, text = 0;
  for (let row = r, nrow = f.nrows - 1; row < nrow; row++) {
    const k = f.rowStart[row + 1] + c;
    if (isMissing(b, f.start[k], f.end[k])) continue;
    if (parseNumber(b, f.start[k], f.end[k], syntax.dec) !== undefined) numbers++;
    else if (commaPossible && parseNumber(b, f.start[k], f.end[k], COMMA) !== undefined) commaNumbers++;
    else text++;
  }
  if (commaNumbers > 0 && text === 0) return `holds numbers with a decimal comma (${first}): read the file with the decimal mark ',' (--dec ',')`;
  return numbers > 0 ? `holds numbers and text (${first})` : undefined;
}

function readCategorical(b: Uint8Array, f: Fields, c: number, nrow: number, looksNumeric: string | undefined): Column {
  const values = new Array<string | null>(nrow);
  const cache = new TextCache(b, f);
  for (let r = 0; r < nrow; r++) {
    const i = f.rowStart[r + 1] + c;
    const s = f.start[i];
    const e = f.end[i];
    values[r] = isMissing(b, s, e) ? null : e - s <= CACHED_LENGTH ? cache.text(i) : fieldText(b, f, i);
  }
  return looksNumeric === undefined ? { kind: 'categorical', values } : { kind: 'categorical', values, looksNumeric };
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
