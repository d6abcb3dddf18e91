// printCoefmat() and format.pval() against R 4.2.2: the expected lines are R's own output for the
// same matrices (printed with printCoefmat(x, digits = 4), shown beside each test), format.pval
// cases from test/fixtures/r/rformat.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefmat, formatPval, printCoefmat, stars } from '../../../src/report/r/printCoefmat.js';
import { R } from './rformat.js';

const COLS = ['Estimate', 'Std. Error', 't value', 'Pr(>|t|)'];

test('printCoefmat(coefmat(x)) prints a coefficient matrix as R does: shared decimals, NA rows, stars and legend', () => {
  // R: x <- cbind(Estimate = c(251.405, 10.467, 1e-6, NA), `Std. Error` = c(6.825, 1.546, 2e-7, NA),
  //   `t value` = c(36.838, 6.771, 5, NA), `Pr(>|t|)` = c(1e-20, 3.26e-6, 0.2, NA)); printCoefmat(x, digits = 4)
  const x = [[251.405, 6.825, 36.838, 1e-20], [10.467, 1.546, 6.771, 3.26e-6], [1e-6, 2e-7, 5, 0.2], [null, null, null, null]];
  const t = coefmat(x, COLS, ['(Intercept)', 'Days', 'tiny', 'aliased'], { digits: 4, cs: [0, 1], tst: [2], hasP: true });
  assert.deepEqual(printCoefmat(t), [
    '             Estimate Std. Error t value Pr(>|t|)',
    '(Intercept) 2.514e+02  6.825e+00  36.838  < 2e-16 ***',
    'Days        1.047e+01  1.546e+00   6.771 3.26e-06 ***',
    'tiny        1.000e-06  2.000e-07   5.000      0.2',
    'aliased            NA         NA      NA       NA',
    '---',
    'Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1',
  ]);
});

test('printCoefmat(coefmat(x)) leaves out stars and legend when no p-value is below 0.1', () => {
  // R: y <- cbind(Estimate = c(1.5, -2.25), `Std. Error` = c(0.5, 0.75), `z value` = c(3, -3), `Pr(>|z|)` = c(0.2, 0.5))
  const t = coefmat([[1.5, 0.5, 3, 0.2], [-2.25, 0.75, -3, 0.5]], ['Estimate', 'Std. Error', 'z value', 'Pr(>|z|)'], ['a', 'b'], { digits: 4, cs: [0, 1], tst: [2], hasP: true });
  assert.deepEqual(printCoefmat(t), ['  Estimate Std. Error z value Pr(>|z|)', 'a     1.50       0.50       3      0.2', 'b    -2.25       0.75      -3      0.5']);
  assert.equal(t.legend, false);
});

test('formatPval(p, digits) is format.pval(p, digits, eps = .Machine$double.eps)', () => {
  for (const c of R.formatPval) {
    assert.deepEqual(formatPval(c.p, 3), c.d3, `format.pval(${JSON.stringify(c.p)}, 3)`);
    assert.deepEqual(formatPval(c.p, 4), c.d4, `format.pval(${JSON.stringify(c.p)}, 4)`);
  }
});

test('stars(p) uses intervals closed on the right, as symnum', () => {
  assert.deepEqual([0, 0.001, 0.0011, 0.01, 0.05, 0.1, 0.11].map(stars), ['***', '***', '**', '**', '*', '.', ' ']);
});
