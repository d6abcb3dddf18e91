/**
 * The Newton stage of the exact Laplace criterion: the analytic gradients
 * (laplaceGradient.ts, crossedGradient.ts) against central differences of the
 * criterion (step 1e-5, agreement to 1e-5 relative), the analytic Hessian
 * against central differences of the analytic gradient (same step and
 * agreement), newtonMinimize on a known function, and a Newton fit (cbpp with
 * laplace: 'exact'; lme4's criterion differs slightly from the exact one,
 * hence the wider tolerances there).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { toTable } from '../../src/data/index.js';
import { modelFrameFromText } from '../../src/frame/index.js';
import { CrossedGradient } from '../../src/glmm/laplace/crossedGradient.js';
import { fitGlmm, glmmProblem } from '../../src/glmm/index.js';
import { LaplaceGradient } from '../../src/glmm/laplace/laplaceGradient.js';
import { newtonMinimize } from '../../src/glmm/laplace/newton.js';
import type { BlockedPirls } from '../../src/glmm/pirls/pirlsBlocked.js';
import type { ScalarPirls } from '../../src/glmm/pirls/pirlsScalar.js';
import { dataFrame, near, readRef, refFrame } from './helpers.js';

/** Central differences of f at x, step 1e-5. */
function centralDifferences(f: (v: number[]) => number, x: number[]): number[] {
  return x.map((_, j) => {
    const a = x.slice(), b = x.slice();
    a[j] += 1e-5;
    b[j] -= 1e-5;
    return (f(a) - f(b)) / 2e-5;
  });
}

/** Gradient of devfun(., ., 1) at lme4's estimates moved off the optimum, analytic and by central differences. */
function gradients(name: string, make: (prob: ReturnType<typeof glmmProblem>) => { gradient(t: ArrayLike<number>, g: Float64Array): boolean }) {
  const ref = readRef(name);
  const prob = glmmProblem(refFrame(name), makeFamily(ref.family));
  const theta = ([] as number[]).concat(ref.theta).map((t) => 1.1 * t);
  const x = [...theta, ...prob.userFrame.colnames.map((c) => ref.fixef[c] + 0.05)];
  const nt = theta.length;
  const f = (v: number[]) => prob.devfun(v.slice(0, nt), v.slice(nt), 1);
  const fd = centralDifferences(f, x);
  f(x);
  const g = new Float64Array(x.length);
  assert.ok(make(prob).gradient(theta, g));
  return { g, fd };
}

test('LaplaceGradient.gradient(theta, g) is the derivative of the exact Laplace criterion (cbpp)', () => {
  const { g, fd } = gradients('cbpp_laplace', (prob) => new LaplaceGradient(prob.engine as ScalarPirls));
  fd.forEach((v, j) => near(g[j], v, 1e-5 * Math.max(1, Math.abs(v)), `component ${j}`));
});

test('LaplaceGradient.hessian(theta, H) is the derivative of its gradient (cbpp binomial, grouseticks poisson)', () => {
  const cases = [
    { frame: refFrame('cbpp_laplace'), family: 'binomial', theta: 0.7, shift: 0.05 },
    { frame: dataFrame('grouseticks', 'TICKS ~ YEAR + cHEIGHT + (1 | BROOD)', { factors: ['YEAR', 'BROOD'], family: 'poisson' }), family: 'poisson', theta: 1.1, shift: 0.02 },
  ];
  for (const c of cases) {
    const prob = glmmProblem(c.frame, makeFamily(c.family));
    const lg = new LaplaceGradient(prob.engine as ScalarPirls);
    const m = prob.p + 1;
    // Off the optimum: the GLM-like start moved by `shift` in every fixed effect.
    prob.devfun0([c.theta]);
    const x = [c.theta, ...Array.from(prob.engine.beta, (b) => b + c.shift)];
    const gradientAt = (v: number[]) => {
      assert.ok(Number.isFinite(prob.devfun(v.slice(0, 1), v.slice(1), 1)));
      const g = new Float64Array(m);
      assert.ok(lg.gradient(v.slice(0, 1), g));
      return g;
    };
    gradientAt(x);
    const H = new Float64Array(m * m);
    assert.ok(lg.hessian(x.slice(0, 1), H));
    for (let j = 0; j < m; j++) {
      const h = 1e-5 * Math.max(1, Math.abs(x[j]));
      const a = x.slice(), b = x.slice();
      a[j] += h;
      b[j] -= h;
      const ga = gradientAt(a), gb = gradientAt(b);
      for (let r = 0; r < m; r++) {
        const fd = (ga[r] - gb[r]) / (2 * h);
        near(H[r * m + j], fd, 1e-5 * Math.max(1, Math.abs(fd)), `${c.family} H[${r}, ${j}]`);
        assert.equal(H[r * m + j], H[j * m + r], `${c.family} H symmetric at ${r}, ${j}`);
      }
    }
  }
});

