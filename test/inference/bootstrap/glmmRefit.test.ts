// The GLMM parametric bootstrap: refits from the fitted estimates, reproducibility by seed
// (also across worker threads), failure counting, and agreement with lme4's
// confint(m, method = "boot") from test/fixtures/r/glmm_inference.R (lme4 1.1-31,
// set.seed(101), nsim 1000 or 500). Both sides are random: each end must lie within
// 25% of R's interval width of R's end (the Monte Carlo standard error of a 2.5%
// percentile of 200-300 replicates is about 5% of the width).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { glmer } from '../../../src/api/fit.js';
import { bootstrap, bootstrapResult } from '../../../src/inference/bootstrap/bootstrap.js';
import { glmmRefitter } from '../../../src/inference/bootstrap/glmmRefit.js';
import { confidenceIntervals } from '../../../src/inference/confint.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { bootstrapParallel } from '../../../src/node/bootstrapWorkers.js';
import { dataFile } from '../../cli/helpers.js';
import { farPredictorData } from '../farPredictorData.js';

interface Row { param: string; lower: number; upper: number }
interface GlmmRef {
  id: string;
  data: string;
  formula: string;
  factors: string[];
  family: string;
  link: string;
  weights: string | Record<string, never>;
  nAGQ: number;
  profile: Row[];
  boot?: Row[];
  boot_nsim?: number;
}
const refs = (JSON.parse(readFileSync(new URL('../../fixtures/r/glmm_inference.json', import.meta.url), 'utf8')) as { glmm: GlmmRef[] }).glmm;

function fitRef(r: GlmmRef) {
  return glmer(r.formula, readCsvFile(dataFile(r.data)), { factors: r.factors, family: r.family, link: r.link, nAGQ: r.nAGQ, ...(typeof r.weights === 'string' ? { weights: r.weights } : {}) });
}

const cbppRef = refs.find((r) => r.id === 'cbpp_logit')!;
const cbpp = fitRef(cbppRef);

test('glmmRefitter(m)(y) on the model\'s own response gives back its estimates (5e-3 standard errors, 2e-3 relative in theta)', () => {
  // The refit minimises the converged Laplace criterion; the fit, lme4's (PIRLS restarted from
  // its stage-1 solution): they differ by about 1e-3 standard errors on cbpp.
  const r = glmmRefitter(cbpp)(cbpp.frame.y)!;
  assert.ok(r !== null && !r.warning);
  cbpp.fit.beta.forEach((b, j) => assert.ok(Math.abs(r.fit.beta[j] - b) < 5e-3 * cbpp.fit.se[j], `beta[${j}]`));
  assert.ok(Math.abs(r.fit.theta[0] / cbpp.fit.theta[0] - 1) < 2e-3);
  assert.ok(r.fit.objective <= cbpp.fit.objective + 1e-6);
});

test('bootstrap(glmm, { seed }) is reproducible and equals bootstrapParallel with 2 workers', async () => {
  const a = bootstrap(cbpp, { nsim: 12, seed: 4, level: 0.8 }), b = bootstrap(cbpp, { nsim: 12, seed: 4, level: 0.8 });
  assert.deepEqual(a.replicates, b.replicates);
  assert.notDeepEqual(bootstrap(cbpp, { nsim: 12, seed: 5, level: 0.8 }).replicates, a.replicates);
  const par = await bootstrapParallel(cbpp, { nsim: 12, seed: 4, level: 0.8, workers: 2, onProgress: () => {} });
  assert.deepEqual(par.replicates, a.replicates);
  assert.deepEqual(a.names, ['sd_(Intercept)|herd', '(Intercept)', 'period2', 'period3', 'period4']);
});

test('bootstrapResult counts failed refits (NaN status) and warned ones, and says so in messages', () => {
  const np = 5, width = np + 1, nsim = 40;
  const rows = new Float64Array(nsim * width);
  for (let r = 0; r < nsim; r++) {
    for (let e = 0; e < np; e++) rows[r * width + e] = (cbpp.fit.beta[0] ?? 0) + (r - 20) / 100;
    rows[r * width + np] = r < 3 ? NaN : r < 8 ? 1 : 0;
    if (r < 3) rows.fill(NaN, r * width, r * width + np);
  }
  const res = bootstrapResult(cbpp, rows, nsim, 0.9);
  assert.equal(res.failed, 3);
  assert.equal(res.warned, 5);
  assert.ok(res.messages.some((m) => /3 of 40 bootstrap refits failed/.test(m)));
  assert.ok(res.messages.some((m) => /5 of 40 bootstrap refits reported a convergence problem/.test(m)));
  assert.throws(() => bootstrapResult(cbpp, new Float64Array(nsim * width).fill(NaN), nsim, 0.9), /all 40 bootstrap refits failed/);
});

