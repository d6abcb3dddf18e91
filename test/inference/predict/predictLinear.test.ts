// predict for lm and GLM models against R 4.2.2's predict.lm and predict.glm (test/fixtures/r/lm_glm_predict_confint.R).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fitModel, glm, lm } from '../../../src/api/fit.js';
import { MixedModelsError } from '../../../src/errors.js';
import { predict } from '../../../src/inference/predict/predict.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile } from '../../cli/helpers.js';
import { assertClose } from '../../distributions/close.js';

interface Case {
  name: string; kind: 'lm' | 'glm'; data: string; formula: string; factors: string[]; family?: string; link?: string;
  weights: string | null; level: number; newdata: Record<string, number | string>[];
  fit?: number[]; se?: number[]; conf_lower?: number[]; conf_upper?: number[]; pred_lower?: number[]; pred_upper?: number[];
  own_pred_lower?: number[]; own_pred_upper?: number[];
  link_fit?: number[]; link_se?: number[]; response_fit?: number[]; response_se?: number[];
}
const refs = JSON.parse(readFileSync(new URL('../../fixtures/r/lm_glm_predict_confint.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** newdata's rows as columns. */
const columns = (rows: Record<string, number | string>[]): Record<string, (number | string)[]> =>
  Object.fromEntries(Object.keys(rows[0]).map((k) => [k, rows.map((r) => r[k])]));

function fitCase(c: Case) {
  const options = { factors: c.factors, ...(c.weights ? { weights: c.weights } : {}), ...(c.family ? { family: c.family, link: c.link } : {}) };
  return fitModel(c.formula, readCsvFile(dataFile(c.data)), options);
}

const close = (got: ArrayLike<number>, want: number[], rel: number, what: string): void => {
  assert.equal(got.length, want.length, what);
  want.forEach((w, i) => assertClose(got[i], w, rel, `${what}[${i}]`));
};

for (const c of refs.cases.filter((x) => x.kind === 'lm')) {
  test(`predict(lm) matches R's predict.lm: fit, se.fit, confidence and prediction intervals (${c.name})`, () => {
    const m = fitCase(c);
    assert.equal(m.kind, 'lm');
    const nd = columns(c.newdata);
    const conf = predict(m, nd, { interval: 'confidence', level: c.level });
    close(conf.fit, c.fit!, 1e-10, 'fit');
    close(conf.se!, c.se!, 1e-9, 'se');
    close(conf.lower!, c.conf_lower!, 1e-10, 'confidence lower');
    close(conf.upper!, c.conf_upper!, 1e-10, 'confidence upper');
    const pred = predict(m, nd, { interval: 'prediction', level: c.level });
    close(pred.lower!, c.pred_lower!, 1e-10, 'prediction lower');
    close(pred.upper!, c.pred_upper!, 1e-10, 'prediction upper');
    assert.equal(pred.messages.some((s) => /weight 1 for the new rows/.test(s)), c.weights !== null, 'a weighted fit says new rows take weight 1');
    const own = predict(m, undefined, { interval: 'prediction', level: c.level });
    close(own.lower!.subarray(0, c.own_pred_lower!.length), c.own_pred_lower!, 1e-10, 'fitted rows, prediction lower');
    close(own.upper!.subarray(0, c.own_pred_upper!.length), c.own_pred_upper!, 1e-10, 'fitted rows, prediction upper');
    assert.ok(own.messages.some((s) => /for new responses at those rows/.test(s)));
  });
}

for (const c of refs.cases.filter((x) => x.kind === 'glm')) {
  test(`predict(glm) matches R's predict.glm on the link and response scales, with the link's se.fit (${c.name})`, () => {
    const m = fitCase(c);
    assert.equal(m.kind, 'glm');
    const nd = columns(c.newdata);
    const link = predict(m, nd, { type: 'link', interval: 'confidence' });
    close(link.fit, c.link_fit!, 1e-7, 'link fit');
    close(link.se!, c.link_se!, 1e-6, 'link se');
    const response = predict(m, nd, { type: 'response' });
    close(response.fit, c.response_fit!, 1e-7, 'response fit');
    // R's response-scale se.fit is the link's times |d mu / d eta|.
    const eps = 1e-6;
    const dmu = link.fit.map((e, i) => Math.abs(linkinvAt(m, e + eps) - linkinvAt(m, e - eps)) / (2 * eps) * link.se![i]);
    close(dmu, c.response_se!, 1e-5, 'response se');
  });
}

/** g^-1(eta) for the links of the cases, written out here (independent of the library's). */
function linkinvAt(m: ReturnType<typeof fitModel>, eta: number): number {
  const link = m.kind === 'glm' ? m.fit.link : 'identity';
  switch (link) {
    case 'logit': return 1 / (1 + Math.exp(-eta));
    case 'log': return Math.exp(eta);
    case 'identity': return eta;
    case '1/mu^2': return 1 / Math.sqrt(eta);
    case 'probit': return 0.5 * (1 + erf(eta / Math.SQRT2));
    default: throw new Error(`no inverse for ${link} here`);
  }
}
function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse for 1e-5; integrate the series instead.
  let s = 0, term = x;
  for (let k = 0; k < 200; k++) {
    s += term / (2 * k + 1);
    term *= (-x * x) / (k + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * s;
}

test('predict(glm) intervals: t quantiles on the residual df when the dispersion is estimated, normal ones otherwise', () => {
  const sleep = readCsvFile(dataFile('sleepstudy'));
  const g = glm('Reaction ~ Days', sleep, { family: 'Gamma', link: 'log' });
  const p = predict(g, { Days: [3] }, { type: 'link', interval: 'confidence', level: 0.9 });
  const half = (p.upper![0] - p.lower![0]) / 2 / p.se![0];
  assertClose(half, 1.653459126, 1e-9, 'qt(0.95, 178)'); // R: qt(0.95, 178) = 1.653459126
  const cbpp = readCsvFile(dataFile('cbpp'));
  const b = glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial', factors: ['period'] });
  const q = predict(b, { period: ['2'] }, { type: 'link', interval: 'confidence' });
  assertClose((q.upper![0] - q.lower![0]) / 2 / q.se![0], 1.959963985, 1e-9, 'qnorm(0.975)');
  // On the response scale the link's bounds are mapped by g^-1.
  const r = predict(b, { period: ['2'] }, { interval: 'confidence' });
  assertClose(r.lower![0], 1 / (1 + Math.exp(-q.lower![0])), 1e-12);
});

test('predict(lm/glm) refuses what has no meaning there: a bootstrap, new levels, a GLM\'s prediction interval', () => {
  const sleep = readCsvFile(dataFile('sleepstudy'));
  const m = lm('Reaction ~ Days', sleep);
  assert.throws(() => predict(m, undefined, { interval: 'confidence', method: 'boot' }), (e: Error) => e instanceof MixedModelsError && /bootstrap intervals are for mixed models; an lm/.test(e.message));
  assert.throws(() => predict(m, { Days: [1] }, { allowNewLevels: true }), /grouping factors; an lm has none/);
  const g = glm('Reaction ~ Days', sleep, { family: 'poisson' });
  assert.throws(() => predict(g, { Days: [1] }, { interval: 'prediction' }), /prediction intervals need a residual variance on the link's scale: a poisson\(log\) GLM has none/);
  const gauss = glm('Reaction ~ Days', sleep, { family: 'gaussian' });
  const lp = predict(m, { Days: [1] }, { interval: 'prediction' }), gp = predict(gauss, { Days: [1] }, { interval: 'prediction' });
  assertClose(gp.lower![0], lp.lower![0], 1e-10, 'the gaussian GLM with the identity link predicts as the lm');
});

test('predict(lm) of a rank-deficient fit predicts from the estimable columns and says so', () => {
  const rows = { Reaction: [1, 2, 3, 5], Days: [0, 1, 2, 3], D2: [0, 2, 4, 6] };
  const m = lm('Reaction ~ Days + D2', rows);
  const p = predict(m, { Days: [4], D2: [8] });
  assert.ok(p.messages.some((s) => /rank-deficient \(no estimate for D2\)/.test(s)), p.messages.join('; '));
  const slope = m.fit.coefficients.find((c) => c.term === 'Days')!.estimate, icpt = m.fit.coefficients[0].estimate;
  assertClose(p.fit[0], icpt + 4 * slope, 1e-12);
});

test('predict(lm/glm) says what the numbers cannot: weight-0 rows\' infinite prediction intervals, a GLM fit\'s separation', () => {
  const data = { y: [1, 2, 4, 3, 6, 5], x: [1, 2, 3, 4, 5, 6], w: [1, 0, 2, 1, 1, 0] };
  const m = lm('y ~ x', data, { weights: 'w' });
  const p = predict(m, undefined, { interval: 'prediction' });
  assert.deepEqual([p.lower![1], p.upper![1]], [-Infinity, Infinity], 'R: -Inf, Inf');
  assert.match(p.messages.join('; '), /2 fitted rows have weight 0: their prediction intervals are infinite \(R: -Inf, Inf; null in JSON\)/);
  const sep = glm('y ~ x', { y: [0, 0, 0, 1, 1, 1], x: [1, 2, 3, 4, 5, 6] }, { family: 'binomial' });
  const q = predict(sep, { x: [3.5] }, { interval: 'confidence' });
  assert.ok(sep.fit.diagnostics.some((d) => d.kind === 'separation'));
  assert.match(q.messages.join('; '), /^the fit: .*separation/);
});
