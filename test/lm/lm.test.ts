import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmFit, type LmFit } from '../../src/lm/lm.js';
import { buildFrame } from '../../src/api/fit.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose } from '../distributions/close.js';
import { dummies, makeFrame, num, readCsv, readRef } from './helpers.js';

// References: R 4.x lm() + summary.lm(), logLik, AIC, BIC, in test/fixtures/refs/lm_*.json.
// Tolerances (relative): estimates 1e-6, SEs 1e-5, p-values 1e-4, fit statistics 1e-8.

function assertMatchesRef(fit: LmFit, ref: any): void {
  const estimable = Object.keys(ref.coef).filter((k) => ref.coef[k] !== null);
  assert.deepEqual(fit.coefficients.map((c) => c.term), estimable);
  for (const c of fit.coefficients) {
    assertClose(c.estimate, ref.coef[c.term], 1e-6, `${c.term} estimate`);
    assertClose(c.stdError, ref.se[c.term], 1e-5, `${c.term} se`);
    assertClose(c.statistic, ref.t[c.term], 1e-5, `${c.term} t`);
    assertClose(c.pValue, ref.p[c.term], 1e-4, `${c.term} p`);
    assert.equal(c.df, ref.df_residual);
  }
  assert.equal(fit.dfResidual, ref.df_residual);
  assertClose(fit.sigma, ref.sigma, 1e-8, 'sigma');
  assertClose(fit.rSquared, ref.r_squared, 1e-8, 'R^2');
  assertClose(fit.adjRSquared, ref.adj_r_squared, 1e-8, 'adj R^2');
  assert.ok(fit.fStatistic !== null);
  assertClose(fit.fStatistic.value, ref.fstatistic[0], 1e-8, 'F');
  assert.equal(fit.fStatistic.numDf, ref.fstatistic[1]);
  assert.equal(fit.fStatistic.denDf, ref.fstatistic[2]);
  assertClose(fit.logLik, ref.logLik, 1e-10, 'logLik');
  assertClose(fit.AIC, ref.AIC, 1e-10, 'AIC');
  assertClose(fit.BIC, ref.BIC, 1e-10, 'BIC');
}

test('lmFit(distance ~ bow) matches R on archers3', () => {
  const d = readCsv('archers3');
  const frame = makeFrame({ y: num(d.distance), columns: dummies(d.bow, 'bow') });
  const fit = lmFit(frame);
  assertMatchesRef(fit, readRef('lm_archers3_bow'));
  assertClose(fit.fStatistic!.pValue, 0.0229826348860963, 1e-8, 'F p-value');
});

test('lmFit(distance ~ bow + archer) matches R on archers3 and archers50', () => {
  for (const data of ['archers3', 'archers50']) {
    const d = readCsv(data);
    const frame = makeFrame({ y: num(d.distance), columns: { ...dummies(d.bow, 'bow'), ...dummies(d.archer, 'archer') } });
    assertMatchesRef(lmFit(frame), readRef(`lm_${data}_bow_archer`));
  }
});

test('lmFit(angle ~ recipe * temp) matches R on cake', () => {
  const d = readCsv('cake');
  const temp = num(d.temp);
  const rec = dummies(d.recipe, 'recipe');
  const columns = {
    ...rec,
    temp,
    'recipeB:temp': rec.recipeB.map((v, i) => v * temp[i]),
    'recipeC:temp': rec.recipeC.map((v, i) => v * temp[i]),
  };
  assertMatchesRef(lmFit(makeFrame({ y: num(d.angle), columns })), readRef('lm_cake_interaction'));
});

test('lmFit(log(Reaction) ~ Days + I(Days^2)) matches R on sleepstudy', () => {
  const d = readCsv('sleepstudy');
  const days = num(d.Days);
  const frame = makeFrame({ y: num(d.Reaction).map(Math.log), columns: { Days: days, 'I(Days^2)': days.map((x) => x * x) } });
  assertMatchesRef(lmFit(frame), readRef('lm_sleepstudy_transform'));
});

test('lmFit(score ~ style + professor) drops the columns the QR finds aliased, as R does', () => {
  const d = readCsv('flipped');
  const frame = makeFrame({ y: num(d.score), columns: { ...dummies(d.style, 'style'), ...dummies(d.professor, 'professor') } });
  const fit = lmFit(frame);
  assert.deepEqual(fit.aliased, ['professor10', 'professor15']);
  assert.equal(fit.rank, 15);
  assertMatchesRef(fit, readRef('lm_flipped_style_prof'));
});

test('lmFit(frame) with an offset subtracts it and counts it in the fitted values', () => {
  const x = [1, 2, 3, 4, 5, 6];
  const off = [0.5, -1, 2, 0, 1, 3];
  const y = [2.1, 1.9, 7.2, 6.1, 8.8, 13.4];
  const withOffset = lmFit(makeFrame({ y, columns: { x }, offset: off }));
  const shifted = lmFit(makeFrame({ y: y.map((v, i) => v - off[i]), columns: { x } }));
  for (let k = 0; k < 2; k++) assertClose(withOffset.coefficients[k].estimate, shifted.coefficients[k].estimate, 1e-12);
  assertClose(withOffset.rSquared, shifted.rSquared, 1e-12);
  assertClose(withOffset.fitted[2], shifted.fitted[2] + off[2], 1e-12);
  assertClose(withOffset.logLik, shifted.logLik, 1e-12);
});

