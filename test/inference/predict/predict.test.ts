// predict() against lme4 1.1-31's predict(m, newdata, re.form = NULL / NA, allow.new.levels = TRUE)
// (test/fixtures/refs/inference_sleepstudy.json), and the intervals' internal consistency.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, glmer, lmer, type FitOptions } from '../../../src/api/fit.js';
import type { DataTable } from '../../../src/data/types.js';
import { predict } from '../../../src/inference/predict/predict.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { assertClose, dataFile, readRef } from '../../cli/helpers.js';

const ref = readRef('inference_sleepstudy');
const sleep = readCsvFile(dataFile('sleepstudy'));
const options: FitOptions = { factors: ['Subject'] };

/** A model carrying its data and options, as predict() on new data needs. */
function fitted(formula: string, data: DataTable = sleep, opts: FitOptions = options) {
  return { ...lmer(formula, data, opts), data, options: opts };
}

const model = fitted(ref.formula);
const newdata = {
  Days: ref.newdata.map((r: { Days: number }) => r.Days),
  Subject: ref.newdata.map((r: { Subject: string }) => r.Subject),
};

function rows(table: DataTable, n: number): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [name, col] of table.columns) out[name] = Array.from(col.values as ArrayLike<unknown>).slice(0, n);
  return out;
}

test('predict(m, newdata, { allowNewLevels }) agrees with lme4 conditional predictions, the new subject at b = 0 (1e-6 relative)', () => {
  const p = predict(model, newdata, { allowNewLevels: true });
  ref.predict_conditional.forEach((want: number, i: number) => assertClose(p.fit[i], want, 1e-6, `row ${i + 1}`));
  assert.match(p.messages.join('\n'), /new level '999' of 'Subject'/);
});

test('predict(m, newdata, { population: true }) agrees with lme4 re.form = NA (1e-6 relative)', () => {
  const p = predict(model, newdata, { population: true });
  ref.predict_population.forEach((want: number, i: number) => assertClose(p.fit[i], want, 1e-6, `row ${i + 1}`));
  assert.deepEqual(p.messages, []);
});

test('predict(m, newdata) refuses a new level, naming it and its grouping factor', () => {
  assert.throws(() => predict(model, newdata), (e: Error) => e.name === 'MixedModelsError' && /'999'/.test(e.message) && /'Subject'/.test(e.message));
});

test('predict(m) without newdata gives the fitted values', () => {
  const p = predict(model);
  model.fit.fitted.forEach((f, i) => assertClose(p.fit[i], f, 1e-12, `row ${i + 1}`));
});

test('predict(m, newdata, { type: "link" }) is the response prediction for an LMM', () => {
  assert.deepEqual(predict(model, newdata, { type: 'link', allowNewLevels: true }).fit, predict(model, newdata, { allowNewLevels: true }).fit);
});

test('predict(m, newdata, { population, interval: "confidence" }) is the Wald interval of x\'beta', () => {
  const p = predict(model, { Days: [0], Subject: ['308'] }, { population: true, interval: 'confidence' });
  const wald = ref.confint_wald_fixef[0];
  assertClose(p.lower![0], wald.lower, 1e-6, 'lower');
  assertClose(p.upper![0], wald.upper, 1e-6, 'upper');
  assertClose(p.se![0], model.fit.se[0], 1e-12, 'se');
});

test('predict(m, newdata, { interval }) nests: confidence inside prediction, around the fit, wider at a higher level', () => {
  const o = { allowNewLevels: true } as const;
  const conf = predict(model, newdata, { ...o, interval: 'confidence' });
  const pred = predict(model, newdata, { ...o, interval: 'prediction' });
  const conf99 = predict(model, newdata, { ...o, interval: 'confidence', level: 0.99 });
  const sigma2 = model.fit.sigma ** 2;
  for (let i = 0; i < newdata.Days.length; i++) {
    assert.ok(conf.lower![i] < conf.fit[i] && conf.fit[i] < conf.upper![i]);
    assert.ok(pred.lower![i] < conf.lower![i] && conf.upper![i] < pred.upper![i]);
    assert.ok(conf99.upper![i] - conf99.lower![i] > conf.upper![i] - conf.lower![i]);
    assertClose(pred.se![i] ** 2, conf.se![i] ** 2 + sigma2, 1e-12, `prediction variance, row ${i + 1}`);
  }
});

test('predict(m, newdata, { interval }) widens a new level by the random-effects covariance', () => {
  const o = { interval: 'confidence', allowNewLevels: true } as const;
  const cond = predict(model, newdata, o), pop = predict(model, newdata, { ...o, population: true });
  // Row 3 is subject 999 at Days = 9: v = x'Vx + z' Sigma z with z = (1, 9).
  const cov = model.fit.varCorr.terms[0].cov;
  const zSz = cov[0] + 2 * 9 * cov[1] + 81 * cov[3];
  assertClose(cond.se![2] ** 2, pop.se![2] ** 2 + zSz, 1e-10, 'new-level variance');
  // A known subject's conditional interval adds its conditional variance (condVar) instead.
  const lev = model.fit.ranef[0].levels.indexOf('308');
  assertClose(cond.se![0] ** 2 - pop.se![0] ** 2, model.fit.ranef[0].condVar[lev * 4], 1e-10, 'condVar at Days 0');
  assertClose(Math.sqrt(model.fit.ranef[0].condVar[0]), ref.ranef_condsd_Subject_first3[0], 1e-5, 'conditional sd');
});

