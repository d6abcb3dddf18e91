// The public entry points: glmnet at lambda = 0 is glm (a property test over random data), the KKT
// conditions hold at every lambda, predictions on new data code levels as the fit did.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { glm } from '../../src/api/fit.js';
import { cvGlmnet, glmnet, glmnetCoefficients, predictGlmnet } from '../../src/glmnet/glmnet.js';
import { readData } from './helpers.js';

/** A small deterministic data set: n rows, p numeric predictors, a response of the family. */
function simulate(seed: number, n: number, p: number, family: string): Record<string, number[]> {
  let s = seed >>> 0 || 1;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 4294967296;
  const normal = () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  const cols: Record<string, number[]> = {};
  for (let j = 1; j <= p; j++) cols[`x${j}`] = Array.from({ length: n }, normal);
  const eta = Array.from({ length: n }, (_, i) => 0.3 + Array.from({ length: p }, (__, j) => (j % 2 ? -0.4 : 0.5) * cols[`x${j + 1}`][i]).reduce((a, b) => a + b, 0));
  cols.y = eta.map((e) => (family === 'gaussian' ? e + normal() : family === 'poisson' ? Math.round(Math.exp(e) + u() * 2) : u() < 1 / (1 + Math.exp(-e)) ? 1 : 0));
  return cols;
}

test('glmnet(formula, data, { lambda: [0] }) equals glm (property over random data and families)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 40, max: 90 }), fc.integer({ min: 1, max: 4 }), fc.constantFrom('gaussian', 'binomial', 'poisson'), (seed, n, p, family) => {
      const data = simulate(seed, n, p, family);
      const formula = `y ~ ${Array.from({ length: p }, (_, j) => `x${j + 1}`).join(' + ')}`;
      const ref = glm(formula, data, { family });
      const net = glmnet(formula, data, { family, lambda: [0] });
      const coefs = glmnetCoefficients(net, 0);
      for (const c of ref.fit.coefficients) {
        const got = coefs.find((x) => x.term === c.term)!.estimate;
        assert.ok(Math.abs(got - c.estimate) <= 1e-6 * Math.max(1, Math.abs(c.estimate)), `${family} ${c.term}: ${got} vs glm ${c.estimate}`);
      }
    }),
    { numRuns: 30, seed: 20240601 },
  );
});

test('glmnet() satisfies the KKT conditions of the penalised objective at every lambda (binomial, enet)', () => {
  const data = simulate(7, 80, 6, 'binomial');
  const formula = 'y ~ x1 + x2 + x3 + x4 + x5 + x6';
  const alpha = 0.7;
  const net = glmnet(formula, data, { family: 'binomial', alpha, nlambda: 30 });
  const n = 80, X = [1, 2, 3, 4, 5, 6].map((j) => data[`x${j}`]);
  const sd = X.map((x) => {
    const m = x.reduce((a, b) => a + b, 0) / n;
    return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / n);
  });
  for (const pt of net.path.points.slice(1)) {
    const b = new Float64Array(6);
    pt.index.forEach((j, k) => (b[j] = pt.value[k]));
    const r = data.y.map((y, i) => y - 1 / (1 + Math.exp(-(pt.intercept + X.reduce((s, x, j) => s + x[i] * b[j], 0)))));
    assert.ok(Math.abs(r.reduce((a, v) => a + v, 0) / n) < 1e-9, 'intercept');
    X.forEach((x, j) => {
      // gradient of the mean log-likelihood in the standardised coefficient b_j sd_j
      const g = x.reduce((s, xi, i) => s + xi * r[i], 0) / n / sd[j];
      const ridge = pt.lambda * (1 - alpha) * b[j] * sd[j];
      if (b[j] === 0) assert.ok(Math.abs(g) <= pt.lambda * alpha + 1e-9, `x${j + 1} zero`);
      else assert.ok(Math.abs(g - ridge - pt.lambda * alpha * Math.sign(b[j])) < 1e-7, `x${j + 1} active`);
    });
  }
});

test('predictGlmnet(model, newdata) codes levels as the fit, zeroes unseen ones and says so', () => {
  const d = readData('enet_gauss');
  const m = cvGlmnet('y ~ x1 + x2 + region', d, { foldid: 'fold' });
  const newdata = { x1: [0.5, 0.5, 0.5], x2: [1, 1, NaN], region: ['east', 'atlantis', 'east'] };
  const p = predictGlmnet(m, newdata);
  const c = Object.fromEntries(glmnetCoefficients(m).map((x) => [x.term, x.estimate]));
  assert.ok(Math.abs(p.fit[0] - (c['(Intercept)'] + 0.5 * c.x1 + c.x2 + c.regioneast)) < 1e-12);
  assert.ok(Math.abs(p.fit[1] - (c['(Intercept)'] + 0.5 * c.x1 + c.x2)) < 1e-12);
  assert.ok(Number.isNaN(p.fit[2]));
  assert.match(p.messages.join(' '), /1 row has a level of region the fit has not seen \(atlantis\)/);
  assert.equal(p.lambda, m.cv.lambda1se);
  assert.equal(predictGlmnet(m, newdata, { s: 'lambda.min' }).lambda, m.cv.lambdaMin);
  assert.throws(() => predictGlmnet(m, { x1: [1], region: ['east'] }), /no column 'x2'/);
});

test('glmnet(..., { penaltyFactor }) leaves a term unpenalised, and cvGlmnet draws R\'s folds from the seed', () => {
  const d = readData('enet_gauss');
  const m = glmnet('y ~ x1 + x2 + x3 + region', d, { penaltyFactor: { region: 0 }, nlambda: 5 });
  const first = m.path.points[0];
  const names = m.frame.design.colnames;
  assert.deepEqual([...first.index].map((j) => names[j]).sort(), ['regioncentre', 'regioneast', 'regionnorth', 'regionsouth', 'regionwest']);
  const cv = cvGlmnet('y ~ x1 + x2', d, { nfolds: 5, seed: 3, nlambda: 10 });
  assert.equal(cv.cv.nfolds, 5);
  assert.deepEqual([...cv.foldid.slice(0, 3)], [...cvGlmnet('y ~ x1 + x2', d, { nfolds: 5, seed: 3, nlambda: 10 }).foldid.slice(0, 3)]);
  assert.throws(() => glmnet('y ~ x1', d, { family: 'Gamma' }), /gaussian, binomial and poisson/);
  assert.throws(() => glmnet('y ~ x1', d, { alpha: -0.5 }), /alpha must be between 0 and 1/);
});