test('lmFit(frame) with weights equals the fit on replicated rows, except for logLik', () => {
  // Integer weights act as frequencies for the estimates; R's logLik.lm adds sum(log w) / 2
  // and counts rows, not frequencies, so it is computed here by its formula.
  const x = [0, 1, 2, 3, 4];
  const y = [1.2, 1.9, 3.4, 3.9, 5.3];
  const w = [1, 2, 3, 1, 2];
  const fit = lmFit(makeFrame({ y, columns: { x }, weights: w }));
  const rep = (v: number[]) => v.flatMap((a, i) => new Array(w[i]).fill(a));
  const expanded = lmFit(makeFrame({ y: rep(y), columns: { x: rep(x) } }));
  for (let k = 0; k < 2; k++) assertClose(fit.coefficients[k].estimate, expanded.coefficients[k].estimate, 1e-12);
  assertClose(fit.deviance, expanded.deviance, 1e-12);
  assertClose(fit.rSquared, expanded.rSquared, 1e-12);
  assert.equal(fit.dfResidual, 3);
  const m = 5;
  const sumLogW = w.reduce((s, v) => s + Math.log(v), 0);
  assertClose(fit.logLik, 0.5 * (sumLogW - m * (Math.log(2 * Math.PI) + 1 - Math.log(m) + Math.log(fit.deviance))), 1e-12);
});

test('lmFit(frame) ignores rows with zero weight in df, logLik and BIC', () => {
  const fit = lmFit(makeFrame({ y: [1, 2.2, 2.9, 100], columns: { x: [1, 2, 3, 4] }, weights: [1, 1, 1, 0] }));
  const sub = lmFit(makeFrame({ y: [1, 2.2, 2.9], columns: { x: [1, 2, 3] } }));
  assert.equal(fit.nobs, 3);
  assert.equal(fit.dfResidual, 1);
  assertClose(fit.coefficients[1].estimate, sub.coefficients[1].estimate, 1e-12);
  assertClose(fit.BIC, sub.BIC, 1e-12);
  assertClose(fit.residuals[3], 100 - fit.fitted[3], 1e-15);
});

test('lmFit(y ~ 1) has R^2 = 0 and no F statistic; lmFit(y ~ 0 + x) uses the uncentred R^2', () => {
  const y = [1, 3, 2, 5, 4];
  const null1 = lmFit(makeFrame({ y, columns: {} }));
  assert.equal(null1.fStatistic, null);
  assert.equal(null1.rSquared, 0);
  assertClose(null1.coefficients[0].estimate, 3, 1e-15);
  const x = [1, 2, 3, 4, 5];
  const noInt = lmFit(makeFrame({ y, columns: { x }, intercept: false }));
  const b = 53 / 55;
  const mss = x.reduce((s, v) => s + (b * v) ** 2, 0);
  assertClose(noInt.rSquared, mss / (mss + noInt.deviance), 1e-12);
  assert.equal(noInt.fStatistic!.numDf, 1);
});

test('lmFit(frame) rejects frames it cannot fit', () => {
  assert.throws(() => lmFit(makeFrame({ y: [], columns: {} })), MixedModelsError);
  assert.throws(() => lmFit(makeFrame({ y: [1, NaN, 2], columns: {} })), /non-finite/);
  assert.throws(() => lmFit(makeFrame({ y: [1, 2, 3], columns: {}, weights: [1, -1, 1] })), /non-negative/);
  assert.throws(() => lmFit(makeFrame({ y: [0.5, 0.2], columns: {}, trials: [2, 5] })), /binomial/);
});

test('lmFit with an offset: R-squared and F without the offset in the fitted values (R 4.3), and a note with R 4.2\'s', () => {
  // R 4.2.2: d <- data.frame(x = 1:8, g = rep(c("a", "b"), 4), y = c(2.1,3.9,6.2,7.8,10.1,12.3,13.8,16.2),
  // o = c(0.5,1.2,0.3,2.0,1.1,0.7,1.9,0.2)); summary(lm(y ~ x + g, d, offset = o)): R^2 0.970666827594,
  // adjusted 0.958933558631, F 82.727740299507 (the offset left in the fitted values). R 4.3 takes it out:
  // f <- fitted(m) - d$o; mss <- sum((f - mean(f))^2), the values asserted below by that formula.
  const data = { x: [1, 2, 3, 4, 5, 6, 7, 8], g: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b'], y: [2.1, 3.9, 6.2, 7.8, 10.1, 12.3, 13.8, 16.2], o: [0.5, 1.2, 0.3, 2.0, 1.1, 0.7, 1.9, 0.2] };
  const fit = lmFit(buildFrame('y ~ x + g + offset(o)', data));
  const f = Array.from(fit.fitted, (v, i) => v - data.o[i]), mean = f.reduce((s, v) => s + v, 0) / f.length;
  const mss = f.reduce((s, v) => s + (v - mean) ** 2, 0);
  assertClose(fit.rSquared, mss / (mss + fit.deviance), 1e-12, 'R^2 (R 4.3)');
  const note = fit.messages.find((m) => /^R-squared and the F statistic leave the offset out of the fitted values, as R 4\.3/.test(m));
  assert.ok(note !== undefined, fit.messages.join('\n'));
  assert.match(note, /R 4\.2 and earlier kept it in: R-squared 0\.9707, adjusted 0\.9589, F 82\.73/);
  assert.deepEqual(lmFit(buildFrame('y ~ x + g', data)).messages, [], 'no offset, no note');
});
