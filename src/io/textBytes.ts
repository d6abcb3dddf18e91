/**
 * A text file's bytes as UTF-8, whatever Unicode encoding it was saved in:
 * a UTF-8 byte-order mark is dropped; UTF-16 (little- or big-endian, found by
 * its byte-order mark, or by a zero byte in every other position at the start
 * as Windows tools write it without one) is converted. Any other zero byte
 * means the file is not text (a spreadsheet, a compressed file, an image) and
 * is refused with its position.
 */
import { MixedModelsError } from '../errors.js';

export function utf8Bytes(bytes: Uint8Array, source: string): Uint8Array {
  const text = asUtf8(bytes);
  const nul = text.indexOf(0);
  if (nul >= 0) {
    throw new MixedModelsError(`${source} is not a text file: it has a zero byte at byte ${nul + 1} (is it a spreadsheet or a compressed file? save it as CSV)`);
  }
  return text;
}

function asUtf8(b: Uint8Array): Uint8Array {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.subarray(3);
  const utf16 = utf16Encoding(b);
  if (utf16 === null) return b;
  const bom = (b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff) ? 2 : 0;
  const text = new TextDecoder(utf16).decode(b.subarray(bom));
  return new TextEncoder().encode(text);
}

function utf16Encoding(b: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le';
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be';
  if (b.length < 4 || b.length % 2 !== 0) return null;
  if (b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return 'utf-16le';
  if (b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return 'utf-16be';
  return null;
}
