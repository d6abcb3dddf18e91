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
  for (const s of ['', '-', 'abc', '1.2.3', '0x', '1d5']) {
    const b = enc.encode(s);
    assert.equal(parseNumber(b, 0, b.length), undefined, s);
  }
});

// What R 4.2's read.csv makes of one field (with a second row "2"), from:
//   for (v in vals) { d <- read.csv(text = paste0("x\n", v, "\n2\n")); print(c(v, class(d$x), d$x[1])) }
// NA means the column stays text in R (character).
const R_READ_CSV: ReadonlyArray<[string, number | null]> = [
  ['Infinity', Infinity], ['infinity', Infinity], ['INF', Infinity], ['inf', Infinity], ['-inf', -Infinity], ['Inf', Infinity],
  ['iNfInItY', Infinity], ['-Infinity', -Infinity], ['+Inf', Infinity], ['nan', NaN], ['NaN', NaN], ['Nan', NaN], ['+NaN', NaN],
  ['-nan', NaN], ['0x10', 16], ['0X1a', 26], ['-0x10', -16], ['0x1p3', 8], ['0x1.8p1', 3], ['0x1P-2', 0.25], ['0x1p', 1], ['0x1e2', 482],
  ['1e5', 1e5], ['1E+05', 1e5], ['1.', 1], ['+.5', 0.5], ['1.e5', 1e5], ['00012', 12], ['1e', 1], ['1e+', 1], ['1e400', Infinity],
  ['1e-400', 0], ['  3 ', 3], ['NAN', null], ['nA', null], ['1d5', null], ['e5', null], ['0x', null], ['1_000', null], ['na', null],
  ['N/A', null], ['0x10L', null], ['1L', null], ['Infx', null], ['infin', null], ['0xG', null], ['.', null], ['-', null], ['1e5.5', null],
  ['1.5p2', null], ['0b101', null], ['- 3', null],
];

test('parseCsv reads every field as R 4.2 read.csv does: Inf, nan, hex, exponents', () => {
  for (const [field, expected] of R_READ_CSV) {
    const c = parseCsv(`x\n"${field}"\n2\n`).columns.get('x')!;
    if (expected === null) assert.equal(c.kind, 'categorical', field);
    else {
      assert.equal(c.kind, 'numeric', field);
      assert.ok(c.kind === 'numeric' && Object.is(c.values[0], expected), `${field}: ${c.kind === 'numeric' ? c.values[0] : ''} vs ${expected}`);
    }
  }
});

test('parseCsv reads a hex fraction without an exponent as text, where R reads 0x1.8 as 24', () => {
  const c = parseCsv('x\n0x1.8\n2\n').columns.get('x')!;
  assert.equal(c.kind, 'categorical');
});

test('parseCsv({ sep }) reads semicolon-, tab- and pipe-separated files', () => {
  for (const sep of [';', '\t', '|']) {
    const t = parseCsv(`a${sep}b\n1${sep}x\n2${sep}y\n`, { sep });
    assert.deepEqual(t.names, ['a', 'b'], JSON.stringify(sep));
    assert.deepEqual(numeric(t, 'a'), [1, 2]);
  }
});

test('parseCsv refuses a semicolon- or tab-separated file read with commas, saying which --sep to give', () => {
  assert.throws(() => parseCsv('a;b\n1;2\n', 'd.csv'), (e: Error) => e instanceof MixedModelsError && e.message === "d.csv looks like semicolon-separated: use --sep ';'");
  assert.throws(() => parseCsv('a\tb\n1\t2\n', 'd.csv'), /d\.csv looks like tab-separated: use --sep tab/);
  assert.throws(() => parseCsv('a,b\n1,2\n', { sep: ';', source: 'd.csv' }), /looks like comma-separated: use --sep ',' \(the default\)/);
  assert.equal(parseCsv('"a;b"\n1\n').names[0], 'a;b', 'a quoted header is one column');
});

