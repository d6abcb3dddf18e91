/**
 * precisionMessages: a fixed-effects column nearly a combination of those
 * before it (a predictor far from 0 beside the intercept) is named with the
 * digits the fit loses (finishLmm makes it an 'approximation' diagnostic: the
 * fits from a database's sums, and in memory the columns centring cannot help).
 * x = 1e5 + u loses about 11 digits: uncentred, its logLik was off in the 6th
 * digit (lme4 1.1-31: in the 7th, and -464.7312 at 3e5 with convergence
 * warnings), and the message says about the 5th.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { precisionMessages, RHO2 } from '../../../src/lmm/conditioning/precisionLoss.js';

/** [X y]'[X y] (column-major, p + 1 square) of the columns given (the last is y). */
function gram(cols: number[][]): Float64Array {
  const P = cols.length, n = cols[0].length, out = new Float64Array(P * P);
  for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) for (let i = 0; i < n; i++) out[a + b * P] += cols[a][i] * cols[b][i];
  return out;
}

const n = 400;
const u = Array.from({ length: n }, (_, i) => (i % 7) * 0.1 + 0.01 * Math.sin(i));
const y = Array.from({ length: n }, (_, i) => Math.sin(i) + (i % 20) * 0.1 + 3 * u[i]);
const ones = new Array<number>(n).fill(1);

test('precisionMessages(x = 1e5 + u beside the intercept) names x, the digits lost and its mean', () => {
  const x = u.map((v) => 1e5 + v);
  const out = precisionMessages(gram([ones, x, y]), 2, ['(Intercept)', 'x']);
  assert.equal(out.length, 1);
  assert.match(out[0], /^x is nearly a combination .* loses about 11 of the 16 significant digits .* 5th digit; centre it \(e\.g\. x - 1\.00e\+5\)/);
});

test('precisionMessages(x = 1e3 + u, or u) says nothing: rho^2 above RHO2', () => {
  assert.deepEqual(precisionMessages(gram([ones, u.map((v) => 1e3 + v), y]), 2, ['(Intercept)', 'x']), []);
  assert.deepEqual(precisionMessages(gram([ones, u, y]), 2, ['(Intercept)', 'x']), []);
  assert.ok(RHO2 < 1e-8);
});

test('precisionMessages(two nearly equal predictors, no intercept) names the second, advising a rescale or a drop', () => {
  const x2 = u.map((v, i) => v + 1e-6 * Math.cos(i));
  const out = precisionMessages(gram([u, x2, y]), 2, ['x1', 'x2']);
  assert.equal(out.length, 1);
  assert.match(out[0], /^x2 is nearly .* centre or rescale the variables it is made of .*, or drop a near-duplicate column/);
});

test('precisionMessages(x:f with x = 1e5 + u) advises centring the variables, not the column by a mean', () => {
  const f = u.map((_, i) => (i % 2 === 0 ? 1 : 0)), x = u.map((v) => 1e5 + v);
  const out = precisionMessages(gram([ones, f, x, x.map((v, i) => v * f[i]), y]), 4, ['(Intercept)', 'fb', 'x', 'x:fb']);
  assert.equal(out.length, 2);
  assert.match(out[0], /^x is nearly .* centre it \(e\.g\. x - 1\.00e\+5\)/);
  assert.match(out[1], /^x:fb is nearly .* centre or rescale the variables it is made of/);
});