for (const [id, nsim] of [['cbpp_logit', 300], ['cbpp_probit_weights', 200], ['grouse_offset', 120]] as const) {
  test(`confint(${id}, { method: "boot" }) agrees with lme4's bootstrap intervals (25% of width)`, () => {
    const ref = refs.find((r) => r.id === id)!;
    const m = id === 'cbpp_logit' ? cbpp : fitRef(ref);
    const { intervals } = confidenceIntervals(m, { method: 'boot', nsim, seed: 2 });
    assert.deepEqual(intervals.map((r) => r.parameter), ref.boot!.map((r) => r.param));
    ref.boot!.forEach((r, k) => {
      const tol = 0.25 * (r.upper - r.lower);
      for (const side of ['lower', 'upper'] as const) {
        const got = intervals[k][side];
        assert.ok(got !== null && Math.abs(got - r[side]) <= tol, `${r.param} ${side}: got ${got}, lme4 ${r[side]} (tolerance ${tol})`);
      }
    });
  });
}

test('bootstrap(Gamma GLMM) gives intervals with sigma, brackets the fixed effects, and flags the biased sd', () => {
  // No R reference: lme4 1.1-31 simulates Gamma responses with shape sigma (see simulate.ts).
  const m = glmer('Reaction ~ Days + (1 | Subject)', readCsvFile(dataFile('sleepstudy')), { factors: ['Subject'], family: 'Gamma', link: 'log' });
  const b = bootstrap(m, { nsim: 60, seed: 3, level: 0.9 });
  assert.deepEqual(b.names, ['sd_(Intercept)|Subject', 'sigma', '(Intercept)', 'Days']);
  assert.equal(b.failed, 0);
  for (const iv of b.intervals.slice(1)) assert.ok(iv.lower < iv.estimate && iv.estimate < iv.upper, `${iv.param}: ${iv.lower} < ${iv.estimate} < ${iv.upper}`);
  // Days: the bootstrap sd of beta^ is close to its standard error (within 30%).
  const days = b.intervals[3], se = m.fit.se[1];
  assert.ok(Math.abs((days.upper - days.lower) / (2 * 1.645 * se) - 1) < 0.3, `Days width ${days.upper - days.lower} vs Wald ${2 * 1.645 * se}`);
  const sd = b.intervals[0];
  if (sd.upper < sd.estimate) assert.ok(b.messages.some((msg) => /outside its own bootstrap interval for sd_\(Intercept\)\|Subject/.test(msg)));
});

test('bootstrap(binomial GLMM) with x = c + u: the refits run on the fit\'s replaced columns, and c = 1e3 gives the intervals of c = 0', () => {
  // x far from 0 relative to its spread: fitGlmm replaced x by x - mean(x). Refits on the user's
  // columns stalled next to their start: at c = 1e3 the slope's 95% interval was 0.002 wide for
  // 5.5, the sd's 0.07 for 0.53. The same seed gives the same simulated responses at every c.
  const { g, u, y } = farPredictorData();
  const rows = (c: number) => {
    const model = glmer('y ~ x + (1 | g)', { y, x: u.map((v) => v + c), g }, { family: 'binomial' });
    return confidenceIntervals(model, { method: 'boot', nsim: 60, seed: 3 }).intervals;
  };
  const base = rows(0), far = rows(1e3);
  for (const name of ['sd_(Intercept)|g', 'x']) {
    const want = base.find((t) => t.parameter === name)!, got = far.find((t) => t.parameter === name)!;
    const width = Number(want.upper) - Number(want.lower);
    assert.ok(width > 0.1, `${name}: a real interval at c = 0 (${want.lower}, ${want.upper})`);
    assert.ok(Math.abs(Number(got.lower) - Number(want.lower)) < 0.01 * width && Math.abs(Number(got.upper) - Number(want.upper)) < 0.01 * width,
      `${name}: [${got.lower}, ${got.upper}] at c = 1e3 against [${want.lower}, ${want.upper}]`);
  }
});