test('parseCsv refuses separators and decimal marks that cannot work', () => {
  assert.throws(() => parseCsv('a\n1\n', { sep: ';;' }), /one character/);
  assert.throws(() => parseCsv('a\n1\n', { sep: '"' }), /one character/);
  assert.throws(() => parseCsv('a\n1\n', { dec: ';' }), /decimal mark must be/);
  assert.throws(() => parseCsv('a\n1\n', { sep: ',', dec: ',' }), /cannot both be ','/);
});

test("parseCsv({ sep: ';', dec: ',' }) reads decimal commas, and without dec marks such a column", () => {
  const t = parseCsv('y;x\n1,5;2\n-0,25;3\n', { sep: ';', dec: ',' });
  assert.deepEqual(numeric(t, 'y'), [1.5, -0.25]);
  const c = parseCsv('y;x\n1,5;2\n-0,25;3\n', { sep: ';' }).columns.get('y')!;
  assert.ok(c.kind === 'categorical');
  assert.match(c.looksNumeric ?? '', /holds numbers with a decimal comma \(row 1 is "1,5"\): read the file with the decimal mark ','/);
});

test('parseCsv marks a column of numbers with some text, naming the first text field', () => {
  const t = parseCsv('y,g\n1.5,a\nn/a,b\n3,c\n');
  const y = t.columns.get('y')!;
  assert.ok(y.kind === 'categorical');
  assert.deepEqual(y.values, ['1.5', 'n/a', '3']);
  assert.equal(y.looksNumeric, 'holds numbers and text (row 2 is "n/a")');
  const first = parseCsv('y\nNA\nx\n4\n').columns.get('y')!;
  assert.ok(first.kind === 'categorical' && first.looksNumeric === 'holds numbers and text (row 2 is "x")');
  const g = t.columns.get('g')!;
  assert.ok(g.kind === 'categorical' && g.looksNumeric === undefined, 'plain text is not marked');
});

test('parseCsv reads UTF-16 files with and without a byte-order mark, and UTF-8 with one', () => {
  const text = 'días,g\n1,ñ\n2,b\n';
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.from(le).swap16();
  const variants = [
    Buffer.concat([Buffer.from([0xff, 0xfe]), le]),
    Buffer.concat([Buffer.from([0xfe, 0xff]), be]),
    le,
    be,
    Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
  ];
  for (const bytes of variants) {
    const t = parseCsv(new Uint8Array(bytes));
    assert.deepEqual(t.names, ['días', 'g']);
    assert.deepEqual(numeric(t, 'días'), [1, 2]);
    const g = t.columns.get('g')!;
    assert.ok(g.kind === 'categorical' && g.values[0] === 'ñ');
  }
});

test('parseCsv refuses a file with zero bytes (not text), naming the position', () => {
  assert.throws(() => parseCsv(new Uint8Array([120, 10, 49, 0, 50, 10]), 'x.csv'), /x\.csv is not a text file: it has a zero byte at byte 4/);
});

test('parseCsv re-reads a column that turns to text late, past blank lines and quoted line ends, keeping each field as written', () => {
  const t = parseCsv('x,y\n1,"a\nb"\n\n2.50,c\n\nNA,d\n"3",e\nabc,f\n4,g\n');
  const x = t.columns.get('x')!;
  assert.equal(t.nrow, 6);
  assert.ok(x.kind === 'categorical');
  assert.deepEqual(x.values, ['1', '2.50', null, '3', 'abc', '4']);
  assert.equal(x.looksNumeric, 'holds numbers and text (row 5 is "abc")');
  const y = t.columns.get('y')!;
  assert.ok(y.kind === 'categorical');
  assert.deepEqual(y.values, ['a\nb', 'c', 'd', 'e', 'f', 'g']);
});

