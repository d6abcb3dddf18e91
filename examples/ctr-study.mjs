// The click-through study (the material's blog post): users see an old or a new display, clicks are
// binomial with a strongly varying click-proneness per user. The data come from the post's generator
// (make_click_data: mu = -4.5, tau = 0.5, sd of users 5, about 20 exposures per user); four methods are
// fitted to one data set and scored on "future" data sets of the same users by the mean squared
// prediction error: a GLMM (users random, adaptive quadrature), a GLM (users a fixed factor), and
// cross-validated lasso and ridge logistic regressions on a one-hot design of the users.
//
//   node examples/ctr-study.mjs [--users 1000] [--sets 5] [--seed 1] [--report ctr-study.html]
import { writeFileSync } from 'node:fs';
import { evaluateMethods, evaluationReport, summaryEvaluation } from 'mixedmodels';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const users = Number(arg('users', 1000));
const sets = Number(arg('sets', 5));
const report = arg('report', 'ctr-study.html');

/** A seeded generator (mulberry32) with the draws the simulation needs. */
function generator(seed) {
  let s = seed >>> 0;
  const unif = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = () => Math.sqrt(-2 * Math.log(1 - unif())) * Math.cos(2 * Math.PI * unif());
  const poisson = (mean) => {
    let k = 0, p = unif();
    for (const limit = Math.exp(-mean); p > limit; k++) p *= unif();
    return k;
  };
  const binomial = (n, p) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (unif() < p) k++;
    return k;
  };
  return { unif, normal, poisson, binomial };
}

/** make_click_data: control users one row, treated users a row per display; clicks out of exposures. */
function makeClickData(rng, effects, { mu = -4.5, tau = 0.5, poisMean = 20 } = {}) {
  const rows = { clicks: [], expos: [], display: [], id: [] };
  const add = (id, display, expos) => {
    const p = 1 / (1 + Math.exp(-(mu + tau * display + effects[id])));
    rows.clicks.push(rng.binomial(expos, p));
    rows.expos.push(expos);
    rows.display.push(display);
    rows.id.push(String(id + 1));
  };
  for (let id = 0; id < effects.length; id++) {
    const treated = rng.unif() < 0.5;
    const treatExpos = rng.poisson(poisMean * 0.5) + 1, nullExpos = rng.poisson(poisMean * 0.5) + 1;
    if (!treated) add(id, 0, treatExpos + nullExpos);
    else {
      add(id, 0, nullExpos);
      add(id, 1, treatExpos);
    }
  }
  return rows;
}

const rng = generator(Number(arg('seed', 1)));
const effects = Array.from({ length: users }, () => 5 * rng.normal());
const train = makeClickData(rng, effects);
const future = Array.from({ length: sets }, () => makeClickData(rng, effects));
console.log(`${users} users, ${train.id.length} rows; ${sets} future data sets of the same users\n`);

const result = evaluateMethods('cbind(clicks, expos - clicks) ~ display + (1 | id)', train, {
  methods: ['glmm', 'glm', 'lasso', 'ridge'],
  newdata: future,
  family: 'binomial',
  nAGQ: 10,
  factors: ['id'],
});
console.log(summaryEvaluation(result, 'text'));
console.log('The true display effect is 0.5; lasso and ridge shrink it, and predict the future less well.');
writeFileSync(report, await evaluationReport(result, 'cbind(clicks, expos - clicks) ~ display + (1 | id)'));
console.log(`wrote ${report}`);
