/**
 * One column of a CSV file as its fields arrive, with R's `read.csv` type
 * inference: an empty field, `NA` or `"NA"` is missing; the column is numeric
 * while every other field reads as a number (csvNumber.ts), and text from its
 * first field that does not (row r), keeping every field's text as written.
 *
 * Numbers go straight into a Float64Array of the expected length. When the
 * column turns to text at row r, its fields before r are read again (BodyRescan)
 * for their text, and from then on each field is also classified to say why a
 * text column looks numeric (`looksNumeric`): with the decimal mark '.' and
 * another separator than ',', a column whose text fields all read as numbers
 * with a decimal comma says so; otherwise any number among text does.
 */
import type { Column } from '../data/types.js';
import { parseNumber } from './csvNumber.js';
import type { BodyRescan } from './csvScanner.js';
import { setTextCodes } from '../data/textCodes.js';
import { CACHED_LENGTH, TextCache, fieldText } from './csvText.js';

const COMMA = 44;
const DOT = 46;

export interface ColumnSyntax {
  sep: number;
  dec: number;
}

/** Whether bytes [s, e) are missing: empty or `NA`. */
export function isMissing(b: Uint8Array, s: number, e: number): boolean {
  return s === e || (e - s === 2 && b[s] === 78 && b[s + 1] === 65);
}

/** Whether byte `c` cannot begin a number (after spaces) with either decimal mark: not a sign, digit, mark, `n`/`N`, `i`/`I`, space or tab. */
function cannotStartNumber(c: number): boolean {
  return !((c >= 48 && c <= 57) || c === 43 || c === 45 || c === DOT || c === COMMA || (c | 32) === 110 || (c | 32) === 105 || c === 32 || c === 9);
}

export class CsvColumn {
  /** The numbers read so far, or null once the column is text. */
  numbers: Float64Array | null;
  private texts: (string | null)[] = [];
  private cache: TextCache | null = null;
  /**
   * Once text: each row's entry in the cache (-1 missing), or null once a field too long for
   * the cache has come; with the cache's texts, the column's dictionary encoding (data/textCodes.ts).
   */
  private codes: Int32Array | null = null;
  private readonly commaPossible: boolean;
  /** Tally of the column's fields since (and before) it turned to text, for `looksNumeric`. */
  private sawNumber = false;
  private commaNumbers = 0;
  private textFields = 0;
  private first = '';

  constructor(
    private readonly b: Uint8Array,
    private readonly syntax: ColumnSyntax,
    private readonly c: number,
    capacity: number,
  ) {
    this.numbers = new Float64Array(capacity);
    this.commaPossible = syntax.dec === DOT && syntax.sep !== COMMA;
  }

  grow(capacity: number): void {
    if (this.codes !== null && capacity > this.codes.length) {
      const codes = new Int32Array(capacity);
      codes.set(this.codes);
      this.codes = codes;
    }
    if (this.numbers === null) return;
    const numbers = new Float64Array(capacity);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }

  /** Field [s, e) of row r while the column is numeric, one the decimal fast path could not read. */
  otherField(r: number, s: number, e: number, quoted: number, records: BodyRescan): void {
    const numbers = this.numbers as Float64Array;
    if (isMissing(this.b, s, e)) {
      numbers[r] = NaN;
      return;
    }
    const x = parseNumber(this.b, s, e, this.syntax.dec);
    if (x === undefined) this.toText(r, s, e, quoted, records);
    else numbers[r] = x;
  }

  /** Field [s, e) of row r once the column is text. */
  textField(r: number, s: number, e: number, quoted: number): void {
    if (isMissing(this.b, s, e)) {
      this.texts[r] = null;
      if (this.codes !== null) this.codes[r] = -1;
      return;
    }
    this.texts[r] = this.text(r, s, e, quoted);
    if (this.textFields === 0 || !this.sawNumber) this.classify(s, e);
  }

