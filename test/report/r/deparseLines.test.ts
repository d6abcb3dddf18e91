// deparse() line breaking against R 4.2.2 (test/fixtures/r/rformat.json: deparse(str2lang(f)) and
// deparse(glm(formula = f, family = binomial, data = somedata)) at the default width.cutoff = 60).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFormula } from '../../../src/formula/index.js';
import { deparseCall, deparseFormula } from '../../../src/report/r/deparseLines.js';
import { R } from './rformat.js';

const trimmed = (lines: string[]) => lines.map((l) => l.trimEnd());

test('deparseFormula(f) breaks a long formula after an operator past 60 characters, indenting by 4', () => {
  for (const c of R.deparse.filter((c: { formula: string[] }) => c.formula[0].includes('~'))) {
    assert.deepEqual(deparseFormula(parseFormula(c.formula[0])), trimmed(c.value), c.formula[0]);
  }
});

test('deparseCall(fn, args) breaks after an argument separator past 60 characters', () => {
  for (const c of R.deparse.filter((c: { formula: string[] }) => c.formula[0].includes('~'))) {
    const lines = deparseCall('glm', [
      { name: 'formula', value: { formula: parseFormula(c.formula[0]) } },
      { name: 'family', value: { text: 'binomial' } },
      { name: 'data', value: { text: 'somedata' } },
    ]);
    assert.deepEqual(lines, trimmed(c.call), c.formula[0]);
  }
});

test('deparseFormula(f) keeps `:` chains unbroken, as R does for operators without spaces', () => {
  const c = R.deparse.find((c: { formula: string[] }) => c.formula[0].startsWith('a:b'));
  const f = parseFormula(`y ~ ${c.formula[0]}`);
  assert.equal(deparseFormula(f)[0], `y ~ ${trimmed(c.value)[0]}`);
});
