import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hessianVcov, inverseFromFactor, lme4StepMeasures } from '../../src/glmm/vcov.js';
import { near } from './helpers.js';

test('hessianVcov(H, nt, p, scale) is the beta block of 2 H^-1, in beta\'s units', () => {
  // H over (theta, b1, b2), row-major; beta measured in units of 10 and 0.5.
  const H = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
  const v = hessianVcov(H, 1, 2, [10, 0.5])!;
  // inverse of H by cofactors: det = 4(6 - 1) - 1(2 - 0) = 18; [H^-1]_11 = (4*2 - 0) / 18, [H^-1]_12 = -(4*1 - 0) / 18, [H^-1]_22 = (4*3 - 1) / 18.
  near(v[0], 2 * (8 / 18) * 100, 1e-12, 'v11');
  near(v[1], 2 * (-4 / 18) * 5, 1e-12, 'v21');
  near(v[2], v[1], 0, 'symmetric');
  near(v[3], 2 * (11 / 18) * 0.25, 1e-12, 'v22');
  assert.equal(hessianVcov(Float64Array.from([1, 2, 2, 1]), 0, 2, [1, 1]), null);
});

test('inverseFromFactor(p, L) is (L L\')^-1', () => {
  const L = Float64Array.from([2, 1, 0, 3]); // column-major lower: [[2, 0], [1, 3]]
  const v = inverseFromFactor(2, L);
  // L L' = [[4, 2], [2, 10]], inverse = [[10, -2], [-2, 4]] / 36.
  [10 / 36, -2 / 36, -2 / 36, 4 / 36].forEach((x, i) => near(v[i], x, 1e-15, `v[${i}]`));
});

test('lme4StepMeasures(f, diagonal) is false when rounding over lme4\'s step 1e-4 reaches 0.1% of an element', () => {
  // Gamma(log) on sleepstudy: f 1741, H diagonal 183, 1110, 335900: rounding / step^2 = 0.017, measured.
  assert.equal(lme4StepMeasures(1740.8, [183.3, 1109.9, 335900]), true);
  // inverse.gaussian(identity): H_theta,theta 6e-5 at f 1754.
  assert.equal(lme4StepMeasures(1754.2, [6.1e-5, 0.0175, 3.95]), false);
});
