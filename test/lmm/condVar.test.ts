import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmmProblem } from '../../src/lmm/problem.js';
import { condVar } from '../../src/lmm/condVar.js';
import { trsvLower } from '../../src/linalg/trsv.js';
import { cases } from './helpers.js';
import { denseFactor } from './naive.js';

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
