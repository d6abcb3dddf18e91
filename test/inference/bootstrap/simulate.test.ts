// simulate(): reproducibility by seed and the first two moments of the simulated responses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, fitModel, glmer, lmer } from '../../../src/api/fit.js';
import { createRandom } from '../../../src/inference/bootstrap/random.js';
import { drawResponse, fixedPart, simulate } from '../../../src/inference/bootstrap/simulate.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const model = lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] });

function rowMoments(sims: Float64Array[], i: number): { mean: number; variance: number } {
  const xs = sims.map((s) => s[i]);
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, variance: xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1) };
}

test('simulate(m, { seed }) gives the same responses for the same seed and different ones for another', () => {
  const a = simulate(model, { nsim: 3, seed: 5 }), b = simulate(model, { nsim: 3, seed: 5 }), c = simulate(model, { nsim: 3, seed: 6 });
  assert.deepEqual(a.sims, b.sims);
  assert.notDeepEqual(a.sims[0], c.sims[0]);
  assert.equal(a.sims.length, 3);
  assert.equal(a.sims[0].length, 180);
  assert.deepEqual(a.rows, model.frame.rows);
});

test('simulate(m, { nsim: 4000 }) has mean X beta and variance z\'Sigma z + sigma^2 per row', () => {
  const nsim = 4000;
  const { sims } = simulate(model, { nsim, seed: 11 });
  const mean = fixedPart(model), cov = model.fit.varCorr.terms[0].cov, s2 = model.fit.sigma ** 2;
  for (const i of [0, 9, 95, 179]) {
    const days = sleep.columns.get('Days')!.values[i] as number;
    const v = cov[0] + 2 * days * cov[1] + days * days * cov[3] + s2;
    const m = rowMoments(sims, i);
    assert.ok(Math.abs(m.mean - mean[i]) < 5 * Math.sqrt(v / nsim), `row ${i + 1}: mean ${m.mean} vs ${mean[i]}`);
    assert.ok(Math.abs(m.variance / v - 1) < 0.1, `row ${i + 1}: variance ${m.variance} vs ${v}`);
  }
});

test('simulate(m, { newLevels: false }) keeps the fitted random effects: mean = fitted, variance sigma^2', () => {
  const nsim = 4000;
  const { sims } = simulate(model, { nsim, seed: 12, newLevels: false });
  const s2 = model.fit.sigma ** 2;
  for (const i of [0, 50, 179]) {
    const m = rowMoments(sims, i);
    assert.ok(Math.abs(m.mean - model.fit.fitted[i]) < 5 * Math.sqrt(s2 / nsim));
    assert.ok(Math.abs(m.variance / s2 - 1) < 0.1);
  }
});

test('simulate(m, { newLevels: true }) shares one random effect per subject across its rows', () => {
  // Rows 1 and 2 (same subject, Days 0 and 1) covary by Sigma_11 + Sigma_12 beyond the residual.
  const { sims } = simulate(model, { nsim: 4000, seed: 13 });
  const m0 = rowMoments(sims, 0), m1 = rowMoments(sims, 1);
  const c = sims.reduce((a, s) => a + (s[0] - m0.mean) * (s[1] - m1.mean), 0) / (sims.length - 1);
  const cov = model.fit.varCorr.terms[0].cov;
  assert.ok(Math.abs(c / (cov[0] + cov[1]) - 1) < 0.15, `covariance ${c} vs ${cov[0] + cov[1]}`);
});

test('simulate(m, { nsim }) refuses a non-positive or fractional nsim', () => {
  assert.throws(() => simulate(model, { nsim: 0 }), /nsim/);
  assert.throws(() => simulate(model, { nsim: 1.5 }), /nsim/);
});

