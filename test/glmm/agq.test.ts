/**
 * Adaptive Gauss-Hermite quadrature on cbpp at lme4's Laplace estimates,
 * against a brute-force integral per group on a fine grid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeFamily } from '../../src/glm/family.js';
import { fitGlmm, glmmProblem, minus2LogLik } from '../../src/glmm/index.js';
import { near, readRef, refFrame } from './helpers.js';
import { buildFrame } from '../../src/api/fit.js';
import { rng } from '../linalg/random.js';

const ref = readRef('cbpp_laplace');
const frame = refFrame('cbpp_laplace');
const theta = [ref.theta as number];
const beta = frame.colnames.map((c) => ref.fixef[c]);

/** -2 log p(y) by the midpoint rule in u on [-12, 12], 24000 cells, per group. */
function gridDeviance(): number {
  const fam = makeFamily('binomial');
  const prob = glmmProblem(frame, fam, { aggregate: false });
  const { y, pw, offset } = prob.resp;
  const refs = frame.reTerms[0].refs, G = frame.reTerms[0].levels.length, n = frame.nobs, p = frame.p;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    f[i] = offset[i];
    for (let t = 0; t < p; t++) f[i] += frame.X[i + t * n] * beta[t];
  }
  const mu0 = new Float64Array(n).fill(0.5);
  const dev0 = y.reduce((s, v, i) => s + fam.devResid(v, mu0[i], pw[i]), 0);
  const constant = minus2LogLik(prob.resp, mu0, dev0) - dev0;
  let total = 0;
  const cells = 24000, h = 24 / cells;
  for (let g = 0; g < G; g++) {
    const terms: number[] = [];
    for (let c = 0; c < cells; c++) {
      const u = -12 + (c + 0.5) * h;
      let d = u * u;
      for (let i = 0; i < n; i++) if (refs[i] === g) d += fam.devResid(y[i], fam.link.linkinv(f[i] + theta[0] * u), pw[i]);
      terms.push(-d / 2);
    }
    const m = Math.max(...terms);
    const s = terms.reduce((a, t) => a + Math.exp(t - m), 0) * h / Math.sqrt(2 * Math.PI);
    total += -2 * (m + Math.log(s));
  }
  return total + constant;
}

const exact = gridDeviance();

test('devfun(theta, beta, nAGQ) approaches the exact integral as nAGQ grows', () => {
  const prob = glmmProblem(frame, makeFamily('binomial'));
  const err = [1, 3, 9, 25].map((k) => Math.abs(prob.devfun(theta, beta, k) - exact));
  assert.ok(err[1] < err[0] && err[2] < err[1], err.join(', '));
  assert.ok(err[3] < 1e-6, `25 points: ${err[3]}`);
});

test('devfun(theta, beta, 1) is the Laplace approximation, and marginal() the exact integral', () => {
  const prob = glmmProblem(frame, makeFamily('binomial'));
  near(prob.devfun(theta, beta, 1), -2 * ref.logLik, 2e-3, 'Laplace = lme4 -2 logLik');
  near(prob.marginal(theta, beta), exact, 1e-6, 'marginal');
});

test('a quadrature fit says that its logLik is the marginal likelihood\'s and gives lme4\'s nAGQ > 1 values beside it', () => {
  // R, lme4 1.1-31: glmer(cbind(incidence, size - incidence) ~ period + (1 | herd), cbpp, binomial, nAGQ = 25):
  // logLik -50.0050152701, AIC 110.0100305402, BIC 120.1367889939 (its criterion without the saturated model's part).
  const ref = readRef('cbpp_agq25');
  const fit = fitGlmm(refFrame('cbpp_agq25'), { family: 'binomial', nAGQ: 25 });
  near(fit.logLik, ref.exact_logLik!, 1e-6, 'marginal logLik');
  const note = fit.diagnostics.find((d) => d.kind === 'note' && /^logLik -91\.983, AIC and BIC are the marginal likelihood's/.test(d.message));
  assert.ok(note !== undefined, fit.messages.join('\n'));
  assert.match(note.message, /lme4's for nAGQ > 1 leave out the saturated model's part of the response's density: logLik -50\.005, AIC 110\.010, BIC 120\.137$/);
  assert.equal(fit.converged, true);
});

test('a quadrature fit of a family with a dispersion parameter quotes no lme4 values: lme4\'s nAGQ > 1 criterion is another one there', () => {
  // R, lme4 1.1-31, on data like these (Gamma(log), 30 groups): nAGQ = 1 theta 0.649, logLik -463.7; nAGQ = 5
  // theta 0.336, logLik -54.2 (its quadrature leaves its own Laplace fit); ours stays by the Laplace fit.
  const r = rng(17), g: string[] = [], x: number[] = [], y: number[] = [];
  for (let i = 0; i < 300; i++) {
    const grp = i % 30, b = 0.6 * Math.sin(grp * 2.3);
    g.push(`g${grp}`);
    x.push((r() + 0.5) * 2);
    const mu = Math.exp(0.9 + 0.4 * x[i] + b);
    // Gamma with shape 5: the mean of five exponentials.
    let s = 0;
    for (let k = 0; k < 5; k++) s -= Math.log(0.5 - r());
    y.push((mu * s) / 5);
  }
  const frame = buildFrame('y ~ x + (1 | g)', { y, x, g }, { family: 'Gamma', link: 'log' } as never);
  const laplace = fitGlmm(frame, { family: 'Gamma', link: 'log' });
  const quad = fitGlmm(frame, { family: 'Gamma', link: 'log', nAGQ: 5 });
  assert.ok(Math.abs(quad.theta[0] - laplace.theta[0]) < 0.05 * laplace.theta[0], `quadrature ${quad.theta[0]} by Laplace ${laplace.theta[0]}`);
  const note = quad.diagnostics.find((d) => d.kind === 'note' && /nAGQ > 1 criterion for the Gamma family/.test(d.message));
  assert.ok(note !== undefined, quad.messages.join('\n'));
  assert.doesNotMatch(quad.messages.join('\n'), /lme4's for nAGQ > 1 leave out/);
});
