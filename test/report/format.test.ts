import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatColumn, formatPValue, markdownTable, signif, stars, textTable, markdownBlocks } from '../../src/report/format.js';

test('signif(x, 4) prints as R does', () => {
  assert.equal(signif(176.683333, 4), '176.7');
  assert.equal(signif(-11.92667, 4), '-11.93');
  assert.equal(signif(0.0000123456, 4), '1.235e-05');
  assert.equal(signif(2, 4), '2');
  assert.equal(signif(0, 4), '0');
  assert.equal(signif(NaN), 'NaN');
});

test('formatColumn uses common decimals like a coefficient column', () => {
  assert.deepEqual(formatColumn([176.683333, -11.926667, 3.610562, 5.106106]), ['176.683', '-11.927', '3.611', '5.106']);
});

test('formatPValue prints < 2e-16 below machine precision and 3 digits otherwise', () => {
  assert.equal(formatPValue(7.3e-49), '< 2e-16');
  assert.equal(formatPValue(0.0229826), '0.023');
  assert.equal(formatPValue(0.000123456), '0.000123');
});

test('stars(p) follows R legend', () => {
  assert.deepEqual([0.0001, 0.005, 0.03, 0.07, 0.5].map(stars), ['***', '**', '*', '.', ' ']);
});

test('textTable aligns columns and markdownTable escapes pipes, HTML, markdown and line breaks, and ends with an empty line', () => {
  assert.equal(textTable(['', 'Est'], [['(Intercept)', '1.5'], ['x', '-10.25']]), '                Est\n(Intercept)     1.5\nx            -10.25');
  assert.equal(markdownTable(['term', 'v'], [['a|b', '1']]), '| term | v |\n| --- | ---: |\n| a&#124;b | 1 |\n');
  assert.equal(markdownTable(['term'], [['<img src=x>\nnext\u0000*b*']]), '| term |\n| --- |\n| &lt;img src=x&gt;\u240anext\u2400\\*b\\* |\n');
});

test('markdownBlocks(lines) escapes text lines and keeps tables and rules', () => {
  const table = markdownTable(['a'], [['1']]);
  assert.deepEqual(markdownBlocks(['Formula: y ~ x_1 * <b>', table, '---', 'note: a | b']), ['Formula: y \\~ x\\_1 \\* &lt;b&gt;', table, '---', 'note: a | b']);
});