test('drawResponse(family, mu, trials) draws binomial proportions and Poisson counts with mean mu', () => {
  const rng = createRandom(3), n = 20000;
  const mu = new Float64Array(n).fill(0.3), trials = new Float64Array(n).fill(10);
  const props = drawResponse('binomial', mu, trials, 1, rng, new Float64Array(n));
  assert.ok(props.every((v) => Number.isInteger(v * 10) && v >= 0 && v <= 1));
  assert.ok(Math.abs(props.reduce((a, b) => a + b, 0) / n - 0.3) < 0.005);
  const counts = drawResponse('poisson', mu.fill(4), null, 1, rng, new Float64Array(n));
  assert.ok(Math.abs(counts.reduce((a, b) => a + b, 0) / n - 4) < 0.08);
  assert.throws(() => drawResponse('quasipoisson', mu, null, 1, rng, new Float64Array(n)), /not supported/);
});

for (const [family, mu, phi, w, variance] of [
  ['Gamma', 5, 0.2, 1, 0.2 * 25], ['Gamma', 5, 0.2, 4, (0.2 * 25) / 4], ['Gamma', 0.3, 3, 1, 3 * 0.09],
  ['inverse.gaussian', 5, 0.02, 1, 0.02 * 125], ['inverse.gaussian', 2, 0.5, 2, (0.5 * 8) / 2],
] as const) {
  test(`drawResponse('${family}', mu ${mu}, w ${w}, phi ${phi}) has mean mu and variance ${variance}`, () => {
    const rng = createRandom(21), n = 100000;
    const ys = drawResponse(family, new Float64Array(n).fill(mu), new Float64Array(n).fill(w), phi, rng, new Float64Array(n));
    assert.ok(ys.every((y) => y > 0 && Number.isFinite(y)));
    const mean = ys.reduce((a, b) => a + b, 0) / n, v = ys.reduce((a, y) => a + (y - mean) ** 2, 0) / (n - 1);
    // Mean within 5 standard errors; variance within 10% (its standard error is below 3% for these laws and n).
    assert.ok(Math.abs(mean - mu) < 5 * Math.sqrt(variance / n), `mean ${mean}`);
    assert.ok(Math.abs(v / variance - 1) < 0.1, `variance ${v} vs ${variance}`);
  });
}

test('drawResponse refuses a non-positive dispersion and a fractional binomial size', () => {
  const rng = createRandom(1), mu = new Float64Array(3).fill(0.5);
  assert.throws(() => drawResponse('Gamma', mu, null, 0, rng, new Float64Array(3)), /dispersion/);
  assert.throws(() => drawResponse('binomial', mu, new Float64Array(3).fill(2.5), 1, rng, new Float64Array(3)), /non-integer/);
});

for (const [family, link] of [['Gamma', 'log'], ['inverse.gaussian', 'log']] as const) {
  test(`simulate(glmer ${family}(${link}), { newLevels: false }) has mean mu and variance sigma^2 V(mu); the seed reproduces it`, () => {
    const glmm = glmer('Reaction ~ Days + (1 | Subject)', sleep, { factors: ['Subject'], family, link });
    const nsim = 4000, phi = glmm.fit.sigma ** 2;
    const { sims } = simulate(glmm, { nsim, seed: 31, newLevels: false });
    for (const i of [0, 77, 179]) {
      const mu = glmm.fit.fitted[i], v = phi * (family === 'Gamma' ? mu ** 2 : mu ** 3);
      const m = rowMoments(sims, i);
      assert.ok(Math.abs(m.mean - mu) < 5 * Math.sqrt(v / nsim), `row ${i + 1}: mean ${m.mean} vs ${mu}`);
      assert.ok(Math.abs(m.variance / v - 1) < 0.15, `row ${i + 1}: variance ${m.variance} vs ${v}`);
    }
    assert.deepEqual(simulate(glmm, { nsim: 2, seed: 9 }).sims, simulate(glmm, { nsim: 2, seed: 9 }).sims);
    assert.notDeepEqual(simulate(glmm, { nsim: 1, seed: 9 }).sims, simulate(glmm, { nsim: 1, seed: 10 }).sims);
  });
}