test('CrossedGradient.gradient(theta, g) is the derivative of the exact Laplace criterion (VerbAgg, grouseticks)', () => {
  for (const name of ['verbagg_crossed', 'grouseticks_poisson']) {
    const { g, fd } = gradients(name, (prob) => new CrossedGradient(prob.engine as BlockedPirls));
    fd.forEach((v, j) => near(g[j], v, 1e-5 * Math.max(1, Math.abs(v)), `${name} component ${j}`));
  }
});

test('CrossedGradient.gradient on sparse crossed levels, with pairs of levels whose only rows have z = 0 (C12 computed where needed)', () => {
  // Subjects each meeting 5 of the items; the subjects' term is a slope (0 + x | subj) with x = 0 on some rows,
  // so that some pairs' entries of M12 are 0 although a row has them (rowsTimesSymmetric leaves C12 NaN there).
  // 40 items: C22 inverted by solves; 70: by potri.ts.
  for (const [subjects, items] of [[60, 40], [120, 70]]) {
    let seed = 3;
    const rnd = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    const y: number[] = [], x: number[] = [], subj: string[] = [], item: string[] = [];
    for (let s = 0; s < subjects; s++) {
      for (let k = 0; k < 5; k++) {
        const i = Math.floor(rnd() * items), xi = k === 0 ? 0 : rnd() * 2 - 1;
        const eta = 0.3 + 0.8 * xi * (((s * 7) % 11) / 5 - 1) + 0.5 * (((i * 3) % 7) / 3 - 1);
        y.push(rnd() < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
        x.push(xi);
        subj.push(`s${s}`);
        item.push(`i${i}`);
      }
    }
    const prob = glmmProblem(modelFrameFromText('y ~ x + (0 + x | subj) + (1 | item)', toTable({ y, x, subj, item }), { family: 'binomial' }), makeFamily('binomial'));
    const theta = [0.8, 0.6], beta = [0.2, 0.4];
    const f = (v: number[]) => prob.devfun(v.slice(0, 2), v.slice(2), 1);
    const at = [...theta, ...beta];
    const fd = centralDifferences(f, at);
    f(at);
    const g = new Float64Array(4);
    assert.ok(new CrossedGradient(prob.engine as BlockedPirls).gradient(theta, g));
    fd.forEach((v, j) => near(g[j], v, 1e-5 * Math.max(1, Math.abs(v)), `${subjects} x ${items}: component ${j}`));
  }
});

test('CrossedGradient.predictModes(theta, beta) starts PIRLS at the first-order prediction of the modes (VerbAgg, grouseticks, three factors)', () => {
  const fromRef = (name: string) => {
    const ref = readRef(name);
    const prob = glmmProblem(refFrame(name), makeFamily(ref.family));
    return { name, prob, theta: ([] as number[]).concat(ref.theta), beta: prob.userFrame.colnames.map((c) => ref.fixef[c]) };
  };
  // Three factors (an observation-level effect, as often with counts): the general pass, not the two-factor one.
  const three = glmmProblem(
    dataFrame('grouseticks', 'TICKS ~ YEAR + cHEIGHT + (1 | INDEX) + (1 | BROOD) + (1 | LOCATION)', { factors: ['INDEX', 'YEAR', 'BROOD', 'LOCATION'], family: 'poisson' }),
    makeFamily('poisson'),
  );
  const cases = [fromRef('verbagg_crossed'), fromRef('grouseticks_poisson'), { name: 'grouseticks, three factors', prob: three, theta: [0.4, 0.7, 0.5], beta: [0.4, 1.1, -1, -0.02] }];
  for (const { name, prob, theta, beta } of cases) {
    const engine = prob.engine as BlockedPirls, d = new CrossedGradient(engine);
    const moved = theta.map((t) => 1.02 * t), shifted = beta.map((b) => b + 0.01);
    // The converged modes at the moved point, and the plain warm start's (the effects b = theta u kept).
    prob.devfun(moved, shifted, 1);
    const target = engine.u.slice();
    prob.devfun(theta, beta, 1);
    const plain = Float64Array.from(engine.u, (v) => v / 1.02);
    const g = new Float64Array(theta.length + beta.length);
    assert.ok(d.gradient(theta, g));
    d.predictModes(moved, shifted);
    const predicted = engine.u.slice();
    const gap = (a: Float64Array) => Math.max(...a.map((v, e) => Math.abs(v - target[e])));
    assert.ok(gap(predicted) < 0.05 * gap(plain), `${name}: prediction ${gap(predicted)} against the warm start's ${gap(plain)}`);
    // The run from the prediction converges to the same modes and criterion.
    const f = prob.devfun(moved, shifted, 1);
    assert.ok(gap(engine.u) < 1e-8, `${name}: modes after the run ${gap(engine.u)}`);
    near(f, prob.devfun(moved, shifted, 1), 1e-9, `${name}: criterion`);
    // Once the engine has run since the gradient, no prediction is made.
    const before = engine.u.slice();
    d.predictModes(theta, beta);
    assert.deepEqual(Array.from(engine.u), Array.from(before), `${name}: no prediction from a stale state`);
  }
});

test('newtonMinimize(fg, x0) finds the minimum of the Rosenbrock function and its Hessian', () => {
  const fg = (x: Float64Array, g: Float64Array | null) => {
    const [a, b] = x;
    if (g !== null) {
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
    }
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const r = newtonMinimize(fg, [-1.2, 1], { maxMove: [1, 1] });
  assert.ok(r.converged, r.message);
  near(r.x[0], 1, 1e-6, 'x');
  near(r.x[1], 1, 1e-6, 'y');
  // Hessian at (1, 1): [[802, -400], [-400, 200]]
  near(r.hessian[0], 802, 0.5, 'H11');
  near(r.hessian[1], -400, 0.5, 'H12');
  near(r.hessian[3], 200, 0.5, 'H22');
});

test('newtonMinimize(fg, x0, { hessian }) takes Newton steps with the exact Hessian and returns it', () => {
  let at = new Float64Array(2);
  const fg = (x: Float64Array, g: Float64Array | null) => {
    at = x.slice();
    const [a, b] = x;
    if (g !== null) {
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
    }
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const hessian = (H: Float64Array) => {
    const [a, b] = at;
    H[0] = 2 - 400 * (b - a * a) + 800 * a * a;
    H[1] = H[2] = -400 * a;
    H[3] = 200;
    return true;
  };
  const plain = newtonMinimize(fg, [-1.2, 1], { maxMove: [1, 1] });
  const exact = newtonMinimize(fg, [-1.2, 1], { maxMove: [1, 1], hessian });
  assert.ok(exact.converged, exact.message);
  near(exact.x[0], 1, 1e-5, 'x');
  near(exact.x[1], 1, 1e-5, 'y');
  assert.ok(exact.evaluations < plain.evaluations, `${exact.evaluations} evaluations with the Hessian, ${plain.evaluations} without`);
  // The exact Hessian at the end point (not differences), near [[802, -400], [-400, 200]] at (1, 1).
  at = exact.x.slice();
  const H = new Float64Array(4);
  hessian(H);
  assert.deepEqual(Array.from(exact.hessian), Array.from(H));
  near(exact.hessian[0], 802, 0.01, 'H11');
});

test("fitGlmm(cbpp, laplace: 'exact') runs Newton to a zero gradient, next to lme4's estimates", () => {
  const newton = fitGlmm(refFrame('cbpp_laplace'), { family: 'binomial', laplace: 'exact' });
  assert.equal(newton.optsummary.stages[1].optimizer, 'newton');
  const g = newton.optsummary.derivatives!.gradient;
  g.forEach((v, j) => assert.ok(Math.abs(v) < 1e-4, `gradient ${j} = ${v}`));
  const ref = readRef('cbpp_laplace');
  near(newton.logLik, ref.logLik, 0.01, 'logLik');
  newton.coefnames.forEach((c, j) => near(newton.se[j], ref.fixef_se[c], 0.02 * ref.fixef_se[c], `se ${c}`));
});
