/**
 * The CSV grammar, one field at a time over UTF-8 bytes (RFC 4180 with R's leniency):
 *
 *   record = field *(sep field) [CR] [LF]       (a record also ends at a lone CR)
 *   field  = quoted / bare
 *   quoted = DQUOTE *(any byte but DQUOTE / DQUOTE DQUOTE) DQUOTE   (then a sep, a line end or the end)
 *   bare   = *(any byte but sep, CR, LF)
 *
 * A record that is one empty bare field (a blank line) is no record. `line`
 * counts physical lines (line ends inside quotes included) for messages.
 * The scanner keeps no field list: the reader asks for the next field, reads
 * it where it lies, and moves on.
 */
import { MixedModelsError } from '../errors.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvScanner {
  /** The next byte to read. */
  i = 0;
  /** The physical line `i` is on, from 1. */
  line = 1;
  /** The last field read: bytes [start, end) with its quotes stripped (`""` escapes kept), and whether it was quoted. */
  start = 0;
  end = 0;
  quoted = 0;
  readonly n: number;

  constructor(
    readonly b: Uint8Array,
    readonly sep: number,
    readonly source: string,
  ) {
    this.n = b.length;
  }

  /** Whether byte `c` ends a bare field. */
  ends(c: number): boolean {
    return c === this.sep || c === LF || c === CR;
  }

  /** Reads the field at `i`, leaving `i` on the separator, line end or end of input after it. */
  field(): void {
    if (this.i < this.n && this.b[this.i] === QUOTE) this.quotedField();
    else this.bareField();
  }

  private bareField(): void {
    const { b, n, sep } = this;
    let j = this.i;
    while (j < n && b[j] !== sep && b[j] !== LF && b[j] !== CR) j++;
    this.start = this.i;
    this.end = j;
    this.quoted = 0;
    this.i = j;
  }

  private quotedField(): void {
    const { b, n } = this;
    const opened = this.line;
    let j = this.i + 1;
    for (;;) {
      // Named by the line the quote opens on: the field may have run over many lines to the end of the file.
      if (j >= n) throw new MixedModelsError(`${this.source}: line ${opened} has a quote that is never closed`);
      if (b[j] === QUOTE) {
        if (b[j + 1] === QUOTE) j += 2;
        else break;
      } else {
        if (b[j] === LF) this.line++;
        j++;
      }
    }
    this.start = this.i + 1;
    this.end = j;
    this.quoted = 1;
    this.i = j + 1;
    if (this.i < n && !this.ends(b[this.i])) throw new MixedModelsError(`${this.source}: line ${this.line} has text after a closing quote`);
  }

  /** After a field: steps over a separator and returns true, or returns false at a line end or the end of input. */
  nextField(): boolean {
    if (this.i < this.n && this.b[this.i] === this.sep) {
      this.i++;
      return true;
    }
    return false;
  }

  /** After a record's last field: steps over its line end. */
  endRecord(): void {
    if (this.i < this.n && this.b[this.i] === CR) this.i++;
    if (this.i < this.n && this.b[this.i] === LF) this.i++;
    this.line++;
  }

  /** Whether the record that began at byte `at` and was one field is a blank line (that field empty and bare). */
  blank(at: number): boolean {
    return at === this.n || this.b[at] === LF || this.b[at] === CR;
  }

  /** Reads the record from `i` to its end without keeping its fields; returns how many it had. */
  skipRecord(): number {
    let fields = 0;
    do {
      this.field();
      fields++;
    } while (this.nextField());
    this.endRecord();
    return fields;
  }
}

/**
 * The body's records read again from its start, for a column found to be text
 * after many rows: its earlier fields are wanted once, in order, so a second
 * pass over that part of the file costs less than keeping where every record begins.
 */
export class BodyRescan {
  private readonly scanner: CsvScanner;

  constructor(
    b: Uint8Array,
    sep: number,
    source: string,
    private readonly from: number,
  ) {
    this.scanner = new CsvScanner(b, sep, source);
  }

  /** Calls `visit(r, scanner)` with field `c` of each of the first `rows` records (blank lines skipped) read into the scanner. */
  field(c: number, rows: number, visit: (r: number, scanner: CsvScanner) => void): void {
    const scanner = this.scanner;
    scanner.i = this.from;
    for (let r = 0; r < rows; ) {
      if (scanner.blank(scanner.i)) {
        scanner.skipRecord();
        continue;
      }
      for (let k = 0; k < c; k++) {
        scanner.field();
        scanner.nextField();
      }
      scanner.field();
      visit(r++, scanner);
      while (scanner.nextField()) scanner.field();
      scanner.endRecord();
    }
  }
}
