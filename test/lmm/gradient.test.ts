import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame } from '../../src/api/fit.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { assembleTrailing, invalidateInverse, trailingInverse } from '../../src/lmm/gradient.js';
import { cases } from './helpers.js';
import { potriLower } from '../../src/linalg/potri.js';
import { rng } from '../linalg/random.js';

/** Central differences with step h (error O(h^2) times the third derivative). */
function centralGradient(f: (x: number[]) => number, x: number[], h: number): number[] {
  return x.map((_, i) => {
    const a = x.slice(), b = x.slice();
    a[i] += h;
    b[i] -= h;
    return (f(a) - f(b)) / (2 * h);
  });
}

/** Points away from the optimum, inside the bounds (diagonal > 0). */
function probePoints(theta0: Float64Array, lower: Float64Array): number[][] {
  const a = Array.from(theta0, (t, i) => (lower[i] === 0 ? 0.7 + 0.1 * i : 0.3 - 0.2 * i));
  const b = Array.from(theta0, (t, i) => (lower[i] === 0 ? 1.6 - 0.2 * i : -0.4));
  return [Array.from(theta0), a, b];
}

for (const name of Object.keys(cases)) {
  for (const REML of [true, false]) {
    test(`lmmProblem(${name}, REML ${REML}).gradient(theta) matches central differences to 1e-5 relative`, () => {
      const prob = lmmProblem(cases[name](), { REML });
      const g = new Float64Array(prob.theta0.length);
      for (const x of probePoints(prob.theta0, prob.lower)) {
        assert.ok(prob.gradient!(x, g));
        const fd = centralGradient((y) => prob.evaluate(y), x, 1e-5);
        const scale = Math.max(1, ...fd.map(Math.abs));
        fd.forEach((v, i) => assert.ok(Math.abs(g[i] - v) / scale < 1e-5, `theta ${x}: component ${i} ${g[i]} vs ${v}`));
      }
    });
  }
}

test('lmmProblem(frame with weights and offset).gradient(theta) matches central differences', () => {
  const frame = cases.sleepstudy_slopes_reml();
  const weights = Float64Array.from({ length: frame.nobs }, (_, i) => 0.5 + (i % 7) / 4);
  const offset = Float64Array.from({ length: frame.nobs }, (_, i) => (i % 5) * 3);
  const prob = lmmProblem({ ...frame, weights, offset }, { REML: true });
  const x = [0.8, 0.1, 0.3];
  const g = new Float64Array(3);
  assert.ok(prob.gradient!(x, g));
  const fd = centralGradient((y) => prob.evaluate(y), x, 1e-5);
  fd.forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-5 * Math.max(1, Math.abs(v)), `${g[i]} vs ${v}`));
});

test('lmmProblem(dyestuff).gradient([0]) is 0: the criterion is even in a scalar theta', () => {
  const prob = lmmProblem(cases.dyestuff_reml(), { REML: true });
  const g = new Float64Array(1);
  assert.ok(prob.gradient!([0], g));
  assert.equal(g[0], 0);
});

test('lmmProblem(sleepstudy).gradient(theta) is unavailable when a vector-valued term has a zero diagonal', () => {
  const prob = lmmProblem(cases.sleepstudy_slopes_reml(), { REML: true });
  assert.equal(prob.gradient!([1, 0.2, 0], new Float64Array(3)), false);
});


// A scalar first block (30 levels) with a vector-valued later block (6 levels): before the
// fix of scalarPattern (gradient.ts) the first component ignored the later block's second
// column and the fit stopped where it was 0.31 (issue 12's silent wrong answers).
test('lmmProblem(y ~ x + (1 | a) + (x | b)).gradient(theta) matches central differences when a later block is vector-valued', () => {
  const n = 240;
  const a = Array.from({ length: n }, (_, i) => `a${i % 30}`), b = Array.from({ length: n }, (_, i) => `b${(i * 7) % 6}`);
  const x = Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 2);
  const y = x.map((v, i) => 3 + v + Math.cos(i % 30) + (1 + Math.sin((i * 7) % 6)) * v + Math.sin(i * 2.1));
  const frame = buildFrame('y ~ x + (1 | a) + (x | b)', { y, x, a, b });
  for (const REML of [true, false]) {
    const prob = lmmProblem(frame, { REML });
    assert.equal(prob.factors[0].k, 1);
    assert.equal(prob.factors[1].k, 2);
    const g = new Float64Array(4);
    for (const th of [[0.8, 0.5, 0.2, 0.4], [1.3, 1.1, -0.3, 0.7]]) {
      assert.ok(prob.gradient!(th, g));
      const fd = centralGradient((t) => prob.evaluate(t), th, 1e-5);
      fd.forEach((v, i) => assert.ok(Math.abs(g[i] - v) < 1e-5 * Math.max(1, Math.abs(v)), `REML ${REML}, theta ${th}: component ${i} ${g[i]} vs ${v}`));
    }
  }
});

