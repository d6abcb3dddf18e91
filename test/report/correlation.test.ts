// cov2cor and lme4's printing rule for the correlation of the fixed effects
// (print.summary.merMod: shown for 1 < p <= 12, labels abbreviated to 11 and 6 characters).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { correlationJson, correlationPieces, cov2cor } from '../../src/report/correlation.js';
import { renderPieces } from '../../src/report/printout.js';

test('cov2cor(V, p) divides by the standard deviations and puts exact ones on the diagonal', () => {
  const r = cov2cor([4, -1.2, -1.2, 9], 2);
  assert.deepEqual(Array.from(r), [1, -1.2 / 6, -1.2 / 6, 1]);
});

test('correlationJson(names, r) is a matrix keyed by term, null where undefined', () => {
  assert.deepEqual(correlationJson(['(Intercept)', 'x'], [1, 0.5, 0.5, 1]), { '(Intercept)': { '(Intercept)': 1, x: 0.5 }, x: { '(Intercept)': 0.5, x: 1 } });
  assert.deepEqual(correlationJson(['a', 'b'], [1, NaN, NaN, 1]).a, { a: 1, b: null });
});

test('correlationPieces prints nothing for one coefficient and the lower triangle for two to twelve', () => {
  assert.deepEqual(correlationPieces(['(Intercept)'], [1]), []);
  const names = ['(Intercept)', 'period2', 'period3', 'period4'];
  const r = [1, -0.363, -0.34, -0.26, -0.363, 1, 0.28, 0.213, -0.34, 0.28, 1, 0.198, -0.26, 0.213, 0.198, 1];
  // R (cbpp GLMM): the block exactly as print.summary.merMod prints it
  assert.equal(renderPieces(correlationPieces(names, r), 'text'), [
    '',
    'Correlation of Fixed Effects:',
    '        (Intr) perid2 perid3',
    'period2 -0.363',
    'period3 -0.340  0.280',
    'period4 -0.260  0.213  0.198',
  ].join('\n') + '\n');
});

test('correlationPieces says the matrix is not shown for p > 12, unless asked, and hides it on request', () => {
  const names = Array.from({ length: 13 }, (_, i) => `x${i}`);
  const eye = Array.from({ length: 169 }, (_, k) => (k % 14 === 0 ? 1 : 0));
  assert.deepEqual(correlationPieces(names, eye).slice(1, 2), ['Correlation matrix not shown by default, as p = 13 > 12.']);
  assert.equal(correlationPieces(names, eye, true)[1], 'Correlation of Fixed Effects:');
  assert.deepEqual(correlationPieces(names.slice(0, 3), eye, false), []);
});
