import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prelim } from '../../src/optim/bobyqa/prelim.js';
import { type BobyqaState, lagrangeAtStep, modelHessMul } from '../../src/optim/bobyqa/model.js';
import { replacePoint, shiftBase, updateInverse } from '../../src/optim/bobyqa/update.js';

// Checks of the invariants behind BOBYQA's updating (Powell 2004, 2009): the stored
// blocks of H are those of the inverse of W for the current points, and the model
// interpolates f at every point.

/** max |W h_c - e_c| over the columns c of H that are stored (the constant slot solved from row 0). */
function inverseError(s: BobyqaState): number {
  const { n, m, nz, xpt, bmat, zmat } = s;
  const N = m + n + 1;
  const W = new Float64Array(N * N);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      let d = 0;
      for (let i = 0; i < n; i++) d += xpt[a * n + i] * xpt[b * n + i];
      W[a * N + b] = 0.5 * d * d;
    }
    W[m * N + a] = W[a * N + m] = 1;
    for (let i = 0; i < n; i++) W[(m + 1 + i) * N + a] = W[a * N + m + 1 + i] = xpt[a * n + i];
  }
  const omega = (a: number, b: number) => {
    let t = 0;
    for (let j = 0; j < nz; j++) t += zmat[a * nz + j] * zmat[b * nz + j];
    return t;
  };
  let err = 0;
  const check = (col: Float64Array, c: number) => {
    let r0 = 0;
    for (let j = 0; j < N; j++) if (j !== m) r0 += W[j] * col[j];
    col[m] = (c === 0 ? 1 : 0) - r0;
    for (let r = 0; r < N; r++) {
      let v = 0;
      for (let j = 0; j < N; j++) v += W[r * N + j] * col[j];
      err = Math.max(err, Math.abs(v - (r === c ? 1 : 0)));
    }
  };
  for (let k = 0; k < m; k++) {
    const col = new Float64Array(N);
    for (let j = 0; j < m; j++) col[j] = omega(j, k);
    for (let i = 0; i < n; i++) col[m + 1 + i] = bmat[k * n + i];
    check(col, k);
  }
  for (let i = 0; i < n; i++) {
    const col = new Float64Array(N);
    for (let j = 0; j < m; j++) col[j] = bmat[j * n + i];
    for (let l = 0; l < n; l++) col[m + 1 + l] = bmat[(m + l) * n + i];
    check(col, m + 1 + i);
  }
  return err;
}

/** max |Q(y_k) - f_k| */
function interpolationError(s: BobyqaState): number {
  const { n, m } = s;
  let err = 0;
  for (let k = 0; k < m; k++) {
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) d[i] = s.xpt[k * n + i] - s.xopt[i];
    const gd = new Float64Array(n);
    modelHessMul(s, d, gd);
    let q = s.fval[s.kopt];
    for (let i = 0; i < n; i++) q += d[i] * (s.gopt[i] + 0.5 * gd[i]);
    err = Math.max(err, Math.abs(q - s.fval[k]));
  }
  return err;
}

const f = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2 + Math.sin(3 * x[2]) + x[0] * x[2];

function start(m: number): BobyqaState {
  const xl = new Float64Array([-5, -Infinity, 0]);
  const xu = new Float64Array([Infinity, 5, 2]);
  const s = prelim({ xl, xu, m, evaluate: (x) => f(x) }, new Float64Array([-1.2, 1, 0]), 0.2);
  assert.ok(s !== null);
  return s;
}

/** Replaces point t by xopt + d as the main loop does. */
function move(s: BobyqaState, t: number, d: Float64Array): void {
  const { n } = s;
  const lag = lagrangeAtStep(s, d);
  const x = Float64Array.from(d, (di, i) => s.xbase[i] + s.xopt[i] + di);
  const fx = f(x);
  const gd = new Float64Array(n);
  modelHessMul(s, d, gd);
  let vquad = 0;
  for (let i = 0; i < n; i++) vquad += d[i] * (s.gopt[i] + 0.5 * gd[i]);
  assert.ok(updateInverse(s, t, lag.vlag, lag.beta));
  replacePoint(s, t, Float64Array.from(d, (di, i) => s.xopt[i] + di), fx, fx - s.fval[s.kopt] - vquad);
}

for (const m of [7, 5]) {
  test(`prelim(problem, x0, rhobeg) with m = ${m} gives the exact inverse and an interpolating model`, () => {
    const s = start(m);
    assert.ok(inverseError(s) < 1e-12, `H error ${inverseError(s)}`);
    assert.ok(interpolationError(s) < 1e-10);
    // x0[2] = 0 sits on its lower bound: the base is there and the steps go inwards.
    assert.equal(s.sl[2], 0);
    for (let k = 0; k < m; k++) assert.ok(s.xpt[k * 3 + 2] >= 0);
  });

  test(`updateInverse, replacePoint and shiftBase keep H exact and Q interpolating (m = ${m})`, () => {
    const s = start(m);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647 - 0.5;
    };
    for (let it = 0; it < 40; it++) {
      const d = Float64Array.from({ length: 3 }, () => 0.3 * rnd());
      let t = (it * 5) % m;
      if (t === s.kopt) t = (t + 1) % m;
      move(s, t, d);
      if (it % 7 === 6) shiftBase(s);
      assert.ok(inverseError(s) < 1e-7, `step ${it}: H error ${inverseError(s)}`);
      assert.ok(interpolationError(s) < 1e-8, `step ${it}: Q error ${interpolationError(s)}`);
      let best = 0;
      for (let k = 0; k < m; k++) if (s.fval[k] < s.fval[best]) best = k;
      assert.equal(s.fval[s.kopt], s.fval[best]);
      for (let i = 0; i < 3; i++) assert.equal(s.xopt[i], s.xpt[s.kopt * 3 + i]);
    }
  });
}

test('lagrangeAtStep(s, d) gives l_k(xopt + d), which is 1 at its own point and 0 at the others', () => {
  const s = start(7);
  for (let t = 0; t < 7; t++) {
    const d = Float64Array.from({ length: 3 }, (_, i) => s.xpt[t * 3 + i] - s.xopt[i]);
    const { vlag } = lagrangeAtStep(s, d);
    for (let k = 0; k < 7; k++) assert.ok(Math.abs(vlag[k] - (k === t ? 1 : 0)) < 1e-12);
  }
});
