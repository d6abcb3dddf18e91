/**
 * The error for CSV text with a byte sequence invalid in its encoding
 * (textBytes.ts finds it), saying where it is, as an editor counts: the
 * physical line (line ends inside quotes counted), the data row (the header
 * and blank lines not counted, as other messages count rows) and the column,
 * and what to do about it.
 *
 * Its place is found by reading the records again from the start, which the
 * reader has already read without error up to the field that failed to decode.
 */
import { MixedModelsError } from '../errors.js';
import { CsvScanner } from './csvScanner.js';
import { fieldText } from './csvText.js';
import type { InvalidText, TextEncoding } from './textBytes.js';

const LF = 10;

interface Place {
  line: number;
  /** 0 for the header, else the data row from 1. */
  row: number;
  /** The field's index in its record, from 0. */
  field: number;
  /** The header's names, when the place is after the header. */
  names: string[];
}

export function encodingError(b: Uint8Array, sep: number, source: string, encoding: TextEncoding, invalid: InvalidText): MixedModelsError {
  const where = describe(place(b, sep, source, invalid.at));
  if (encoding === 'UTF-8') {
    return new MixedModelsError(
      `${source} is not valid UTF-8: ${where} has ${invalid.what}. CSV must be UTF-8 or UTF-16: ` +
        'save the file as UTF-8 (Excel: "CSV UTF-8") or convert it, e.g. from Latin-1: iconv -f latin1 -t utf-8 in.csv > out.csv',
    );
  }
  return new MixedModelsError(`${source} is not valid ${encoding}: ${where} has ${invalid.what}. Save the file again as UTF-8 or UTF-16`);
}

function describe(p: Place): string {
  if (p.row === 0) return `line ${p.line} (the header), column ${p.field + 1}`;
  const column = p.field < p.names.length ? `column '${p.names[p.field]}'` : `field ${p.field + 1}`;
  return `line ${p.line} (data row ${p.row}), ${column}`;
}

/** The place of byte `at`, which lies inside a field (every byte outside fields is ASCII). */
function place(b: Uint8Array, sep: number, source: string, at: number): Place {
  const scanner = new CsvScanner(b, sep, source);
  let row = 0;
  let names: string[] = [];
  while (scanner.i < scanner.n) {
    const begin = scanner.i;
    let field = 0;
    do {
      const start = scanner.i;
      const line = scanner.line;
      scanner.field();
      if (at < scanner.i) return { line: line + count(b, LF, start, at), row, field, names };
      field++;
    } while (scanner.nextField());
    scanner.endRecord();
    if (field === 1 && scanner.blank(begin)) continue;
    if (row === 0) names = headerNames(b, sep, source, begin);
    row++;
  }
  return { line: scanner.line, row, field: 0, names };
}

/** The names of the header record at byte `begin`, trimmed as the reader trims them. */
function headerNames(b: Uint8Array, sep: number, source: string, begin: number): string[] {
  const scanner = new CsvScanner(b, sep, source);
  scanner.i = begin;
  const names: string[] = [];
  do {
    scanner.field();
    names.push(fieldText(b, scanner.start, scanner.end, scanner.quoted).trim());
  } while (scanner.nextField());
  return names;
}

function count(b: Uint8Array, byte: number, from: number, to: number): number {
  let k = 0;
  for (let p = from; p < to; p++) if (b[p] === byte) k++;
  return k;
}
