import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trsbox, type TrustRegionProblem } from '../../src/optim/bobyqa/trsbox.js';

function problem(G: number[][], g: number[], xopt: number[], sl: number[], su: number[]): TrustRegionProblem {
  const n = g.length;
  return {
    xopt: Float64Array.from(xopt),
    gopt: Float64Array.from(g),
    sl: Float64Array.from(sl),
    su: Float64Array.from(su),
    hessMul: (v, out) => {
      for (let i = 0; i < n; i++) out[i] = G[i].reduce((s, gij, j) => s + gij * v[j], 0);
    },
  };
}

function q(G: number[][], g: number[], d: ArrayLike<number>): number {
  let v = 0;
  for (let i = 0; i < g.length; i++) {
    v += g[i] * d[i];
    for (let j = 0; j < g.length; j++) v += 0.5 * d[i] * G[i][j] * d[j];
  }
  return v;
}

const I2 = [[1, 0], [0, 1]];
const inf = Infinity;

test('trsbox(p, delta) takes the Newton step when it lies inside the trust region', () => {
  const G = [[2, 1], [1, 3]];
  const p = problem(G, [-1, -2], [0, 0], [-inf, -inf], [inf, inf]);
  const { d, crvmin } = trsbox(p, 10);
  // Newton step solves G d = -g: d = (1/5, 3/5).
  assert.ok(Math.abs(d[0] - 0.2) < 1e-12 && Math.abs(d[1] - 0.6) < 1e-12, `d = ${d}`);
  assert.ok(crvmin > 0);
});

test('trsbox(p, delta) stops on the trust region boundary and reports crvmin 0', () => {
  const p = problem(I2, [-4, 0], [0, 0], [-inf, -inf], [inf, inf]);
  const { d, dsq, crvmin } = trsbox(p, 1);
  assert.ok(Math.abs(d[0] - 1) < 1e-12 && d[1] === 0);
  assert.ok(Math.abs(dsq - 1) < 1e-12);
  assert.equal(crvmin, 0);
});

test('trsbox(p, delta) fixes a variable at the bound it reaches, exactly', () => {
  // Minimise -2 d0 - d1 + |d|^2 / 2 with d0 <= 0.5, |d| <= 1: d = (0.5, sqrt(0.75)).
  const p = problem(I2, [-2, -1], [0, 0], [-inf, -inf], [0.5, inf]);
  const { d } = trsbox(p, 1);
  assert.equal(d[0], 0.5);
  assert.ok(Math.abs(d[1] - Math.sqrt(0.75)) < 1e-9, `d = ${d}`);
});

test('trsbox(p, delta) leaves a variable on its bound when the gradient pushes outwards', () => {
  const p = problem(I2, [3, -1], [0, 0], [0, -inf], [inf, inf]);
  const { d } = trsbox(p, 5);
  assert.equal(d[0], 0);
  assert.ok(Math.abs(d[1] - 1) < 1e-12);
});

test('trsbox(p, delta) follows negative curvature to the boundary', () => {
  const p = problem([[-1, 0], [0, 1]], [0.1, 0], [0, 0], [-inf, -inf], [inf, inf]);
  const { d } = trsbox(p, 2);
  assert.ok(Math.abs(d[0] + 2) < 1e-9 && Math.abs(d[1]) < 1e-9, `d = ${d}`);
});

test('trsbox(p, delta) rotates around the boundary towards the solution of the subproblem', () => {
  // Ill-conditioned G: CG reaches the boundary early, the arc phase must improve it.
  const G = [[1, 0, 0], [0, 10, 0], [0, 0, 100]];
  const g = [-1, -10, -100];
  const p = problem(G, g, [0, 0, 0], [-inf, -inf, -inf], [inf, inf, inf]);
  const { d } = trsbox(p, 0.5);
  // The exact solution (G + lambda I) d = -g with |d| = 0.5 gives q about -30.6;
  // check we are within 1% of a dense search over the sphere.
  let best = 0;
  for (let a = 0; a < 400; a++) {
    for (let b = 0; b < 200; b++) {
      const th = (2 * Math.PI * a) / 400;
      const ph = (Math.PI * b) / 200;
      const v = [Math.sin(ph) * Math.cos(th), Math.sin(ph) * Math.sin(th), Math.cos(ph)].map((x) => 0.5 * x);
      best = Math.min(best, q(G, g, v));
    }
  }
  assert.ok(q(G, g, d) <= 0.99 * best, `q(d) = ${q(G, g, d)}, best ${best}`);
});

test('trsbox(p, delta) always returns a feasible step that does not increase Q', () => {
  let seed = 3;
  const rnd = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647 - 0.5;
  };
  for (let trial = 0; trial < 200; trial++) {
    const n = 1 + (trial % 5);
    const A = Array.from({ length: n }, () => Array.from({ length: n }, rnd));
    const G = A.map((row, i) => row.map((_, j) => A[i][j] + A[j][i]));
    const g = Array.from({ length: n }, rnd);
    const xopt = Array.from({ length: n }, rnd);
    const sl = xopt.map((x, i) => (i % 3 === 0 ? -inf : Math.min(x, x - Math.abs(rnd()) * (trial % 2))));
    const su = xopt.map((x) => x + Math.abs(rnd()));
    const delta = 0.1 + Math.abs(rnd());
    const { d, dsq } = trsbox(problem(G, g, xopt, sl, su), delta);
    for (let i = 0; i < n; i++) {
      assert.ok(xopt[i] + d[i] >= sl[i] && xopt[i] + d[i] <= su[i], `trial ${trial} leaves the box`);
    }
    assert.ok(dsq <= delta * delta * (1 + 1e-10), `trial ${trial}: |d| = ${Math.sqrt(dsq)} > ${delta}`);
    assert.ok(q(G, g, d) <= 1e-14, `trial ${trial}: Q increased`);
  }
});
