// contrastMatrix(method, levels) against emmeans 1.8.4's pairwise.emmc, revpairwise.emmc, trt.vs.ctrl.emmc and eff.emmc.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contrastMatrix } from '../../../src/inference/emmeans/contrastMethods.js';
import { MixedModelsError } from '../../../src/errors.js';

const levels = ['a', 'b', 'c'];

test('contrastMatrix("pairwise" | "revpairwise", levels) names and orders the differences as emmeans', () => {
  const p = contrastMatrix('pairwise', levels);
  assert.deepEqual(p.names, ['a - b', 'a - c', 'b - c']);
  assert.deepEqual(p.coefficients, [[1, -1, 0], [1, 0, -1], [0, 1, -1]]);
  assert.deepEqual([p.adjust, p.famSize, p.pairs], ['tukey', 3, true]);
  const r = contrastMatrix('revpairwise', levels);
  assert.deepEqual(r.names, ['b - a', 'c - a', 'c - b']);
  assert.deepEqual(r.coefficients, [[-1, 1, 0], [-1, 0, 1], [0, -1, 1]]);
});

test('contrastMatrix("trt.vs.ctrl", levels, ref) compares with the control by position or label', () => {
  const t = contrastMatrix('trt.vs.ctrl', levels);
  assert.deepEqual(t.names, ['b - a', 'c - a']);
  assert.deepEqual([t.adjust, t.pairs], ['dunnettx', false]);
  assert.deepEqual(contrastMatrix('trt.vs.ctrl', levels, 'c').names, ['a - c', 'b - c']);
  assert.deepEqual(contrastMatrix('trt.vs.ctrl', levels, 2).coefficients, [[1, -1, 0], [0, -1, 1]]);
  assert.throws(() => contrastMatrix('trt.vs.ctrl', levels, 'z'), /control level 'z'/);
});

test('contrastMatrix("eff", levels) and custom coefficients', () => {
  const e = contrastMatrix('eff', levels);
  assert.deepEqual(e.names, ['a effect', 'b effect', 'c effect']);
  assert.ok(Math.abs(e.coefficients[0][0] - 2 / 3) < 1e-15 && Math.abs(e.coefficients[0][1] + 1 / 3) < 1e-15);
  assert.equal(e.adjust, 'fdr');
  const c = contrastMatrix({ AvsBC: [1, -0.5, -0.5] }, levels);
  assert.deepEqual([c.names, c.adjust], [['AvsBC'], 'none']);
  assert.throws(() => contrastMatrix({ bad: [1, -1] }, levels), /needs 3 finite coefficients/);
  assert.throws(() => contrastMatrix('consec' as 'eff', levels), MixedModelsError);
});
