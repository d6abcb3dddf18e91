import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame } from '../../src/api/fit.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { condVar } from '../../src/lmm/condVar.js';
import { invalidateInverse, trailingInverse } from '../../src/lmm/gradient.js';
import { trsvLower } from '../../src/linalg/trsv.js';
import { cases } from './helpers.js';
import { denseFactor } from './naive.js';
import { rng } from '../linalg/random.js';

// Reference: diag of sigma^2 theta^2 (L_Z L_Z')^{-1} from the dense factor (test/lmm/naive.ts),
// as ||L_Z^{-1} e_i||^2, for scalar terms on crossed and nested factors.
for (const [name, theta] of [['penicillin_crossed', [1.5, 3.5]], ['pastes_nested', [3.5, 1.6]]] as const) {
  test(`condVar(L, A, lambda, sigma) matches a dense inverse for ${name}`, () => {
    const frame = cases[name]();
    const prob = lmmProblem(frame, { REML: true });
    prob.evaluate(theta);
    const sigma = 0.7;
    const cv = condVar(prob.L, prob.A, prob.lambda, sigma);
    const dense = denseFactor(frame, [...theta]);
    let col = 0;
    frame.reTerms.forEach((t, j) => {
      for (let lev = 0; lev < t.levels.length; lev++, col++) {
        const e = new Float64Array(dense.q);
        e[col] = 1;
        trsvLower(dense.q, dense.L, 0, dense.size, e, 0);
        const want = sigma * sigma * theta[j] * theta[j] * e.reduce((s, v) => s + v * v, 0);
        assert.ok(Math.abs(cv[j][lev] - want) < 1e-10 * Math.max(1, want), `${t.group} ${lev}: ${cv[j][lev]} vs ${want}`);
      }
    });
  });
}

/** Crossed factors a (40 levels) and b (5) on 400 rows with a covariate x (seeded; test/linalg/random.ts). */
function crossedWithCovariate(x: (b: number, r: () => number) => number): ReturnType<typeof buildFrame> {
  const r = rng(3), a: string[] = [], b: string[] = [], xs: number[] = [], y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const bi = i % 5;
    a.push(`a${Math.floor((r() + 0.5) * 40)}`);
    b.push(`b${bi}`);
    xs.push(x(bi, r));
    y.push(r() + bi);
  }
  return buildFrame('y ~ x + (1 | a) + (1 | b)', { y, x: xs, a, b });
}

/** Largest relative difference between two condVar results. */
function maxRelative(a: Float64Array[], b: Float64Array[]): number {
  let worst = 0;
  a.forEach((v, j) => v.forEach((x, i) => { worst = Math.max(worst, Math.abs(x - b[j][i]) / Math.abs(x)); }));
  return worst;
}

test('condVar(L, A, lambda, sigma, workspace) takes V from the trailing inverse and matches the direct inverse (REML and ML)', () => {
  const frames = { penicillin: cases.penicillin_crossed(), covariate: crossedWithCovariate((b, r) => (b === 0 ? 1 : 0) + 0.01 * r()) };
  for (const [name, frame] of Object.entries(frames)) {
    for (const REML of [true, false]) {
      const prob = lmmProblem(frame, { REML });
      prob.evaluate([0.8, 1.5]);
      const ws = prob.workspace!();
      const direct = condVar(prob.L, prob.A, prob.lambda, 0.7);
      const shared = condVar(prob.L, prob.A, prob.lambda, 0.7, ws);
      assert.ok(ws.inverseAt !== null, `${name}, REML ${REML}: the trailing inverse is kept (no direct potri)`);
      assert.ok(maxRelative(direct, shared) < 1e-12, `${name}, REML ${REML}: ${maxRelative(direct, shared)}`);
    }
  }
});

test('condVar(..., workspace) keeps its digits and the trailing inverse where V taken back out of W would cancel', () => {
  // x nearly constant within b (1000 + 0.001 b): L_X is ill-conditioned, and V = W_ZZ - G G' lost
  // about 8 digits here; the workspace forms W from V instead (gradient.ts inverseFromZBlock). Five
  // levels of b take potri's JavaScript path, 80 its WebAssembly module (order >= 65).
  for (const levels of [5, 80]) {
    const r = rng(5), a: string[] = [], b: string[] = [], xs: number[] = [], y: number[] = [];
    for (let i = 0; i < 30 * levels; i++) {
      const bi = i % levels;
      a.push(`a${Math.floor(r() * 150)}`);
      b.push(`b${bi}`);
      xs.push(1000 + 0.001 * bi);
      y.push(r() + 0.1 * bi);
    }
    const frame = buildFrame('y ~ x + (1 | a) + (1 | b)', { y, x: xs, a, b });
    const prob = lmmProblem(frame, { REML: true });
    prob.evaluate([0.8, 1]);
    const ws = prob.workspace!();
    const direct = condVar(prob.L, prob.A, prob.lambda, 1);
    const shared = condVar(prob.L, prob.A, prob.lambda, 1, ws);
    assert.ok(maxRelative(direct, shared) < 1e-12, `${levels} levels of b: ${maxRelative(direct, shared)}`);
    assert.ok(ws.inverseAt !== null && ws.vValid, `${levels} levels of b: the trailing inverse and V are kept`);
    const kept = ws.W.slice();
    invalidateInverse(ws);
    assert.ok(trailingInverse(ws, prob.L, true, prob.lambda), 'formed again');
    assert.ok(kept.every((v, i) => Object.is(v, ws.W[i])), 'the kept W is the trailing inverse to the bit');
  }
});
