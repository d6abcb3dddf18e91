// Parametric bootstrap: the refit kernel, reproducibility (also across worker threads) and percentile intervals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, lmer } from '../../../src/api/fit.js';
import { qnorm } from '../../../src/distributions/index.js';
import { bootstrap, bootstrapReplicates, percentileInterval } from '../../../src/inference/bootstrap/bootstrap.js';
import { bootstrapNames, lmmRefitter, setResponse } from '../../../src/inference/bootstrap/bootRefit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { formBlocks, lmmProblem } from '../../../src/lmm/index.js';
import { bootstrapParallel } from '../../../src/node/bootstrapWorkers.js';
import { assertClose, dataFile, readRef } from '../../cli/helpers.js';

const sleep = readCsvFile(dataFile('sleepstudy'));
const model = lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] });

test('bootstrapNames(m) are lme4\'s confint(m, method = "boot") parameter names', () => {
  const ref = readRef('inference_sleepstudy');
  assert.deepEqual(bootstrapNames(model), ref.confint_profile.map((r: { param: string }) => r.param));
});

test('setResponse(problem, y) gives the blocks formBlocks builds from y shifted by the problem\'s least-squares fit (weights and offset included)', () => {
  const n = 180, w = Array.from({ length: n }, (_, i) => 0.5 + (i % 7) / 4);
  const frame = buildFrame('Reaction ~ Days + offset(Days / 3) + (Days | Subject)', sleep, { factors: ['Subject'], weights: w });
  const prob = lmmProblem(frame, { REML: true });
  const y = frame.y.map((v, i) => v + Math.sin(i));
  setResponse(prob, y);
  const c = prob.A.yShift!;
  const want = formBlocks({ ...frame, y: y.map((v, i) => v - frame.X[i] * c[0] - frame.X[i + n] * c[1]) }, prob.factors);
  want.xz.forEach((xz, j) => xz.forEach((v, e) => assertClose(prob.A.xz[j][e], v, 1e-12, `A_T${j}[${e}]`, 1e-9)));
  want.xx.forEach((v, e) => assertClose(prob.A.xx[e], v, 1e-12, `A_TT[${e}]`, 1e-9));
});

test('lmmRefitter(m)(y) on the model\'s own response gives back its estimates', () => {
  const out = lmmRefitter(model)(model.frame.y, new Float64Array(6));
  const vc = model.fit.varCorr.terms[0];
  const want = [vc.sd[0], vc.corr[1], vc.sd[1], model.fit.sigma, ...model.fit.beta];
  // Two optimiser runs on the same criterion: the correlation is its flattest direction.
  want.forEach((v, e) => assertClose(out[e], v, 1e-4, bootstrapNames(model)[e]));
});

test('bootstrap(m, { seed }) is reproducible; another seed gives other replicates', () => {
  const a = bootstrap(model, { nsim: 20, seed: 3, level: 0.8 }), b = bootstrap(model, { nsim: 20, seed: 3, level: 0.8 }), c = bootstrap(model, { nsim: 20, seed: 4, level: 0.8 });
  assert.deepEqual(a.replicates, b.replicates);
  assert.notDeepEqual(a.replicates, c.replicates);
  assert.equal(a.failed, 0);
});

test('bootstrapReplicates(m, seed, from, to) over split ranges equals the whole run', () => {
  const whole = bootstrapReplicates(model, 9, 0, 12);
  const parts = [bootstrapReplicates(model, 9, 0, 5), bootstrapReplicates(model, 9, 5, 12)];
  assert.deepEqual(Float64Array.from([...parts[0], ...parts[1]]), whole);
});

test('bootstrapParallel(m, { workers }) gives the same replicates for 1 and 2 workers as bootstrap()', async () => {
  const inline = bootstrap(model, { nsim: 30, seed: 21, level: 0.9 });
  let calls = 0;
  for (const workers of [1, 2]) {
    const par = await bootstrapParallel(model, { nsim: 30, seed: 21, level: 0.9, workers, onProgress: () => calls++ });
    assert.deepEqual(par.replicates, inline.replicates);
    assert.deepEqual(par.intervals, inline.intervals);
  }
  assert.ok(calls > 0);
});

test('bootstrapParallel(m) without workers runs the short bootstrap here, in chunks, to bootstrap()\'s replicates', async () => {
  const inline = bootstrap(model, { nsim: 75, seed: 8, level: 0.9 });
  const done: number[] = [];
  const here = await bootstrapParallel(model, { nsim: 75, seed: 8, level: 0.9, onProgress: (d) => done.push(d) });
  assert.deepEqual(here.replicates, inline.replicates);
  // The first chunk of 10 is run here and reported (later ones too, unless a slow machine hands the rest to workers).
  assert.equal(done[0], 10);
  assert.equal(done[done.length - 1], 75);
});

test('bootstrap(m, { nsim: 200 }) intervals bracket the estimates and resemble the profile intervals', () => {
  const ref = readRef('inference_sleepstudy');
  const b = bootstrap(model, { nsim: 200, seed: 1 });
  b.intervals.forEach((iv, e) => {
    assert.equal(iv.param, ref.confint_profile[e].param);
    assert.ok(iv.lower < iv.estimate && iv.estimate < iv.upper, `${iv.param}: ${iv.lower} < ${iv.estimate} < ${iv.upper}`);
    const prof = ref.confint_profile[e], width = prof.upper - prof.lower;
    assert.ok(Math.abs(iv.upper - iv.lower - width) < 0.5 * width, `${iv.param}: width ${iv.upper - iv.lower} vs profile ${width}`);
  });
});

test('percentileInterval(values, level) uses boot\'s order statistics, interpolating on the normal scale', () => {
  const xs = Array.from({ length: 99 }, (_, i) => 99 - i);
  const [l90, u90] = percentileInterval(xs, 0.9);
  assertClose(l90, 5, 1e-12, 'rank 5');
  assertClose(u90, 95, 1e-12, 'rank 95');
  const ys = Array.from({ length: 100 }, (_, i) => (i + 1) ** 2);
  const [lo] = percentileInterval(ys, 0.95);
  const k = 2, f = (qnorm(0.025) - qnorm(k / 101)) / (qnorm((k + 1) / 101) - qnorm(k / 101));
  assertClose(lo, 4 + f * (9 - 4), 1e-12, 'interpolated lower');
  assert.deepEqual(percentileInterval([NaN, 1, 2, 3], 0.5), [1, 3]);
  assert.deepEqual(percentileInterval([NaN], 0.9), [NaN, NaN]);
});