test('parseCsv reads CR, LF and CRLF line ends mixed, more records than any one kind of line end', () => {
  const t = parseCsv('a,b\r1,2\r\n3,4\n5,6');
  assert.deepEqual([numeric(t, 'a'), numeric(t, 'b')], [[1, 3, 5], [2, 4, 6]]);
  assert.deepEqual(numeric(parseCsv('a\r1\r2\r3\n4\n'), 'a'), [1, 2, 3, 4]);
});

test('parseCsv reports a quote error anywhere in the file before a bad header or a ragged row', () => {
  // The line the quote opens on, not the end of the file it runs to.
  assert.throws(() => parseCsv('a,b\n1\n2,"x\n'), /line 3 has a quote that is never closed/);
  assert.throws(() => parseCsv('a,b\n1,2\n3,"4\n5,6\n7,8\n'), /line 3 has a quote that is never closed/);
  assert.throws(() => parseCsv('a,a\n1,2\n3,"4"x\n'), /line 3 has text after a closing quote/);
  assert.throws(() => parseCsv('a;b\n1;2\n"3\n'), /never closed/);
  assert.throws(() => parseCsv('a,b\n1,2\n\n3\n4,5,6\n'), /line 3 has 1 field, the header has 2/);
});

test('parseCsv reads numbers on both sides of the decimal fast path (15 digits, 22 decimals) as Number() does', () => {
  const fields = ['123456789012345', '1234567890123456', '12345678901234567', '0.1234567890123456789', '1e-22', '0.0000000000000000000001', '0.00000000000000000000001', '-0', '+.5', ' 7 ', '1e', '1e+', '0x1p3', '-nan', '1e400', '-1e-400'];
  const got = numeric(parseCsv(`x\n${fields.join('\n')}\n`), 'x');
  const want = [123456789012345, 1234567890123456, 12345678901234567, 0.1234567890123456789, 1e-22, 1e-22, 1e-23, -0, 0.5, 7, 1, 1, 8, NaN, Infinity, -0];
  assert.equal(got.length, want.length);
  want.forEach((w, i) => assert.ok(Object.is(got[i], w), `${JSON.stringify(fields[i])} reads ${got[i]}, not ${w}`));
});

test('parseCsv reads a column of T, F, TRUE and FALSE as R\'s logical: TRUE and FALSE, whichever spelling (and lm gives R\'s bTRUE)', () => {
  // R 4.2.2: type.convert(c("T", "F", "TRUE"), as.is = TRUE) is logical; c("true", "false") and c("t", "f") stay character.
  const t = parseCsv('y,b,c,d\n1.1,T,true,TRUE\n2.3,FALSE,false,FALSE\n3.2,TRUE,true,\n4.1,F,false,TRUE\n5.5,NA,true,FALSE\n');
  assert.deepEqual(t.columns.get('b')!.values, ['TRUE', 'FALSE', 'TRUE', 'FALSE', null]);
  assert.deepEqual(t.columns.get('c')!.values, ['true', 'false', 'true', 'false', 'true'], 'not logical in R: kept as written');
  assert.deepEqual(t.columns.get('d')!.values, ['TRUE', 'FALSE', null, 'TRUE', 'FALSE']);
  const long = parseCsv(`y,b\n${Array.from({ length: 40 }, (_, i) => `${i},${['T', 'F', 'TRUE', 'FALSE'][i % 4]}`).join('\n')}\n`);
  assert.deepEqual([...new Set(long.columns.get('b')!.values as readonly (string | null)[])], ['TRUE', 'FALSE']);
});

test('parseCsv refuses an empty header name, and for the first column says it looks like write.csv\'s row names', () => {
  assert.throws(() => parseCsv('"","y","x"\n"1",2.5,1\n"2",3.5,2\n'), (e: Error) => e instanceof MixedModelsError && /column 1 of the header has no name \(as the row names R's write\.csv writes.*row\.names = FALSE/.test(e.message));
  assert.throws(() => parseCsv('y,,x\n1,2,3\n'), (e: Error) => e instanceof MixedModelsError && /column 2 of the header has no name$/.test(e.message));
});
