import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTidy } from '../../src/index.js';

const rows = [
  { effect: 'fixed', term: '(Intercept)', estimate: 251.40510484848, 'p.value': 1.17155811e-17 },
  { effect: 'ran_pars', term: 'sd__a|b', estimate: 24.74, 'p.value': null },
];

test("formatTidy(rows, 'text') aligns columns, 6 significant digits, p-values 3, NA for null", () => {
  assert.equal(formatTidy(rows, 'text'), [
    'effect           term  estimate   p.value',
    'fixed     (Intercept)   251.405  1.17e-17',
    'ran_pars      sd__a|b     24.74        NA',
    '',
  ].join('\n'));
});

test("formatTidy(rows, 'markdown') escapes the data's | and formatTidy(rows, 'json') keeps full numbers", () => {
  assert.match(formatTidy(rows, 'markdown'), /sd\\_\\_a&#124;b/);
  assert.deepEqual(JSON.parse(formatTidy(rows, 'json')), rows);
  assert.throws(() => formatTidy(rows, 'xml' as never), /format must be one of/);
});
