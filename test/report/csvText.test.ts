import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvField, toCsv } from '../../src/report/csvText.js';

test('csvField(text) quotes separators, quotes, line breaks and edge spaces, doubling quotes', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(' padded'), '" padded"');
  assert.equal(csvField('a;b', ';'), '"a;b"');
  assert.equal(csvField('a;b'), 'a;b');
});

test("csvField(text) prefixes a would-be spreadsheet formula with ' (OWASP), but not a plain number", () => {
  assert.equal(csvField('=1+2'), `"'=1+2"`);
  assert.equal(csvField('+cmd'), `"'+cmd"`);
  assert.equal(csvField('-2+3'), `"'-2+3"`);
  assert.equal(csvField('@SUM(A1)'), `"'@SUM(A1)"`);
  assert.equal(csvField('\tx'), `"'\tx"`);
  assert.equal(csvField('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
  assert.equal(csvField('-1.5'), '-1.5');
  assert.equal(csvField('+3e-4'), '+3e-4');
});

test('toCsv(rows) writes the union of the keys, numbers in full, null as NA', () => {
  const csv = toCsv([{ term: 'a,b', estimate: 0.1 + 0.2 }, { term: '=x', estimate: null, extra: -1 }]);
  assert.equal(csv, `term,estimate,extra\n"a,b",0.30000000000000004,NA\n"'=x",NA,-1\n`);
  assert.equal(Number(csv.split('\n')[1].split(',').at(-2)), 0.1 + 0.2);
});
