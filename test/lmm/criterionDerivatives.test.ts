/**
 * criterionDerivatives' exact first and second derivatives of the criterion's two parts,
 * a(theta) = log|L|^2 (+ log|R_X|^2 for REML) and r(theta) = pwrss, against extrapolated central
 * differences of those parts (steps 2e-3 and 1e-3), at the estimates and at a point away from them:
 * finer than the varpar Hessian's check, whose scale is set by sigma's terms (dropping the fixed
 * effects' rows from r's second derivative moves it by 3e-5 relative on the two-factor model and
 * passes that check, not this one).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer } from '../../src/api/fit.js';
import { parseCsv } from '../../src/io/csv.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { criterionDerivatives } from '../../src/lmm/criterionDerivatives.js';
import { devianceParts } from '../../src/lmm/objective.js';
import { lmmProblem } from '../../src/lmm/problem.js';
import { fdGradient, fdHessian } from '../../src/optim/gradient.js';
import { dataFile } from '../cli/helpers.js';
import { twoFactorCsv } from './twoFactorData.js';

const cases = [
  { name: 'scalar first block, vector-valued later block, REML', formula: 'y ~ x + (1 | g) + (1 + x | h)', data: () => parseCsv(twoFactorCsv()), REML: true },
  { name: 'scalar first block, vector-valued later block, ML', formula: 'y ~ x + (1 | g) + (1 + x | h)', data: () => parseCsv(twoFactorCsv()), REML: false },
  { name: 'sleepstudy slopes, REML', formula: 'Reaction ~ Days + (Days | Subject)', data: () => readCsvFile(dataFile('sleepstudy')), REML: true },
  { name: 'penicillin crossed, REML', formula: 'diameter ~ 1 + (1 | plate) + (1 | sample)', data: () => readCsvFile(dataFile('Penicillin')), REML: true },
];

/** max |x - y| over max |y|. */
function relativeError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0, s = 0;
  for (let e = 0; e < y.length; e++) {
    d = Math.max(d, Math.abs(x[e] - y[e]));
    s = Math.max(s, Math.abs(y[e]));
  }
  return d / s;
}

for (const c of cases) {
  test(`criterionDerivatives(prob, theta): da, dr, d2a, d2r agree with differences of a and r (${c.name})`, () => {
    const m = lmer(c.formula, c.data(), { REML: c.REML });
    const prob = lmmProblem(m.frame, { REML: c.REML });
    const part = (name: 'a' | 'r') => (theta: Float64Array): number => {
      prob.evaluate(theta);
      const d = devianceParts(prob.L);
      return name === 'r' ? d.pwrss : d.ldL2 + (c.REML ? d.ldRX2 : 0);
    };
    // At the estimates, and 10% away from them (the identities hold at any theta).
    for (const theta of [Float64Array.from(m.fit.theta), Float64Array.from(m.fit.theta, (t) => 1.1 * t + 0.05)]) {
      const exact = criterionDerivatives(prob, theta);
      assert.ok(exact !== null, 'exact derivatives exist (no vector-valued term at a bound)');
      const nt = theta.length;
      for (const [name, d1, d2] of [['a', exact.da, exact.d2a], ['r', exact.dr, exact.d2r]] as const) {
        const f = part(name);
        const g1 = fdGradient(f, theta, 1e-3), g2 = fdGradient(f, theta, 2e-3);
        const g = g1.map((v, e) => (4 * v - g2[e]) / 3);
        const h1 = fdHessian(f, theta, 1e-3), h2 = fdHessian(f, theta, 2e-3);
        const H = h1.map((v, e) => (4 * v - h2[e]) / 3);
        const Hcm = Float64Array.from({ length: nt * nt }, (_, e) => H[Math.trunc(e / nt) + (e % nt) * nt]);
        assert.ok(relativeError(d1, g) < 1e-7, `d${name}: relative error ${relativeError(d1, g)}`);
        assert.ok(relativeError(d2, Hcm) < 1e-6, `d2${name}: relative error ${relativeError(d2, Hcm)}`);
      }
    }
  });
}
