/**
 * parseNative (clients/clickhouseNative.ts) on Native bodies written here by
 * the format's rules (varint counts, name and type strings, little-endian
 * values, Nullable's null map before the values), as ClickHouse 18.16 sends
 * them; the servers' tests (sameNumbers, missingValues) read real ones.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseNative } from '../../src/sources/clients/clickhouseNative.js';

/** Bytes of one Native block. */
function block(rows: number, columns: { name: string; type: string; data: number[] }[]): number[] {
  const out: number[] = [];
  const varint = (v: number) => {
    do {
      out.push((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
      v = Math.floor(v / 128);
    } while (v > 0);
  };
  const str = (s: string) => {
    const b = new TextEncoder().encode(s);
    varint(b.length);
    out.push(...b);
  };
  varint(columns.length);
  varint(rows);
  for (const c of columns) {
    str(c.name);
    str(c.type);
    out.push(...c.data);
  }
  return out;
}

const le = (bytes: number, set: (v: DataView) => void): number[] => {
  const v = new DataView(new ArrayBuffer(bytes));
  set(v);
  return [...new Uint8Array(v.buffer)];
};
const f64 = (...xs: number[]) => xs.flatMap((x) => le(8, (v) => v.setFloat64(0, x, true)));
const u64 = (...xs: bigint[]) => xs.flatMap((x) => le(8, (v) => v.setBigUint64(0, x, true)));
const i32 = (...xs: number[]) => xs.flatMap((x) => le(4, (v) => v.setInt32(0, x, true)));
const strs = (...xs: string[]) => xs.flatMap((x) => {
  const b = [...new TextEncoder().encode(x)];
  return [b.length, ...b];
});

describe('parseNative', () => {
  it('parseNative(body) reads Float64, UInt64, Int32, String and their Nullable forms, NULL as NaN or null', () => {
    const body = block(3, [
      { name: 'k', type: 'String', data: strs('a', 'bé', '') },
      { name: 'n', type: 'UInt64', data: u64(1n, 2n ** 53n + 2n, 0n) },
      { name: 's', type: 'Float64', data: f64(0.1, -1e300, 5e-324) },
      { name: 'z', type: 'Nullable(Float64)', data: [0, 1, 0, ...f64(2.5, 0, -0)] },
      { name: 't', type: 'Nullable(String)', data: [1, 0, 0, ...strs('', 'x', 'y')] },
      { name: 'i', type: 'Int32', data: i32(-7, 2147483647, 0) },
    ]);
    const r = parseNative(Uint8Array.from(body))!;
    assert.deepEqual(r.names, ['k', 'n', 's', 'z', 't', 'i']);
    assert.equal(r.nrow, 3);
    assert.deepEqual(r.columns[0], ['a', 'bé', '']);
    assert.deepEqual([...(r.columns[1] as Float64Array)], [1, 2 ** 53 + 2, 0]);
    assert.deepEqual([...(r.columns[2] as Float64Array)], [0.1, -1e300, 5e-324]);
    assert.deepEqual([...(r.columns[3] as Float64Array)], [2.5, NaN, -0]);
    assert.deepEqual(r.columns[4], [null, 'x', 'y']);
    assert.deepEqual([...(r.columns[5] as Float64Array)], [-7, 2147483647, 0]);
  });

  it('parseNative(body) joins the blocks of a long result in order', () => {
    const body = [
      ...block(2, [{ name: 'x', type: 'Float64', data: f64(1, 2) }, { name: 'g', type: 'String', data: strs('a', 'b') }]),
      ...block(1, [{ name: 'x', type: 'Float64', data: f64(3) }, { name: 'g', type: 'String', data: strs('c') }]),
    ];
    const r = parseNative(Uint8Array.from(body))!;
    assert.equal(r.nrow, 3);
    assert.deepEqual([...(r.columns[0] as Float64Array)], [1, 2, 3]);
    assert.deepEqual(r.columns[1], ['a', 'b', 'c']);
  });

  it('parseNative(body) is null for a type it does not read, a truncated body, or no block (the client then asks in text)', () => {
    assert.equal(parseNative(Uint8Array.from(block(1, [{ name: 'd', type: 'Decimal(9, 2)', data: i32(1234) }]))), null);
    assert.equal(parseNative(Uint8Array.from(block(2, [{ name: 'x', type: 'Float64', data: f64(1) }]))), null);
    assert.equal(parseNative(new Uint8Array(0)), null);
  });
});

describe('parseNative over a Buffer', () => {
  it('parseNative(buffer) reads the doubles of a Buffer that is a view into a larger pool', () => {
    const body = block(2, [{ name: 'x', type: 'Nullable(Float64)', data: [0, 1, ...f64(0.30000000000000004, 7)] }]);
    // Buffer.concat of small chunks allocates from a shared pool: the body starts at an odd offset of a larger buffer.
    const buf = Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(body)]).subarray(3);
    const r = parseNative(buf)!;
    assert.deepEqual([...(r.columns[0] as Float64Array)], [0.30000000000000004, NaN]);
  });
});
