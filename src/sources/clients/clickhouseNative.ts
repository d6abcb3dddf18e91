/**
 * ClickHouse's Native format (its own columnar wire format, which 18.16
 * writes over HTTP with `FORMAT Native`) read into result columns: numbers
 * straight from their little-endian bytes instead of parsing text.
 *
 * The body is a sequence of blocks; each block is
 *
 *   varint columns, varint rows, then per column:
 *     string name, string type, the column's data for `rows` rows
 *
 * (varint: unsigned LEB128; string: varint length then UTF-8 bytes). Data by
 * type: fixed-width numbers (U)Int8..64, Float32/64 as little-endian values;
 * String as a string per row; Nullable(T) as one byte per row (1 = NULL) then
 * T's data (a value is still written for a NULL row). Other types (Decimal,
 * Date, Enum, LowCardinality, ...) are not read here: the reader returns null
 * and the caller asks again in text.
 */
import type { ResultColumns } from '../source.js';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const WIDTH: Record<string, number> = { Int8: 1, UInt8: 1, Int16: 2, UInt16: 2, Int32: 4, UInt32: 4, Int64: 8, UInt64: 8, Float32: 4, Float64: 8 };

class Reader {
  private readonly view: DataView;
  private readonly decoder = new TextDecoder();
  offset = 0;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get done(): boolean {
    return this.offset >= this.bytes.length;
  }

  /** Throws a RangeError (caught by parseNative) past the end. */
  need(n: number): void {
    if (this.offset + n > this.bytes.length) throw new RangeError('truncated Native block');
  }

  varint(): number {
    let value = 0, scale = 1;
    for (;;) {
      this.need(1);
      const b = this.bytes[this.offset++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 56) throw new RangeError('bad varint');
    }
  }

  string(): string {
    const n = this.varint();
    this.need(n);
    const s = this.decoder.decode(this.bytes.subarray(this.offset, this.offset + n));
    this.offset += n;
    return s;
  }

  /** `rows` values of a fixed-width numeric type as doubles (64-bit integers rounded to the nearest double, as their text would be). */
  numbers(type: string, rows: number): Float64Array {
    const w = WIDTH[type], v = this.view;
    this.need(w * rows);
    if (type === 'Float64' && LITTLE_ENDIAN) {
      // The bytes copied into a fresh (aligned) buffer are the doubles (a copy: a Buffer's slice would be a view).
      const out = new Float64Array(rows);
      new Uint8Array(out.buffer).set(this.bytes.subarray(this.offset, this.offset + 8 * rows));
      this.offset += 8 * rows;
      return out;
    }
    const out = new Float64Array(rows);
    let o = this.offset;
    for (let r = 0; r < rows; r++, o += w) {
      switch (type) {
        case 'Float64': out[r] = v.getFloat64(o, true); break;
        case 'Float32': out[r] = v.getFloat32(o, true); break;
        case 'Int8': out[r] = v.getInt8(o); break;
        case 'UInt8': out[r] = v.getUint8(o); break;
        case 'Int16': out[r] = v.getInt16(o, true); break;
        case 'UInt16': out[r] = v.getUint16(o, true); break;
        case 'Int32': out[r] = v.getInt32(o, true); break;
        case 'UInt32': out[r] = v.getUint32(o, true); break;
        case 'Int64': out[r] = Number(v.getBigInt64(o, true)); break;
        default: out[r] = Number(v.getBigUint64(o, true));
      }
    }
    this.offset = o;
    return out;
  }

  /** `rows` null flags (1 = NULL). */
  nulls(rows: number): Uint8Array {
    this.need(rows);
    const out = Uint8Array.from(this.bytes.subarray(this.offset, this.offset + rows));
    this.offset += rows;
    return out;
  }
}

/** One column's data in a block, or null for a type this reader does not know. */
function readColumn(reader: Reader, type: string, rows: number): Float64Array | (string | null)[] | null {
  const inner = /^Nullable\((.*)\)$/.exec(type)?.[1];
  const base = inner ?? type;
  if (!(base in WIDTH) && base !== 'String') return null;
  const isNull = inner !== undefined ? reader.nulls(rows) : null;
  if (base === 'String') {
    const out: (string | null)[] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const s = reader.string();
      out[r] = isNull !== null && isNull[r] === 1 ? null : s;
    }
    return out;
  }
  const out = reader.numbers(base, rows);
  if (isNull !== null) for (let r = 0; r < rows; r++) if (isNull[r] === 1) out[r] = NaN;
  return out;
}

/** Columns (numbers as Float64Array with NULL as NaN, text with NULL as null) from a Native body, or null if a type is not read here or the body is not Native. */
export function parseNative(bytes: Uint8Array): ResultColumns | null {
  const reader = new Reader(bytes);
  let names: string[] | null = null;
  let parts: (Float64Array | (string | null)[])[][] = [];
  let nrow = 0;
  try {
    while (!reader.done) {
      const ncol = reader.varint(), rows = reader.varint();
      if (names !== null && ncol !== names.length) return null;
      const blockNames: string[] = [];
      for (let c = 0; c < ncol; c++) {
        blockNames.push(reader.string());
        const col = readColumn(reader, reader.string(), rows);
        if (col === null) return null;
        (parts[c] ??= []).push(col);
      }
      names ??= blockNames;
      nrow += rows;
    }
  } catch (err) {
    if (err instanceof RangeError) return null;
    throw err;
  }
  // No block at all (an empty result may come without one): the text format has the header.
  if (names === null) return null;
  const columns = parts.map((chunks) => concat(chunks, nrow));
  parts = [];
  return { names, columns, nrow };
}

function concat(chunks: (Float64Array | (string | null)[])[], n: number): Float64Array | (string | null)[] {
  if (chunks.length === 1) return chunks[0];
  if (chunks[0] instanceof Float64Array) {
    const out = new Float64Array(n);
    let o = 0;
    for (const c of chunks as Float64Array[]) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
  return (chunks as (string | null)[][]).flat();
}
