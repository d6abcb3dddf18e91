/**
 * The number a CSV field spells, as R's `read.csv` reads it (`type.convert`,
 * which calls R_strtod in R's arithmetic.c). Checked against R 4.2:
 *
 * - decimal: `[+-]digits[.digits][(e|E)[+-]digits]`, leading or trailing digits
 *   optional around the mark (`1.`, `.5`) but one needed; an exponent with no
 *   digits counts as 0, as in R (`1e` and `1e+` read 1);
 * - `Inf`, `Infinity` and `NaN` in any letter case, signed or not; but text
 *   starting with `NA` (other than `NA` itself, missing) is not a number, so
 *   `NAN` is text while `NaN`, `nan` and `-NAN` are NaN;
 * - hexadecimal `[+-]0x<hex digits>` (`0x10` = 16), with an optional binary
 *   exponent `p[+-]digits` (`0x1p3` = 8) and then a fraction (`0x1.8p1` = 3);
 * - spaces and tabs around the text are ignored.
 *
 * One deliberate difference: R reads a hexadecimal fraction without a `p`
 * exponent by ignoring the mark (`0x1.8` reads 24, `0x.8` reads 8). Those are
 * read here as text, not numbers: a number that means something other than
 * what it says would be a silent wrong answer; text in a numeric column is
 * reported by name, row and value when the model uses it.
 *
 * The decimal fast path (Clinger's): an integer mantissa below 2^53 scaled by
 * an exact power of ten up to 1e22 is correctly rounded by one multiply or
 * divide; anything else goes through `Number()` on the normalised text.
 */

const DOT = 46;
const PLUS = 43;
const MINUS = 45;

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** The number the bytes [s, e) spell with decimal mark `dec` (a byte, default `.`), or undefined if they spell none. */
export function parseNumber(b: Uint8Array, s: number, e: number, dec = DOT): number | undefined {
  while (s < e && isSpace(b[s])) s++;
  while (e > s && isSpace(b[e - 1])) e--;
  if (s === e) return undefined;
  return fastDecimal(b, s, e, dec) ?? slowNumber(b, s, e, dec);
}

/** Short decimal numbers without an exponent beyond 1e±22; undefined to fall back to the slow path. */
function fastDecimal(b: Uint8Array, s: number, e: number, dec: number): number | undefined {
  return scanDecimal(b, s, e, dec, scratch, 0) === e ? scratch[0] : undefined;
}

const scratch = new Float64Array(1);

/**
 * The fast path on the longest prefix of bytes [s, e) that is a decimal number,
 * `[+-]digits[<dec>digits]` with 15 significant digits at most and at most 22
 * after the mark: writes it to `out[at]` and returns where it stops (the caller
 * checks that the field ends there), or -1 when the prefix is no such number.
 * The CSV reader calls it on each field of a numeric column, bounded by the
 * end of the input, so most fields are read in the same pass that finds their end.
 */
export function scanDecimal(b: Uint8Array, s: number, e: number, dec: number, out: Float64Array, at: number): number {
  // The byte tests are written out rather than calling isDigit: until the JIT has compiled this
  // loop (the first thousands of rows of a large file) every call is paid in full.
  let i = s;
  let c = i < e ? b[i] : -1;
  const neg = c === MINUS;
  if (neg || c === PLUS) c = ++i < e ? b[i] : -1;
  let mant = 0, digits = 0, scale = 0;
  const first = i;
  for (; c >= 48 && c <= 57; c = ++i < e ? b[i] : -1) {
    mant = mant * 10 + (c - 48);
    if (mant !== 0) digits++;
  }
  let any = i > first;
  if (c === dec) {
    const mark = i;
    for (c = ++i < e ? b[i] : -1; c >= 48 && c <= 57; c = ++i < e ? b[i] : -1) {
      mant = mant * 10 + (c - 48);
      if (mant !== 0) digits++;
    }
    scale = mark + 1 - i;
    any ||= i > mark + 1;
  }
  if (!any || digits > 15 || scale < -22) return -1;
  const v = scale < 0 ? mant / POW10[-scale] : mant;
  out[at] = neg ? -v : v;
  return i;
}

function slowNumber(b: Uint8Array, s: number, e: number, dec: number): number | undefined {
  if (b[s] === 78 && b[s + 1] === 65) return undefined; // `NA...`: R takes the NA and fails on the rest
  let i = s, sign = 1;
  if (b[i] === MINUS || b[i] === PLUS) sign = b[i++] === MINUS ? -1 : 1;
  if (wordIs(b, i, e, 'nan')) return NaN;
  if (wordIs(b, i, e, 'inf') || wordIs(b, i, e, 'infinity')) return sign * Infinity;
  if (b[i] === 48 && (b[i + 1] | 32) === 120 && e - i > 2) return hexNumber(b, i + 2, e, dec, sign);
  return decimalNumber(b, i, e, dec, sign);
}

/** Whether bytes [i, e) spell `word` (lower case) in any letter case. */
function wordIs(b: Uint8Array, i: number, e: number, word: string): boolean {
  if (e - i !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((b[i + k] | 32) !== word.charCodeAt(k)) return false;
  return true;
}

function hexDigit(c: number): number {
  if (isDigit(c)) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/** Hex digits with an optional fraction and binary exponent, from just after `0x`. */
function hexNumber(b: Uint8Array, i: number, e: number, dec: number, sign: number): number | undefined {
  let mant = 0, fractionBits = -1, any = false;
  for (; i < e; i++) {
    const d = hexDigit(b[i]);
    if (d >= 0) {
      mant = mant * 16 + d;
      any = true;
      if (fractionBits >= 0) fractionBits += 4;
    } else if (b[i] === dec && fractionBits < 0) fractionBits = 0;
    else break;
  }
  if (!any) return undefined;
  if (i === e) return fractionBits < 0 ? sign * mant : undefined;
  if ((b[i] | 32) !== 112) return undefined;
  const exponent = signedDigits(b, i + 1, e);
  if (exponent === undefined) return undefined;
  return sign * mant * 2 ** (exponent - Math.max(0, fractionBits));
}

/** An optionally signed run of digits filling [i, e) (none reads 0, as R reads an empty exponent). */
function signedDigits(b: Uint8Array, i: number, e: number): number | undefined {
  let sign = 1;
  if (b[i] === MINUS || b[i] === PLUS) sign = b[i++] === MINUS ? -1 : 1;
  let n = 0;
  for (; i < e && isDigit(b[i]); i++) n = Math.min(n * 10 + (b[i] - 48), 1e6);
  return i === e ? sign * n : undefined;
}

/** Decimal notation with any number of digits and any exponent, read by `Number()` once checked. */
function decimalNumber(b: Uint8Array, i: number, e: number, dec: number, sign: number): number | undefined {
  let text = '', any = false;
  for (; i < e && isDigit(b[i]); i++, any = true) text += String.fromCharCode(b[i]);
  if (i < e && b[i] === dec) {
    text += '.';
    for (i++; i < e && isDigit(b[i]); i++, any = true) text += String.fromCharCode(b[i]);
  }
  if (!any) return undefined;
  if (i === e) return sign * Number(text);
  if ((b[i] | 32) !== 101) return undefined;
  const exponent = signedDigits(b, i + 1, e);
  return exponent === undefined ? undefined : sign * Number(`${text}e${exponent}`);
}
