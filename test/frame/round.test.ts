import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { roundDigits, roundHalfEven } from '../../src/frame/round.js';

// R's round(x, digits) on 224 cases (halves, binary near-halves, large and tiny numbers, negative and
// fractional digits): test/fixtures/r/round.json, computed by test/fixtures/r/round.R with R 4.2.2.
const ref = JSON.parse(readFileSync(new URL('../fixtures/r/round.json', import.meta.url), 'utf8')) as { cases: [number, number, number][] };

test('roundDigits(x, digits) is R round(x, digits) to the bit on every reference case', () => {
  assert.equal(ref.cases.length, 224);
  for (const [x, digits, r] of ref.cases) assert.ok(Object.is(roundDigits(x, digits), r), `round(${x}, ${digits}): ${roundDigits(x, digits)} vs R ${r}`);
});

test('roundHalfEven(x) takes halves to the even neighbour, as R round(x)', () => {
  assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999999999996, 4503599627370497].map(roundHalfEven), [0, 2, 2, -0, -2, -2, 2, 4503599627370497]);
  assert.ok(Number.isNaN(roundHalfEven(NaN)));
  assert.equal(roundHalfEven(-Infinity), -Infinity);
});

test('roundDigits keeps NaN and infinities, and R answers for huge digits', () => {
  assert.ok(Number.isNaN(roundDigits(NaN, 2)));
  assert.ok(Number.isNaN(roundDigits(1.5, NaN)));
  assert.equal(roundDigits(Infinity, 1), Infinity);
  assert.equal(roundDigits(1.23, 400), 1.23);
  assert.equal(roundDigits(1.23, -400), 0);
});
