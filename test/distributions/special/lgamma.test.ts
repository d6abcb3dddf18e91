// lgamma(x) against R 4.2.2's lgamma(x), printed with sprintf("%.17g"): bit for bit above 10.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lgamma } from '../../../src/distributions/special/lgamma.js';
import { checkGrid } from '../rGrid.js';

test('lgamma(x) equals R\'s lgammafn bit for bit for x > 10', () => {
  const r: [number, number][] = [
    [76.5, 254.05412415488834], [21, 42.335616460753485], [105, 382.25858877305996], [10.5, 13.940625219403763],
    [12.3456, 18.351630316945858], [500.25, 2606.669314855113], [10.25, 13.368023671476047], [11, 15.104412573075519],
    [15.75, 27.216044398727206], [33.3, 82.603723581654933], [1000.5, 5908.6741758486778], [2500, 17057.121976001839],
    [12500.5, 105419.46797632978],
  ];
  for (const [x, expected] of r) assert.equal(lgamma(x), expected, `lgamma(${x})`);
});

test('lgamma(x) for small x is log Gamma to 1e-14', () => {
  assert.ok(Math.abs(lgamma(1)) < 1e-15);
  assert.ok(Math.abs(lgamma(5) - Math.log(24)) < 1e-14);
  assert.ok(Math.abs(lgamma(0.5) - 0.5 * Math.log(Math.PI)) < 1e-14);
});

test('lgamma(x) matches R\'s lgamma on a grid from 1e-300 to 1e20 to 1e-15', () => {
  // r-grid.json "lgamma" (r-grid.R); below 10 through R's Chebyshev series for Gamma, as R.
  checkGrid('lgamma', 1, lgamma, () => 1e-15);
});

test('lgamma(x) at 0, below 0 and for NaN', () => {
  assert.equal(lgamma(0), Infinity);
  assert.ok(Number.isNaN(lgamma(-1)));
  assert.ok(Number.isNaN(lgamma(NaN)));
  assert.equal(lgamma(Infinity), Infinity);
});
