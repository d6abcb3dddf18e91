import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv } from '../../src/io/csv.js';
import { toFactor } from '../../src/data/factor.js';
import { MixedModelsError } from '../../src/errors.js';
import { firstInvalidUtf8 } from '../../src/io/textBytes.js';

/** Bytes from text (as UTF-8) and raw byte values, in order. */
function bytes(...parts: (string | number[])[]): Uint8Array {
  return new Uint8Array(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'utf8')] : p)));
}

/** The adversarial tester's file: four Latin-1 levels, two of them differing only in one non-UTF-8 byte. */
const latin1 = bytes('y,x,g\n1.5,1,caf', [0xe9], '\n2.1,1,caf', [0xe8], '\n2.9,2,na', [0xef], 've\n4.3,3,plain\n');

test('parseCsv(latin1Bytes) refuses a Latin-1 byte in a text column, naming the line, row and column', () => {
  assert.throws(
    () => parseCsv(latin1, 'latin3.csv'),
    (err: unknown) =>
      err instanceof MixedModelsError &&
      err.message.startsWith("latin3.csv is not valid UTF-8: line 2 (data row 1), column 'g' has the byte 0xE9.") &&
      err.message.includes('iconv -f latin1 -t utf-8'),
  );
});

test('parseCsv(bytes) refuses an invalid byte in a numeric column, in the header, and after quoted line ends, at its physical line', () => {
  assert.throws(() => parseCsv(bytes('y,x\n1,2\n3,4', [0xb0], '\n'), 'n.csv'), /n\.csv is not valid UTF-8: line 3 \(data row 2\), column 'x' has the byte 0xB0\./);
  assert.throws(() => parseCsv(bytes('y,caf', [0xe9], '\n1,2\n'), 'h.csv'), /h\.csv is not valid UTF-8: line 1 \(the header\), column 2 has the byte 0xE9\./);
  assert.throws(
    () => parseCsv(bytes('y;g\n1;"a\nb"\n\n2;"c\nd', [0xe4, 0xb8], '"\n'), { sep: ';', source: 'q.csv' }),
    /q\.csv is not valid UTF-8: line 6 \(data row 2\), column 'g' has the bytes 0xE4 0xB8, an incomplete character\./,
  );
});

test('parseCsv(utf8Bytes) keeps multi-byte levels distinct and intact; one byte cut from them is refused', () => {
  const levels = ['café', 'cafè', 'naïve', '中文', '😀', '\uFFFD', 'plain'];
  const good = bytes(`y,g\n${levels.map((g, i) => `${i},${g}\n${i + 0.5},${g}`).join('\n')}\n`);
  const t = parseCsv(good);
  const g = t.columns.get('g')!;
  assert.ok(g.kind === 'categorical');
  assert.deepEqual(g.values, levels.flatMap((l) => [l, l]));
  assert.equal(toFactor(g, 'g').levels.length, levels.length);
  const cut = bytes('y,g\n1,中', [0xe6, 0x96], '\n2,', [0xf0, 0x9f, 0x98], '\n');
  assert.throws(() => parseCsv(cut, 'cut.csv'), /line 2 \(data row 1\), column 'g' has the bytes 0xE6 0x96, an incomplete character/);
});

test('parseCsv(bytesWithBom) reads UTF-8 after a byte-order mark, and counts lines from it when refusing', () => {
  const bom = [0xef, 0xbb, 0xbf];
  const t = parseCsv(bytes(bom, 'g,y\nĕ,1\n中文,2\n'));
  assert.deepEqual(t.names, ['g', 'y']);
  const g = t.columns.get('g')!;
  assert.ok(g.kind === 'categorical' && g.values.join('|') === 'ĕ|中文');
  assert.throws(() => parseCsv(bytes(bom, 'g,y\nĕ,1\n', [0xe9], ',2\n'), 'b.csv'), /b\.csv is not valid UTF-8: line 3 \(data row 2\), column 'g' has the byte 0xE9\./);
});

test('parseCsv(utf16Bytes) refuses an unpaired surrogate or an odd final byte, naming where', () => {
  const le = (text: string) => [0xff, 0xfe, ...Buffer.from(text, 'utf16le')];
  const lone = le('y,g\n1,a\n2,bX\n');
  lone.splice(lone.length - 4, 2, 0x00, 0xd8);
  assert.throws(() => parseCsv(new Uint8Array(lone), 'w.csv'), /w\.csv is not valid UTF-16LE: line 3 \(data row 2\), column 'g' has an unpaired surrogate 0xD800\./);
  const be = [0xfe, 0xff, ...Buffer.from(Buffer.from('y,g\n1,a\n', 'utf16le')).swap16(), 0x41];
  assert.throws(() => parseCsv(new Uint8Array(be), 'o.csv'), /o\.csv is not valid UTF-16BE: line 3 \(data row 2\), column 'y' has an odd final byte/);
});

test('firstInvalidUtf8(bytes) finds what a strict TextDecoder refuses, as the maximal invalid subpart', () => {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const cases: [number[], number, string][] = [
    [[0x61, 0xe9, 0x62], 1, 'the byte 0xE9'],
    [[0xc0, 0x80], 0, 'the byte 0xC0'],
    [[0xed, 0xa0, 0x80], 0, 'the byte 0xED'],
    [[0xe0, 0x9f, 0x80], 0, 'the byte 0xE0'],
    [[0xf4, 0x90, 0x80, 0x80], 0, 'the byte 0xF4'],
    [[0x61, 0xf0, 0x9f, 0x98], 1, 'the bytes 0xF0 0x9F 0x98, an incomplete character'],
    [[0xe4, 0xb8, 0x61], 0, 'the bytes 0xE4 0xB8, an incomplete character'],
  ];
  for (const [b, at, what] of cases) {
    assert.throws(() => strict.decode(new Uint8Array(b)));
    assert.deepEqual(firstInvalidUtf8(new Uint8Array(b)), { at, what }, JSON.stringify(b));
  }
  assert.equal(firstInvalidUtf8(bytes('ascii, é, 中文, 😀, \uFFFD, \u{10FFFF}')), undefined);
});
