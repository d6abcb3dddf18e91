// Issue 3's bad input for mixed models: a clear error or message, never a hang or a wrong number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvWriter, fitFails, fitJson, noise } from './helpers.js';

const csv = csvWriter('mm-lmm-');
/** Deterministic pseudo-random numbers in (-1, 1). */
const signedNoise = (i: number) => 2 * noise(i) - 1;

test('mixedmodels fit with a one-level grouping factor says it needs more levels', async () => {
  const path = csv('one.csv', 'y,x,g', 20, (i) => `${signedNoise(i)},${i},a`);
  await fitFails([path, 'y ~ x + (1 | g)'], /grouping factors must have > 1 sampled level/);
});

test('mixedmodels fit with as many random effects as observations refuses', async () => {
  const path = csv('each.csv', 'y,g', 30, (i) => `${signedNoise(i)},g${i}`);
  await fitFails([path, 'y ~ 1 + (1 | g)'], /number of levels of each grouping factor must be < number of observations/);
});

test('mixedmodels fit with a constant response says it is constant', async () => {
  const path = csv('const.csv', 'y,x,g', 20, (i) => `5,${i},${i % 4}`);
  await fitFails([path, 'y ~ x + (1 | g)'], /response 'y' is constant/);
});

test('mixedmodels fit with Infinity or NaN in the data names the row', async () => {
  const inf = csv('inf.csv', 'y,x,g', 20, (i) => `${i === 3 ? 'Inf' : noise(i)},${i},${i % 4}`);
  await fitFails([inf, 'y ~ x + (1 | g)'], /column 'y' is Inf in row 4: infinite values cannot be fitted/);
  const nan = csv('nan.csv', 'y,x,g', 20, (i) => `${i === 3 ? 'NaN' : noise(i)},${i},${i % 4}`);
  const out = await fitJson([nan, 'y ~ x + (1 | g)']);
  assert.equal(out.nobs, 19, 'NaN is missing, as in R');
  assert.equal(out.nDropped, 1);
});

test('mixedmodels fit with a bar over a numeric column of many values says it is probably a covariate', async () => {
  const path = csv('numeric.csv', 'y,x', 3000, (i) => `${signedNoise(i)},${i % 1500}`);
  const out = await fitJson([path, 'y ~ 1 + (1 | x)']);
  assert.ok(out.messages.some((m: string) => /numeric column with 1500 distinct values/.test(m)), out.messages.join('; '));
  assert.ok(Number.isFinite(out.logLik));
});
