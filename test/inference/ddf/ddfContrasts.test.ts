// Type II hypothesis matrices (lmerTest's get_contrasts_type2_unfolded) and its containment rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lm } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { termContainment, typeIContrasts, typeIIContrasts } from '../../../src/inference/ddf/ddfContrasts.js';
import { dataFile } from '../../cli/helpers.js';

test('termContainment(terms, isNumeric) follows lmerTest: f is not within f:x for a numeric x, x is', () => {
  const numeric = (v: string) => v === 'x';
  assert.deepEqual(termContainment([['f'], ['x'], ['f', 'x']], numeric), [[], [2], []]);
  assert.deepEqual(termContainment([['a'], ['b'], ['a', 'b']], () => false), [[2], [2], []]);
  // b's margin absent: R codes b in a:b by indicators (factor matrix 2), so a:b has the variables {a} only.
  assert.deepEqual(termContainment([['a'], ['a', 'b']], () => false), [[], []]);
});

test('typeIIContrasts(frame, isNumeric) tests highest-order terms by their own coefficients and the rest adjusted for all but their containers', () => {
  const cake = readCsvFile(dataFile('cake'));
  const m = lm('angle ~ recipe * temperature', cake, { factors: ['temperature'] });
  const [recipe, temperature, inter] = typeIIContrasts(m.frame, () => false);
  assert.equal(inter.L.q, 10);
  for (let r = 0; r < 10; r++) for (let j = 0; j < m.frame.p; j++) assert.equal(inter.L.values[r * m.frame.p + j], j === 8 + r ? 1 : 0);
  // recipe's rows vanish on the temperature columns (recipe is adjusted for temperature) but not on recipe:temperature's.
  const p = m.frame.p;
  for (let r = 0; r < recipe.L.q; r++) {
    for (let j = 3; j < 8; j++) assert.ok(Math.abs(recipe.L.values[r * p + j]) < 1e-12);
    assert.ok([...recipe.L.values.subarray(r * p + 8, (r + 1) * p)].some((v) => Math.abs(v) > 1e-6));
  }
  assert.equal(temperature.L.q, 5);
  const one = typeIContrasts(lm('angle ~ temp', cake).frame);
  assert.deepEqual(typeIIContrasts(lm('angle ~ temp', cake).frame, () => true)[0].L, one[0].L, 'a single term is type I');
});
