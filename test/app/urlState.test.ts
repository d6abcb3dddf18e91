// The page's state in its URL (app/src/model/urlState.ts): round trips, and untrusted values fall back to defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeState, encodeState, type UrlState } from '../../app/src/model/urlState.js';
import { defaultOptions } from '../../app/src/model/options.js';

test('decodeState(encodeState(s)) gives s back', () => {
  const s: UrlState = {
    example: 'cbpp',
    file: null,
    formula: 'cbind(incidence, size - incidence) ~ period + (1 | herd)',
    options: { family: 'binomial', link: 'probit', reml: false, nagq: 10, factors: ['herd', 'period'], weights: 'w' },
  };
  assert.deepEqual(decodeState(encodeState(s)), s);
  const f: UrlState = { example: null, file: 'my data.csv', formula: 'y ~ x + (1 | g)', options: defaultOptions() };
  assert.deepEqual(decodeState(encodeState(f)), f);
  assert.equal(encodeState({ example: null, file: null, formula: '', options: defaultOptions() }), '');
});

test('decodeState() ignores unknown examples, families, links and bad nAGQ values', () => {
  const s = decodeState('?example=nope&family=banana&link=logit&nagq=-3&ml=0');
  assert.equal(s.example, null);
  assert.deepEqual(s.options, defaultOptions());
  assert.equal(decodeState('?family=gaussian&link=logit').options.link, '', 'logit is not a gaussian link offered');
  assert.equal(decodeState('?nagq=2.5').options.nagq, 1);
  assert.equal(decodeState('?formula=' + 'x'.repeat(5000)).formula.length, 2000);
});
