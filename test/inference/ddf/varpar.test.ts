// varpar: the unprofiled deviance D(theta, sigma), its Hessian (exact: analytic in sigma,
// lmm/criterionDerivatives.ts in theta) against central differences of D in all of varpar
// (extrapolated over steps 2e-3 and 1e-3: at 1e-4 rounding in D moves penicillin's H[0, 0] by
// 2e-3 relative), and the Jacobian of vcov(beta) against differences of vcov at shifted parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { parseCsv } from '../../../src/io/csv.js';
import { twoFactorCsv } from '../../lmm/twoFactorData.js';
import { lmmProblem } from '../../../src/lmm/problem.js';
import { fdHessian } from '../../../src/optim/gradient.js';
import { varpar, varparAt, varparDeviance } from '../../../src/inference/ddf/varpar.js';
import { symmetricEigen } from '../../../src/inference/ddf/ddfEigen.js';
import { assertClose, dataFile } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const cases = [
  { name: 'sleepstudy slopes REML', model: () => lmer('Reaction ~ Days + (Days | Subject)', sleep) },
  { name: 'sleepstudy slopes ML', model: () => lmer('Reaction ~ Days + (Days | Subject)', sleep, { REML: false }) },
  { name: 'penicillin crossed', model: () => lmer('diameter ~ 1 + (1 | plate) + (1 | sample)', readCsvFile(dataFile('Penicillin'))) },
  { name: 'scalar first block, vector-valued later block', model: () => lmer('y ~ x + (1 | g) + (1 + x | h)', parseCsv(twoFactorCsv())) },
];

for (const c of cases) {
  test(`varparDeviance(prob, (theta, sigma)) is the fit's criterion at the estimates (${c.name})`, () => {
    const m = c.model();
    const prob = lmmProblem(m.frame, { REML: m.fit.REML });
    assertClose(varparDeviance(prob, [...m.fit.theta, m.fit.sigma]), m.fit.objective, 1e-10, 'deviance');
  });

  test(`varpar(model).hessian agrees with central differences of varparDeviance (${c.name})`, () => {
    const m = c.model();
    const vp = varpar(m);
    const prob = lmmProblem(m.frame, { REML: m.fit.REML });
    const k = vp.k;
    const f = (x: Float64Array) => varparDeviance(prob, x);
    const coarse = fdHessian(f, vp.varpar, 2e-3), fine = fdHessian(f, vp.varpar, 1e-3);
    const H = fine.map((v, e) => (4 * v - coarse[e]) / 3);
    const scale = Math.max(...vp.hessian.map(Math.abs));
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) assertClose(vp.hessian[i + j * k], H[i * k + j], 0, `H[${i}, ${j}]`, 1e-5 * scale);
    }
  });

  test(`varpar(model).jacobian agrees with differences of vcov(beta) (${c.name})`, () => {
    const m = c.model();
    const vp = varpar(m);
    const prob = lmmProblem(m.frame, { REML: m.fit.REML });
    const m1 = vp.k - 1, p = vp.p;
    assert.ok(vp.vcovBeta.every((v, e) => Math.abs(v - m.fit.vcov[e]) <= 1e-8 * Math.abs(m.fit.vcov[e]) + 1e-12), 'vcovBeta = fit.vcov');
    for (let i = 0; i < vp.k; i++) {
      const h = 1e-5;
      const shifted = (s: number) => {
        const x = Float64Array.from(vp.varpar);
        x[i] += s * h;
        return varparAt(prob, x.subarray(0, m1), x[m1]).vcovBeta;
      };
      const up = shifted(1), down = shifted(-1);
      const scale = Math.max(...vp.jacobian[i].map(Math.abs));
      for (let e = 0; e < p * p; e++) assertClose(vp.jacobian[i][e], (up[e] - down[e]) / (2 * h), 0, `dC/dvarpar_${i}[${e}]`, 1e-5 * scale);
    }
  });
}

test('varpar(model).vcovVarpar is 2 H^-1 for a positive definite Hessian', () => {
  const vp = varpar(cases[0].model());
  const k = vp.k;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += vp.hessian[i + l * k] * vp.vcovVarpar[l + j * k];
      assertClose(s, i === j ? 2 : 0, 0, `(H A)[${i}, ${j}]`, 1e-8);
    }
  }
  assert.deepEqual(vp.messages, []);
});

test('varpar(model) is cached per fit', () => {
  const m = cases[0].model();
  assert.equal(varpar(m), varpar(m));
});

test('varpar(model) of a singular fit (theta = 0) still gives a finite Hessian', () => {
  const m = lmer('Yield ~ 1 + (1 | Batch)', readCsvFile(dataFile('Dyestuff2')));
  const vp = varpar(m);
  assert.ok(vp.hessian.every(Number.isFinite));
  assert.ok(vp.vcovVarpar.every(Number.isFinite));
});

test('symmetricEigen(n, A) reconstructs A with orthonormal vectors in decreasing order', () => {
  const n = 4;
  const A = Float64Array.from([4, 1, -2, 0.5, 1, 3, 0, 1, -2, 0, 5, -1, 0.5, 1, -1, 2]);
  const { values, vectors } = symmetricEigen(n, A);
  for (let e = 1; e < n; e++) assert.ok(values[e - 1] >= values[e]);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let a = 0, o = 0;
      for (let e = 0; e < n; e++) {
        a += vectors[i + e * n] * values[e] * vectors[j + e * n];
        o += vectors[e + i * n] * vectors[e + j * n];
      }
      assertClose(a, A[i + j * n], 0, `A[${i}, ${j}]`, 1e-12);
      assertClose(o, i === j ? 1 : 0, 0, `V'V[${i}, ${j}]`, 1e-12);
    }
  }
});
