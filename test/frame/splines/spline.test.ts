import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splineBasis, splineColumns, splineSpec } from '../../../src/frame/splines/spline.js';
import { bsplineBasis } from '../../../src/frame/splines/bsplineBasis.js';
import { quantile7 } from '../../../src/frame/splines/quantile.js';
import { MixedModelsError } from '../../../src/errors.js';

const days = Float64Array.from({ length: 180 }, (_, i) => i % 10);
const x6 = Float64Array.from([0.3, 1.7, 2.2, 5, 7.1, 9.9]);

/** Rows of the basis at x, to compare with R's printed matrices. */
function rows(spec: ReturnType<typeof splineSpec>, x: number[]): number[][] {
  const b = splineBasis(spec, Float64Array.from(x));
  const c = splineColumns(spec);
  return x.map((_, i) => Array.from({ length: c }, (_, j) => b[i + j * x.length]));
}

function assertRows(got: number[][], want: number[][], tol: number): void {
  assert.equal(got.length, want.length);
  got.forEach((r, i) => r.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) <= tol, `row ${i + 1} column ${j + 1}: ${v} vs R ${want[i][j]}`)));
}

test('quantile7(x, p) is R\'s quantile type 7', () => {
  // R: quantile(c(0.3, 1.7, 2.2, 5, 7.1, 9.9), c(0.25, 0.5, 0.75)) = 1.825 3.600 6.575
  const q = quantile7(x6, [0.25, 0.5, 0.75]);
  [1.825, 3.6, 6.575].forEach((v, i) => assert.ok(Math.abs(q[i] - v) < 1e-12));
});

test('bsplineBasis(knots, order, x) sums to 1 inside the boundary knots, also at the right end', () => {
  const knots = Float64Array.from([0, 0, 0, 0, 2, 5, 9, 9, 9, 9]);
  for (const x of [0, 1.3, 2, 4.99, 8.7, 9]) {
    const s = bsplineBasis(knots, 4, x).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-14, `x = ${x}: ${s}`);
  }
});

test('splineSpec(ns, Days, df = 3) places R\'s knots and ns basis matches R inside and beyond the boundary', () => {
  const spec = splineSpec('ns', days, { df: 3 }, 'ns(Days, 3)');
  assert.deepEqual(spec.knots, [3, 6]);
  assert.deepEqual(spec.boundary, [0, 9]);
  // R 4.2.2: predict(ns(sleepstudy$Days, 3), c(-1, 0, 2.5, 9, 10.5))
  assertRows(rows(spec, [-1, 0, 2.5, 9, 10.5]), [
    [0.08451543, -0.2535463, 0.1690309],
    [0, 0, 0],
    [-0.07281789, 0.5078055, -0.338537],
    [-0.14285714, 0.4285714, 0.7142857],
    [-0.67857143, 0.5357143, 1.1428571],
  ], 5e-8);
});

test('splineBasis(bs, df = 5) matches R, including its polynomial continuation outside the boundary', () => {
  const spec = splineSpec('bs', days, { df: 5 }, 'bs(Days, df = 5)');
  // R 4.2.2: predict(bs(sleepstudy$Days, df = 5), c(-1, 0, 2.5, 9, 10.5))
  assertRows(rows(spec, [-1, 0, 2.5, 9, 10.5]), [
    [-1.5648148, 0.20061728, -0.00617284, 0, 0],
    [0, 0, 0, 0, 0],
    [0.3877315, 0.51118827, 0.09645062, 0, 0],
    [0, 0, 0, 0, 1],
    [0, -0.02083333, 0.48958333, -2.84375, 3.375],
  ], 5e-8);
});

test('splineBasis(ns, df = 4) and (bs, df = 4, degree = 2) on unevenly spaced x match R', () => {
  // R 4.2.2: ns(x, df = 4); bs(x, df = 4, degree = 2), x = c(0.3, 1.7, 2.2, 5, 7.1, 9.9)
  assertRows(rows(splineSpec('ns', x6, { df: 4 }, 'ns'), Array.from(x6)), [
    [0, 0, 0, 0],
    [0.08689336, -0.1775432, 0.5139409, -0.3363977],
    [0.21232577, -0.1819233, 0.5288623, -0.34616439],
    [0.56831456, 0.3298118, 0.1233228, -0.06550942],
    [0.12977749, 0.5506826, 0.2413891, 0.07815086],
    [0, -0.1460914, 0.4228962, 0.72319522],
  ], 5e-8);
  const bs = splineSpec('bs', x6, { df: 4, degree: 2 }, 'bs');
  assert.ok(Math.abs(bs.knots[0] - 2.033333333333333) < 1e-12 && Math.abs(bs.knots[1] - 5.7) < 1e-12);
  assertRows(rows(bs, Array.from(x6)), [
    [0, 0, 0, 0],
    [0.75361604, 0.2094017, 0, 0],
    [0.61868687, 0.3803501, 0.00096302, 0],
    [0.02474747, 0.6701293, 0.30512327, 0],
    [0, 0.2372881, 0.65160075, 0.1111111],
    [0, 0, 0, 1],
  ], 5e-8);
});

test('splineBasis(spec, x) gives NaN rows for missing x', () => {
  const b = splineBasis(splineSpec('ns', days, { df: 2 }, 'ns'), Float64Array.from([NaN, 1]));
  assert.ok(Number.isNaN(b[0]) && Number.isNaN(b[2]) && Number.isFinite(b[1]));
});

test('splineSpec refuses a constant variable and a df too small for the degree', () => {
  assert.throws(() => splineSpec('ns', new Float64Array(5).fill(2), { df: 3 }, 'ns(x, 3)'), MixedModelsError);
  assert.throws(() => splineSpec('bs', days, { df: 2 }, 'bs(Days, 2)'), /df must be a whole number of at least 3/);
});
