/**
 * CSV text -> DataTable, with R's `read.csv` type inference.
 *
 * - RFC 4180 fields: separated by `sep` (default a comma), optionally quoted
 *   with `"`, `""` inside quotes is a literal quote, CRLF or LF line ends, a
 *   final newline optional. UTF-8 (with or without a byte-order mark) or
 *   UTF-16 (textBytes.ts); text that is not valid in its encoding is refused
 *   with the line, row and column of its first invalid byte (csvEncoding.ts),
 *   never read with U+FFFD in place of the bytes.
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
 * One pass over the bytes (csvScanner.ts: the grammar): each field is read
 * where it lies into its column (csvColumn.ts), a number by the decimal fast
 * path as it is found, with no list of field boundaries kept; a column that
 * turns to text reads its earlier fields again in a second pass over them.
 * Errors come in the order of a whole-file check: a quote error anywhere, then
 * the header, then the first record of the wrong width.
 */
import type { Column, DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { scanDecimal } from './csvNumber.js';
import { CsvColumn } from './csvColumn.js';
import { encodingError } from './csvEncoding.js';
import { BodyRescan, CsvScanner } from './csvScanner.js';
import { FNV_PRIME, FNV_START, InvalidUtf8, fieldText, textHash } from './csvText.js';
import { firstInvalidUtf8, utf8Text } from './textBytes.js';

export { parseNumber } from './csvNumber.js';

const QUOTE = 34;
const COMMA = 44;
const SEMICOLON = 59;
const TAB = 9;
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

/** A header field: bytes [start, end), quoted or not. */
interface HeaderField {
  start: number;
  end: number;
  quoted: number;
}

/** The body as read: its columns, row count, and the first record of the wrong width (record index from the header's 0). */
interface Body {
  columns: CsvColumn[];
  nrow: number;
  ragged?: { record: number; width: number };
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
  const { sep, source } = syntax;
  const text = utf8Text(typeof input === 'string' ? new TextEncoder().encode(input) : input, source);
  if (text.invalid !== undefined) throw encodingError(text.bytes, sep, source, text.encoding, text.invalid);
  try {
    return readTable(text.bytes, syntax);
  } catch (err) {
    if (!(err instanceof InvalidUtf8)) throw err;
    const invalid = firstInvalidUtf8(text.bytes) ?? { at: err.start, what: 'bytes that are not UTF-8' };
    throw encodingError(text.bytes, sep, source, text.encoding, invalid);
  }
}

/** The table in UTF-8 `bytes`; a field that is not valid UTF-8 throws InvalidUtf8. */
function readTable(bytes: Uint8Array, syntax: Syntax): DataTable {
  const { source } = syntax;
  const scanner = new CsvScanner(bytes, syntax.sep, source);
  const header = readHeader(scanner);
  if (header === undefined) throw new MixedModelsError(`${source}: the file is empty (no header row)`);
  const names = headerNames(scanner, header, syntax);
  const body = readBody(scanner, names.length, syntax);
  if (body.ragged !== undefined) {
    const { record, width } = body.ragged;
    throw new MixedModelsError(`${source}: line ${record + 1} has ${width} field${width === 1 ? '' : 's'}, the header has ${names.length}`);
  }
  const columns = new Map<string, Column>();
  names.forEach((name, c) => columns.set(name, body.columns[c].finish(body.nrow)));
  return { names, nrow: body.nrow, columns };
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

/** The fields of the first record that is not a blank line, or undefined when there is none. */
function readHeader(scanner: CsvScanner): HeaderField[] | undefined {
  while (scanner.i < scanner.n) {
    const at = scanner.i;
    const fields: HeaderField[] = [];
    do {
      scanner.field();
      fields.push({ start: scanner.start, end: scanner.end, quoted: scanner.quoted });
    } while (scanner.nextField());
    scanner.endRecord();
    if (fields.length > 1 || !scanner.blank(at)) return fields;
  }
  return undefined;
}

/** The column names; else the file's first quote error if it has one, then what is wrong with the header. */
function headerNames(scanner: CsvScanner, header: HeaderField[], syntax: Syntax): string[] {
  const problem = separatorProblem(scanner.b, header, syntax) ?? namesProblem(scanner.b, header, syntax.source);
  if (typeof problem !== 'string') return problem;
  skipRest(scanner);
  throw new MixedModelsError(problem);
}

/** Reads the records left, for their quote errors only. */
function skipRest(scanner: CsvScanner): void {
  while (scanner.i < scanner.n) scanner.skipRecord();
}

const SEPARATOR_NAMES: ReadonlyArray<[number, string, string]> = [
  [COMMA, 'comma', "','"],
  [SEMICOLON, 'semicolon', "';'"],
  [TAB, 'tab', 'tab'],
];

/** A header that is one unquoted field containing another usual separator: the file uses that one. */
function separatorProblem(b: Uint8Array, header: HeaderField[], syntax: Syntax): string | undefined {
  if (header.length !== 1 || header[0].quoted) return undefined;
  const text = b.subarray(header[0].start, header[0].end);
  for (const [byte, name, flag] of SEPARATOR_NAMES) {
    if (byte === syntax.sep || !text.includes(byte)) continue;
    return `${syntax.source} looks like ${name}-separated: use --sep ${flag}${byte === COMMA ? ' (the default)' : ''}`;
  }
  return undefined;
}

/** The trimmed names, or why they cannot be column names. */
function namesProblem(b: Uint8Array, header: HeaderField[], source: string): string[] | string {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const field of header) {
    const name = fieldText(b, field.start, field.end, field.quoted).trim();
    if (name === '') {
      // R's write.csv writes the row names under an empty first header field; read.csv calls that column X.
      const rowNames = names.length === 0 ? ' (as the row names R\'s write.csv writes, which read.csv reads as a column X: write the file with row.names = FALSE, or name the column)' : '';
      return `${source}: column ${names.length + 1} of the header has no name${rowNames}`;
    }
    if (seen.has(name)) return `${source}: the header names column '${name}' twice`;
    seen.add(name);
    names.push(name);
  }
  return names;
}

/**
 * The records after the header, field by field into their columns. A record
 * of the wrong width stops the reading (the rest is only checked for quote
 * errors) and is returned to be reported.
 */
function readBody(scanner: CsvScanner, ncol: number, syntax: Syntax): Body {
  const { b, n } = scanner;
  let capacity = bodyRecords(b, scanner.i);
  const columns = Array.from({ length: ncol }, (_, c) => new CsvColumn(b, syntax, c, capacity));
  const records = new BodyRescan(b, syntax.sep, syntax.source, scanner.i);
  let r = 0;
  while (scanner.i < n) {
    if (r === capacity) {
      capacity = 2 * capacity + 16;
      for (const column of columns) column.grow(capacity);
    }
    const at = scanner.i;
    let width = 0;
    do {
      if (width < ncol) readField(scanner, columns[width], r, syntax.dec, records);
      else scanner.field();
      width++;
    } while (scanner.nextField());
    scanner.endRecord();
    if (width === 1 && scanner.blank(at)) continue;
    if (width !== ncol) {
      skipRest(scanner);
      return { columns, nrow: r, ragged: { record: r + 1, width } };
    }
    r++;
  }
  return { columns, nrow: r };
}

/** Reads the field at the scanner into row r of `column`: a plain decimal number at once, anything else as a field. */
function readField(scanner: CsvScanner, column: CsvColumn, r: number, dec: number, records: BodyRescan): void {
  const numbers = column.numbers;
  if (numbers !== null) {
    const { b, n } = scanner;
    const p = scanDecimal(b, scanner.i, n, dec, numbers, r);
    if (p >= 0 && (p === n || scanner.ends(b[p]))) {
      scanner.i = p;
      return;
    }
    scanner.field();
    column.otherField(r, scanner.start, scanner.end, scanner.quoted, records);
  } else if (scanner.i < scanner.n && scanner.b[scanner.i] === QUOTE) {
    scanner.field();
    column.textField(r, scanner.start, scanner.end, scanner.quoted);
  } else {
    readBareText(scanner, column, r);
  }
}

/**
 * A bare field of a text column, hashed for the text cache as it is found (fnvStep written out:
 * until the JIT has compiled this loop every call is paid in full).
 */
function readBareText(scanner: CsvScanner, column: CsvColumn, r: number): void {
  const { b, n, sep } = scanner;
  const s = scanner.i;
  let h = FNV_START;
  let p = s;
  for (; p < n; p++) {
    const c = b[p];
    if (c === sep || c === LF || c === CR) break;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  scanner.i = p;
  column.bareTextField(r, s, p, textHash(h));
}

/**
 * The number of records after byte `from` if none is blank or holds a line
 * end in quotes (an upper bound then), from its line ends: LF, or CR in a file
 * without LF. Sizing the columns once avoids growing them (time and memory);
 * they still grow if a file mixes line ends.
 */
function bodyRecords(b: Uint8Array, from: number): number {
  const n = b.length;
  if (from >= n) return 0;
  const end = b.indexOf(LF, from) >= 0 ? LF : CR;
  let count = 0;
  for (let p = from; p < n; p++) if (b[p] === end) count++;
  return b[n - 1] === LF || b[n - 1] === CR ? count : count + 1;
}