test('predict(m, newdata) gives NaN for rows with missing values and says so', () => {
  const p = predict(model, { Days: [1, null, 2], Subject: ['308', '309', null] }, { interval: 'prediction' });
  assert.ok(Number.isFinite(p.fit[0]) && Number.isNaN(p.fit[1]) && Number.isNaN(p.fit[2]));
  assert.ok(Number.isNaN(p.lower![1]) && Number.isNaN(p.upper![2]));
  assert.match(p.messages.join('\n'), /2 rows have missing values/);
  const pop = predict(model, { Days: [1, 2], Subject: [null, null] }, { population: true });
  assert.ok(pop.fit.every(Number.isFinite), 'population predictions do not need the group');
});

test('predict(m, newdata) re-evaluates poly() and scale() with the fitted data\'s parameters', () => {
  for (const formula of ['Reaction ~ poly(Days, 3) + (1 | Subject)', 'Reaction ~ poly(degree = 2, x = Days) + (1 | Subject)', 'Reaction ~ scale(Days) + I(scale(Days)^2) + (Days | Subject)', 'Reaction ~ log(Days + 1) + (1 | Subject)']) {
    const m = fitted(formula);
    const p = predict(m, rows(sleep, 12));
    for (let i = 0; i < 12; i++) assertClose(p.fit[i], m.fit.fitted[i], 1e-10, `${formula}, row ${i + 1}`);
  }
});

test('predict(m, newdata) keeps the fitted levels and contrasts of categorical fixed effects', () => {
  const opts: FitOptions = { factors: ['Subject', 'Days'] };
  const m = fitted('Reaction ~ Days + (1 | Subject)', sleep, opts);
  const p = predict(m, { Days: [9, 0], Subject: ['372', '308'] });
  const rowOf = (d: number, s: string) => Array.from(sleep.columns.get('Days')!.values as Float64Array).findIndex((v, i) => v === d && sleep.columns.get('Subject')!.values[i] === Number(s));
  assertClose(p.fit[0], m.fit.fitted[rowOf(9, '372')], 1e-10, 'Days 9, subject 372');
  assertClose(p.fit[1], m.fit.fitted[rowOf(0, '308')], 1e-10, 'Days 0, subject 308');
  assert.throws(() => predict(m, { Days: [12], Subject: ['308'] }), /level '12' of 'Days'/);
});

test('predict(m, newdata) explains what is missing: the fitted data, a column', () => {
  assert.throws(() => predict(model, { Day: [1], Subject: ['308'] }), /no column 'Days'.*did you mean 'Day'/);
  assert.throws(() => predict(model, newdata, { level: 95 }), /level must be between 0 and 1/);
});

// GLMM: cbpp, binomial, Laplace. Predictions inherit the fit's agreement with lme4, which for this model is
// about 1.4e-4 relative in beta today (src/glmm), hence 1e-3 against lme4 and 1e-12 against the fit itself.
const cbpp = readCsvFile(dataFile('cbpp'));
const cbppRef = readRef('inference_cbpp');
const cbppOptions: FitOptions = { factors: cbppRef.factors, family: 'binomial' };
const glmm = glmer(cbppRef.formula, cbpp, cbppOptions);

test('predict(glmm) gives lme4\'s response-scale conditional predictions and the fit\'s mu', () => {
  const p = predict(glmm);
  cbppRef.predict_response_first5.forEach((want: number, i: number) => assertClose(p.fit[i], want, 1e-3, `row ${i + 1}`));
  glmm.fit.fitted.forEach((mu, i) => assertClose(p.fit[i], mu, 1e-12, `mu ${i + 1}`));
  const eta = predict(glmm, undefined, { type: 'link' });
  glmm.fit.linearPredictor.forEach((e, i) => assertClose(eta.fit[i], e, 1e-12, `eta ${i + 1}`));
});

test('predict(glmm, undefined, { type: "link", population: true }) is lme4\'s X beta', () => {
  const p = predict(glmm, undefined, { type: 'link', population: true });
  cbppRef.predict_link_population_first5.forEach((want: number, i: number) => assertClose(p.fit[i], want, 1e-3, `row ${i + 1}`));
});

test('predict(glmm, newdata, { interval: "confidence" }) transforms the link-scale interval; prediction intervals are refused', () => {
  const nd = { period: ['1', '4'], herd: ['1', '99'] };
  const link = predict(glmm, nd, { type: 'link', interval: 'confidence', allowNewLevels: true });
  const resp = predict(glmm, nd, { interval: 'confidence', allowNewLevels: true });
  const expit = (x: number) => 1 / (1 + Math.exp(-x));
  for (let i = 0; i < 2; i++) {
    assertClose(resp.fit[i], expit(link.fit[i]), 1e-12, 'fit');
    assertClose(resp.lower![i], expit(link.lower![i]), 1e-12, 'lower');
    assertClose(resp.upper![i], expit(link.upper![i]), 1e-12, 'upper');
    assert.ok(resp.lower![i] > 0 && resp.upper![i] < 1);
  }
  assert.throws(() => predict(glmm, nd, { interval: 'prediction', allowNewLevels: true }), /residual variance/);
});
