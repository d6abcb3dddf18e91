import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsv, parseNumber } from '../../src/io/csv.js';
import { MixedModelsError } from '../../src/errors.js';

function numeric(t: ReturnType<typeof parseCsv>, name: string): number[] {
  const c = t.columns.get(name);
  assert.ok(c && c.kind === 'numeric', `${name} is numeric`);
  return Array.from(c.values);
}

test('parseCsv reads quoted and unquoted numbers as numeric, as read.csv does', () => {
  const t = parseCsv('"a","b"\n"1",2.5\n"3",-4e2\n');
  assert.deepEqual(t.names, ['a', 'b']);
  assert.equal(t.nrow, 2);
  assert.deepEqual(numeric(t, 'a'), [1, 3]);
  assert.deepEqual(numeric(t, 'b'), [2.5, -400]);
});

test('parseCsv treats empty fields and NA as missing', () => {
  const t = parseCsv('x,g\n1,a\n,NA\nNA,"b"\n');
  assert.deepEqual(numeric(t, 'x').map(Number.isNaN), [false, true, true]);
  const g = t.columns.get('g');
  assert.ok(g && g.kind === 'categorical');
  assert.deepEqual(g.values, ['a', null, 'b']);
});

test('parseCsv keeps a column categorical when any field is not a number, with its text as written', () => {
  const t = parseCsv('id\n01\n2\nx7\n');
  const c = t.columns.get('id');
  assert.ok(c && c.kind === 'categorical');
  assert.deepEqual(c.values, ['01', '2', 'x7']);
});

test('parseCsv handles escaped quotes, commas and newlines inside quotes, CRLF and no final newline', () => {
  const t = parseCsv('name,v\r\n"say ""hi"", ok",1\r\n"two\nlines",2');
  const c = t.columns.get('name');
  assert.ok(c && c.kind === 'categorical');
  assert.deepEqual(c.values, ['say "hi", ok', 'two\nlines']);
  assert.deepEqual(numeric(t, 'v'), [1, 2]);
});

test('parseCsv decodes repeated categorical fields once per spelling, quoted or not, past many distinct values', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `g${i % 2500},"a""b",a""b,${'x'.repeat(40)}`);
  const t = parseCsv(`g,q,u,long\n${rows.join('\n')}\n`);
  const g = t.columns.get('g');
  const q = t.columns.get('q');
  const u = t.columns.get('u');
  const long = t.columns.get('long');
  assert.ok(g?.kind === 'categorical' && q?.kind === 'categorical' && u?.kind === 'categorical' && long?.kind === 'categorical');
  assert.deepEqual([g.values[0], g.values[2499], g.values[2500], g.values[4999]], ['g0', 'g2499', 'g0', 'g2499']);
  assert.deepEqual(new Set(g.values).size, 2500);
  assert.deepEqual([q.values[0], u.values[0], long.values[4999]], ['a"b', 'a""b', 'x'.repeat(40)]);
});

test('parseCsv reads Inf and -Inf as numbers', () => {
  const t = parseCsv('x\nInf\n-Inf\n1\n');
  assert.deepEqual(numeric(t, 'x'), [Infinity, -Infinity, 1]);
});

test('parseCsv rejects a row with the wrong number of fields, naming the line', () => {
  assert.throws(() => parseCsv('a,b\n1,2\n3\n', 'data.csv'), (e: unknown) => {
    assert.ok(e instanceof MixedModelsError);
    assert.match(e.message, /data\.csv: line 3 has 1 field, the header has 2/);
    return true;
  });
});

test('parseCsv rejects an unclosed quote, an empty file and duplicate column names', () => {
  assert.throws(() => parseCsv('a\n"oops\n'), /never closed/);
  assert.throws(() => parseCsv(''), /empty/);
  assert.throws(() => parseCsv('a,a\n1,2\n'), /names column 'a' twice/);
});

test('parseNumber agrees with Number() on decimal text, correctly rounded', () => {
  const enc = new TextEncoder();
  const cases = ['249.56', '0.1', '-0.000123', '1e-300', '123456789012345678', '3.14159265358979', '.5', '5.', '1E5', '+7'];
  for (const s of cases) {
    const b = enc.encode(s);
    assert.equal(parseNumber(b, 0, b.length), Number(s), s);
  }
  for (const s of ['', '-', '1e', 'abc', '1.2.3', '0x10']) {
    const b = enc.encode(s);
    assert.equal(parseNumber(b, 0, b.length), undefined, s);
  }
});