test('simulate(glmer Gamma) with new random effects has the marginal mean E[mu] of the log link', () => {
  // log link: E[y] = exp(x'beta + s^2 / 2), s the random-intercept sd.
  const glmm = glmer('Reaction ~ Days + (1 | Subject)', sleep, { factors: ['Subject'], family: 'Gamma', link: 'log' });
  const nsim = 4000, { sims } = simulate(glmm, { nsim, seed: 32 });
  const s2 = glmm.fit.varCorr.terms[0].sd[0] ** 2, eta = fixedPart(glmm);
  for (const i of [0, 179]) {
    const m = rowMoments(sims, i), want = Math.exp(eta[i] + s2 / 2);
    assert.ok(Math.abs(m.mean / want - 1) < 0.01, `row ${i + 1}: mean ${m.mean} vs ${want}`);
  }
});

for (const family of ['Gamma', 'inverse.gaussian'] as const) {
  test(`simulate(glm ${family}) draws around the fitted means with the fit's dispersion`, () => {
    const glm = fitModel('Reaction ~ Days', sleep, { family, link: 'log' });
    assert.equal(glm.kind, 'glm');
    if (glm.kind !== 'glm') return;
    const nsim = 4000, phi = glm.fit.dispersion;
    const { sims } = simulate(glm, { nsim, seed: 33 });
    for (const i of [0, 100]) {
      const mu = glm.fit.fitted[i], v = phi * (family === 'Gamma' ? mu ** 2 : mu ** 3);
      const m = rowMoments(sims, i);
      assert.ok(Math.abs(m.mean - mu) < 5 * Math.sqrt(v / nsim), `row ${i + 1}: mean ${m.mean} vs ${mu}`);
      assert.ok(Math.abs(m.variance / v - 1) < 0.15, `row ${i + 1}: variance ${m.variance} vs ${v}`);
    }
    assert.deepEqual(simulate(glm, { nsim: 2, seed: 5 }).sims, simulate(glm, { nsim: 2, seed: 5 }).sims);
  });
}


test('drawResponse("negative.binomial", mu, ..., theta) draws counts with mean mu and variance mu + mu^2/theta', () => {
  // 40000 draws at mu = 5, theta = 2: variance 17.5; tolerances are 5 standard errors of the moments.
  const rng = createRandom(11), n = 40000, theta = 2;
  const y = drawResponse('negative.binomial', new Float64Array(n).fill(5), null, 1, rng, new Float64Array(n), theta);
  assert.ok(y.every((v) => Number.isInteger(v) && v >= 0));
  const mean = y.reduce((a, b) => a + b, 0) / n;
  const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  assert.ok(Math.abs(mean - 5) < 5 * Math.sqrt(17.5 / n), `mean ${mean}`);
  assert.ok(Math.abs(variance - 17.5) < 0.6, `variance ${variance}`);
  assert.throws(() => drawResponse('negative.binomial', new Float64Array(1).fill(5), null, 1, rng, new Float64Array(1)), /needs its theta/);
});

test('simulate(glmm) draws binomial proportions of each row\'s trials with mean mu (cbpp)', () => {
  const cbpp = readCsvFile(dataFile('cbpp'));
  const formula = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';
  const glmm = glmer(formula, cbpp, { factors: ['herd', 'period'], family: 'binomial' });
  const trials = glmm.frame.trials!;
  const nsim = 3000;
  const { sims } = simulate(glmm, { nsim, seed: 4, newLevels: false });
  assert.ok(sims.every((s) => s.every((v, i) => v >= 0 && v <= 1 && Math.abs(v * trials[i] - Math.round(v * trials[i])) < 1e-9)));
  for (const i of [0, 10, 40]) {
    const mu = glmm.fit.fitted[i], se = Math.sqrt(mu * (1 - mu) / trials[i] / nsim);
    assert.ok(Math.abs(rowMoments(sims, i).mean - mu) < 5 * se, `row ${i + 1}`);
  }
  assert.deepEqual(simulate(glmm, { nsim: 2, seed: 9 }).sims, simulate(glmm, { nsim: 2, seed: 9 }).sims);
});
