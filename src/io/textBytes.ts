/**
 * A text file's bytes as UTF-8, whatever Unicode encoding it was saved in:
 * a UTF-8 byte-order mark is dropped; UTF-16 (little- or big-endian, found by
 * its byte-order mark, or by a zero byte in every other position at the start
 * as Windows tools write it without one) is converted. Any other zero byte
 * means the file is not text (a spreadsheet, a compressed file, an image) and
 * is refused with its position.
 *
 * Bytes invalid in the file's encoding are never replaced by U+FFFD: that
 * would make different spellings (Latin-1 `caf\xe9` and `caf\xe8`) one text.
 * UTF-16 is decoded strictly here and its first invalid code unit returned;
 * UTF-8 is passed on unchecked (a second pass over every byte would cost
 * time), for its reader to decode strictly where it makes text, and
 * `firstInvalidUtf8` finds the position when that fails.
 */
import { MixedModelsError } from '../errors.js';

export type TextEncoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE';

/** The first byte sequence invalid in a text's encoding. */
export interface InvalidText {
  /** Where it is in the UTF-8 bytes (for UTF-16, where its U+FFFD stands after conversion). */
  at: number;
  /** What it is, for messages: "the byte 0xE9", "an unpaired surrogate 0xD83D". */
  what: string;
}

export interface Utf8Text {
  bytes: Uint8Array;
  /** The encoding the file was saved in. */
  encoding: TextEncoding;
  /** The first invalid code unit of UTF-16 text (there U+FFFD stands in `bytes`); never set for UTF-8. */
  invalid?: InvalidText;
}

export function utf8Text(bytes: Uint8Array, source: string): Utf8Text {
  const text = asUtf8(bytes);
  const nul = text.bytes.indexOf(0);
  if (nul >= 0) {
    throw new MixedModelsError(`${source} is not a text file: it has a zero byte at byte ${nul + 1} (is it a spreadsheet or a compressed file? save it as CSV)`);
  }
  return text;
}

function asUtf8(b: Uint8Array): Utf8Text {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { bytes: b.subarray(3), encoding: 'UTF-8' };
  const utf16 = utf16Encoding(b);
  if (utf16 === null) return { bytes: b, encoding: 'UTF-8' };
  const bom = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) ? 2 : 0;
  return fromUtf16(b.subarray(bom), utf16);
}

function utf16Encoding(b: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | null {
  if (b[0] === 0xff && b[1] === 0xfe) return 'UTF-16LE';
  if (b[0] === 0xfe && b[1] === 0xff) return 'UTF-16BE';
  if (b.length < 4 || b.length % 2 !== 0) return null;
  if (b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return 'UTF-16LE';
  if (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return 'UTF-16BE';
  return null;
}

/** UTF-16 code units as UTF-8; with the first invalid unit, where its U+FFFD lands, when there is one. */
function fromUtf16(units: Uint8Array, encoding: 'UTF-16LE' | 'UTF-16BE'): Utf8Text {
  const label = encoding.toLowerCase();
  const encoder = new TextEncoder();
  try {
    return { bytes: encoder.encode(new TextDecoder(label, { fatal: true }).decode(units)), encoding };
  } catch {
    const { unit, what } = firstInvalidUtf16(units, encoding === 'UTF-16LE');
    const lenient = new TextDecoder(label);
    const at = encoder.encode(lenient.decode(units.subarray(0, 2 * unit))).length;
    return { bytes: encoder.encode(lenient.decode(units)), encoding, invalid: { at, what } };
  }
}

/** The index of the first invalid code unit: a surrogate without its pair, or an odd final byte. */
function firstInvalidUtf16(b: Uint8Array, littleEndian: boolean): { unit: number; what: string } {
  const n = b.length >> 1;
  const unitAt = (k: number): number => (littleEndian ? b[2 * k] | (b[2 * k + 1] << 8) : (b[2 * k] << 8) | b[2 * k + 1]);
  for (let k = 0; k < n; k++) {
    const u = unitAt(k);
    if (u < 0xd800 || u > 0xdfff) continue;
    if (u <= 0xdbff && k + 1 < n && unitAt(k + 1) >= 0xdc00 && unitAt(k + 1) <= 0xdfff) k++;
    else return { unit: k, what: `an unpaired surrogate ${hex(u, 4)}` };
  }
  return { unit: n, what: 'an odd final byte (half a UTF-16 character)' };
}

/**
 * The first sequence of bytes [from, to) that is not UTF-8, or undefined when
 * they all are: the maximal subpart the Encoding Standard replaces by one
 * U+FFFD (a byte that cannot start a character, or a start without its
 * continuation bytes), as a strict TextDecoder refuses them.
 */
export function firstInvalidUtf8(b: Uint8Array, from = 0, to = b.length): InvalidText | undefined {
  for (let i = from; i < to; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    let lo = c === 0xe0 ? 0xa0 : c === 0xf0 ? 0x90 : 0x80;
    let hi = c === 0xed ? 0x9f : c === 0xf4 ? 0x8f : 0xbf;
    let k = 1;
    for (; k <= need; k++, lo = 0x80, hi = 0xbf) {
      if (i + k >= to || b[i + k] < lo || b[i + k] > hi) break;
    }
    if (need === 0 || k <= need) return { at: i, what: sequence(b.subarray(i, i + k)) };
    i += k;
  }
  return undefined;
}

function sequence(bytes: Uint8Array): string {
  return bytes.length === 1 ? `the byte ${hex(bytes[0], 2)}` : `the bytes ${Array.from(bytes, (x) => hex(x, 2)).join(' ')}, an incomplete character`;
}

function hex(x: number, digits: number): string {
  return `0x${x.toString(16).toUpperCase().padStart(digits, '0')}`;
}