  /** Bare field [s, e) of row r once the column is text, with its textHash. */
  bareTextField(r: number, s: number, e: number, hash: number): void {
    if (isMissing(this.b, s, e)) {
      this.texts[r] = null;
      if (this.codes !== null) this.codes[r] = -1;
      return;
    }
    if (e - s <= CACHED_LENGTH) {
      const cache = this.cache as TextCache, entry = cache.hashedEntry(s, e, 0, hash);
      this.texts[r] = cache.textOf(entry);
      if (this.codes !== null) this.codes[r] = entry;
    } else {
      this.texts[r] = fieldText(this.b, s, e, 0);
      this.codes = null;
    }
    if (this.textFields === 0 || !this.sawNumber) this.classify(s, e);
  }

  /** The finished column of `nrow` rows. */
  finish(nrow: number): Column {
    if (this.numbers !== null) return { kind: 'numeric', values: this.numbers.length === nrow ? this.numbers : this.numbers.slice(0, nrow) };
    this.texts.length = nrow;
    const dictionary = this.codes !== null ? (this.cache as TextCache).dictionary() : null;
    // R's read.csv reads a column of T, F, TRUE and FALSE as logical: one spelling per value, TRUE and FALSE.
    const logical = dictionary !== null ? isLogical(dictionary) : isLogical(this.texts);
    if (logical) for (let i = 0; i < nrow; i++) this.texts[i] = logicalSpelling(this.texts[i]);
    if (this.codes !== null) setTextCodes(this.texts, this.codes.length === nrow ? this.codes : this.codes.slice(0, nrow), logical ? dictionary!.map(logicalSpelling) as string[] : dictionary!);
    const looksNumeric = this.looksNumeric();
    return looksNumeric === undefined ? { kind: 'categorical', values: this.texts } : { kind: 'categorical', values: this.texts, looksNumeric };
  }

  /** The text of row r's field [s, e), and its code. */
  private text(r: number, s: number, e: number, quoted: number): string {
    if (e - s > CACHED_LENGTH) {
      this.codes = null;
      return fieldText(this.b, s, e, quoted);
    }
    const cache = this.cache as TextCache, entry = cache.entry(s, e, quoted);
    if (this.codes !== null) this.codes[r] = entry;
    return cache.textOf(entry);
  }

  /** Row r holds the first field that is no number: the fields before it are read again as text. */
  private toText(r: number, s: number, e: number, quoted: number, records: BodyRescan): void {
    const texts = new Array<string | null>((this.numbers as Float64Array).length);
    this.codes = new Int32Array((this.numbers as Float64Array).length);
    this.numbers = null;
    this.cache = new TextCache(this.b);
    records.field(this.c, r, (k, f) => {
      const missing = isMissing(this.b, f.start, f.end);
      texts[k] = missing ? null : this.text(k, f.start, f.end, f.quoted);
      if (missing && this.codes !== null) this.codes[k] = -1;
      if (!missing) this.sawNumber = true;
    });
    this.texts = texts;
    this.first = `row ${r + 1} is ${JSON.stringify(fieldText(this.b, s, e, quoted))}`;
    this.textField(r, s, e, quoted);
  }

  /** Counts a non-missing field of a text column as a number, a number with a decimal comma, or text. */
  private classify(s: number, e: number): void {
    const b = this.b;
    if (cannotStartNumber(b[s])) this.textFields++;
    else if (parseNumber(b, s, e, this.syntax.dec) !== undefined) this.sawNumber = true;
    else if (this.commaPossible && parseNumber(b, s, e, COMMA) !== undefined) this.commaNumbers++;
    else this.textFields++;
  }

  private looksNumeric(): string | undefined {
    if (this.commaNumbers > 0 && this.textFields === 0) {
      return `holds numbers with a decimal comma (${this.first}): read the file with the decimal mark ',' (--dec ',')`;
    }
    return this.sawNumber ? `holds numbers and text (${this.first})` : undefined;
  }
}

/** Whether every value (null: missing) is one of R's logical spellings T, F, TRUE, FALSE, with T or F among them. */
function isLogical(values: ReadonlyArray<string | null>): boolean {
  let short = false;
  for (const v of values) {
    if (v === null || v === 'TRUE' || v === 'FALSE') continue;
    if (v !== 'T' && v !== 'F') return false;
    short = true;
  }
  return short;
}

/** T and F spelled TRUE and FALSE, as R's logical values print. */
function logicalSpelling<T extends string | null>(v: T): T {
  return (v === 'T' ? 'TRUE' : v === 'F' ? 'FALSE' : v) as T;
}