test('trailingInverse(ws, L, REML, lambda) keeps W while the Lambda blocks are the same, and forms it anew when they change', () => {
  const frame = cases.penicillin_crossed();
  const prob = lmmProblem(frame, { REML: true });
  const ws = prob.workspace!();
  prob.evaluate([1.5, 3.5]);
  assert.equal(trailingInverse(ws, prob.L, true, prob.lambda), true);
  const first = ws.W.slice();
  prob.evaluate([1.5, 3.5]);
  assert.equal(trailingInverse(ws, prob.L, true, prob.lambda), false);
  assert.deepEqual(ws.W, first);
  prob.evaluate([1.2, 3.5]);
  assert.equal(trailingInverse(ws, prob.L, true, prob.lambda), true);
  const other = ws.W.slice();
  invalidateInverse(ws);
  prob.evaluate([1.2, 3.5]);
  assert.equal(trailingInverse(ws, prob.L, true, prob.lambda), true, 'formed again after invalidateInverse');
  assert.deepEqual(ws.W, other);
});

test('trailingInverse(ws, L, true, lambda) gives (L_T L_T\')^{-1} and keeps V = (D D\')^{-1} of the random-effects part', () => {
  // Against potri of L_T (the trailing factor: the Z columns of the later blocks, then the rows of
  // X; assembleTrailing) and of D, its random-effects part: with a covariate nearly constant
  // within the levels of b (ill-conditioned L_X) and without; b with 6 and with 70 levels
  // (potri's JavaScript path and its WebAssembly module).
  for (const levels of [6, 70]) {
    for (const spread of [1, 0.001]) {
      const r = rng(11), a: string[] = [], b: string[] = [], x: number[] = [], y: number[] = [];
      for (let i = 0; i < 25 * levels; i++) {
        const bi = i % levels;
        a.push(`a${Math.floor(r() * 60)}`);
        b.push(`b${bi}`);
        x.push(spread === 1 ? r() : 1000 + spread * bi);
        y.push(r() + 0.1 * bi);
      }
      const frame = buildFrame('y ~ x + (1 | a) + (1 | b)', { y, x, a, b });
      const prob = lmmProblem(frame, { REML: true });
      prob.evaluate([0.9, 1.3]);
      const ws = prob.workspace!(), nR = ws.nR, qR = ws.offX;
      assembleTrailing(ws, prob.L, true);
      const lt = ws.R.slice();
      const want = new Float64Array(nR * nR), wantV = new Float64Array(qR * qR);
      potriLower(nR, lt, 0, nR, want, new Float64Array(nR * nR));
      potriLower(qR, lt, 0, nR, wantV, new Float64Array(qR * qR));
      assert.ok(trailingInverse(ws, prob.L, true, prob.lambda));
      assert.ok(ws.vValid, 'V is kept');
      const worst = (got: Float64Array, ref: Float64Array, n: number, ld: number) => {
        let err = 0, size = 0;
        for (let c = 0; c < n; c++) for (let i = c; i < n; i++) {
          err = Math.max(err, Math.abs(got[i + c * ld] - ref[i + c * n]));
          size = Math.max(size, Math.abs(ref[i + c * n]));
        }
        return err / size;
      };
      const label = `${levels} levels, spread ${spread}`;
      assert.ok(worst(ws.W, want, nR, nR) < 1e-10, `${label}: W ${worst(ws.W, want, nR, nR)}`);
      assert.ok(worst(ws.X, wantV, qR, qR) < 1e-12, `${label}: V ${worst(ws.X, wantV, qR, qR)}`);
    }
  }
});
