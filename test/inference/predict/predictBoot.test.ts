// Bootstrap prediction intervals: reproducibility, and agreement with the analytic intervals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { glmer, lmer } from '../../../src/api/fit.js';
import { predict, type PredictOptions } from '../../../src/inference/predict/predict.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { dataFile } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const model = lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] });
const newdata = { Days: [0, 4.5, 9, 5, 12], Subject: ['308', '335', '372', '999', '999'] };
const boot: PredictOptions = { method: 'boot', nsim: 300, seed: 7, allowNewLevels: true };
const width = (p: { lower?: Float64Array; upper?: Float64Array }, i: number) => p.upper![i] - p.lower![i];

/** |boot width / reference width - 1| <= 0.15, and the boot interval's centre within 15% of that width of the reference's. */
function assertNear(b: ReturnType<typeof predict>, lower: number, upper: number, i: number, what: string): void {
  const w = upper - lower, ratio = width(b, i) / w, shift = (b.lower![i] + b.upper![i] - lower - upper) / 2 / w;
  assert.ok(Math.abs(ratio - 1) <= 0.15, `${what}: width ratio ${ratio}`);
  assert.ok(Math.abs(shift) <= 0.15, `${what}: centre shift ${shift} widths`);
}

test('predict(m, newdata, { method: "boot", seed }) is reproducible and keeps the analytic fit', () => {
  const a = predict(model, newdata, { ...boot, nsim: 20, level: 0.8, interval: 'prediction' });
  const b = predict(model, newdata, { ...boot, nsim: 20, level: 0.8, interval: 'prediction' });
  const c = predict(model, newdata, { ...boot, nsim: 20, level: 0.8, interval: 'prediction', seed: 8 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.lower, c.lower);
  assert.deepEqual(a.fit, predict(model, newdata, { allowNewLevels: true }).fit);
});

test('predict(m, newdata, { method: "boot", population }) is close to the analytic intervals', () => {
  for (const interval of ['confidence', 'prediction'] as const) {
    const a = predict(model, newdata, { interval, population: true });
    const b = predict(model, newdata, { ...boot, interval, population: true });
    for (let i = 0; i < 5; i++) assertNear(b, a.lower![i], a.upper![i], i, `${interval} row ${i + 1}`);
  }
});

test('predict(m, newdata, { method: "boot", interval: "prediction" }) for seen and new levels', () => {
  const a = predict(model, newdata, { interval: 'prediction', allowNewLevels: true });
  const b = predict(model, newdata, { ...boot, interval: 'prediction' });
  const conf = predict(model, newdata, { ...boot, interval: 'confidence' });
  // Seen levels: the widths of the exact conditional intervals, from lme4 1.1-31 in R with the joint
  // covariance of (beta^, b^ - b), sigma^2 blockdiag(Lambda, I) M^-1 blockdiag(Lambda', I), M = [Lambda'Z'Z Lambda + I, Lambda'Z'X; X'Z Lambda, X'X]
  // (the analytic method drops the cross term and is wider).
  [111.2266, 104.8541, 114.0796].forEach((w, i) => assertNear(b, a.fit[i] - w / 2, a.fit[i] + w / 2, i, `seen level row ${i + 1}`));
  for (const i of [3, 4]) assertNear(b, a.lower![i], a.upper![i], i, `new level row ${i + 1}`);
  for (let i = 0; i < 5; i++) assert.ok(width(b, i) > width(conf, i), `row ${i + 1}: prediction wider than confidence`);
});

const cbpp = readCsvFile(dataFile('cbpp'));
const glmm = glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { factors: ['herd', 'period'], family: 'binomial' });
const cbppNew = { period: ['1', '2', '3', '4'], herd: ['1', '1', '5', '5'] };

test('predict(glmm, newdata, { method: "boot", seed }) is reproducible, keeps the fit, and maps the link-scale bounds by g^-1', () => {
  const o: PredictOptions = { method: 'boot', nsim: 20, level: 0.8, interval: 'confidence', seed: 3 };
  const a = predict(glmm, cbppNew, o), b = predict(glmm, cbppNew, o);
  assert.deepEqual(a, b);
  assert.deepEqual(a.fit, predict(glmm, cbppNew).fit);
  const link = predict(glmm, cbppNew, { ...o, type: 'link' });
  const inv = (e: number) => 1 / (1 + Math.exp(-e));
  link.lower!.forEach((l, i) => {
    assert.ok(Math.abs(a.lower![i] - inv(l)) < 1e-15 && Math.abs(a.upper![i] - inv(link.upper![i])) < 1e-15);
    assert.ok(a.lower![i] < a.fit[i] && a.fit[i] < a.upper![i]);
  });
});

test('predict(glmm, newdata, { method: "boot", population }) agrees with the Wald intervals of x\'beta (binomial cbpp, 300 replicates)', () => {
  // The bootstrap distribution of x'beta^ is close to normal here: widths within 20%, centres within 20% of a width.
  const o: PredictOptions = { population: true, interval: 'confidence', type: 'link' };
  const b = predict(glmm, cbppNew, { ...o, method: 'boot', nsim: 300, seed: 5 }), a = predict(glmm, cbppNew, o);
  for (let i = 0; i < 4; i++) {
    const w = a.upper![i] - a.lower![i], ratio = width(b, i) / w, shift = (b.lower![i] + b.upper![i] - a.lower![i] - a.upper![i]) / 2 / w;
    assert.ok(Math.abs(ratio - 1) <= 0.2, `row ${i + 1}: width ratio ${ratio}`);
    assert.ok(Math.abs(shift) <= 0.2, `row ${i + 1}: centre shift ${shift}`);
  }
});

test('predict(glmm, newdata, { method: "boot", interval: "prediction" }) is refused: a GLMM has no residual', () => {
  assert.throws(() => predict(glmm, undefined, { method: 'boot', interval: 'prediction' }), /residual variance/);
  assert.throws(() => predict(model, undefined, { method: 'boot', nsim: 0, interval: 'confidence' }), /nsim/);
});
