// Issue 4's bad input for GLMMs: a clear message, never a stack trace or a silent NaN.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvWriter, fitFails, fitJson, noise, runCli } from './helpers.js';

const csv = csvWriter('mm-glmm-');

test('mixedmodels fit --family binomial with successes above trials says so', async () => {
  const path = csv('over.csv', 's,n,g', 40, (i) => `${i === 5 ? 12 : i % 5},10,g${i % 8}`);
  await fitFails([path, 'cbind(s, n - s) ~ 1 + (1 | g)', '--family', 'binomial'], /negative|above|exceed|more than/i);
});

test('mixedmodels fit --family poisson with negative or non-integer counts says so', async () => {
  const neg = csv('neg.csv', 'y,g', 40, (i) => `${i === 3 ? -1 : i % 4},g${i % 8}`);
  await fitFails([neg, 'y ~ 1 + (1 | g)', '--family', 'poisson'], /negative/i);
  const frac = csv('frac.csv', 'y,g', 40, (i) => `${i === 3 ? 1.5 : i % 4},g${i % 8}`);
  await fitFails([frac, 'y ~ 1 + (1 | g)', '--family', 'poisson'], /integer|whole/i);
});

test('mixedmodels fit --family binomial with groups of all zeros fits and says how many', async () => {
  const path = csv('zeros.csv', 'y,x,g', 400, (i) => `${i % 20 < 4 ? 0 : noise(i) < 0.4 ? 1 : 0},${noise(i + 999)},g${i % 20}`);
  const out = await fitJson([path, 'y ~ x + (1 | g)', '--family', 'binomial']);
  assert.ok(Number.isFinite(out.logLik));
  assert.ok(out.messages.some((m: string) => /all (zeros|failures)|only failures|no successes/i.test(m)), out.messages.join(' | '));
});

test('mixedmodels fit --family binomial with complete separation warns instead of returning NaN', async () => {
  const path = csv('sep.csv', 'y,x,g', 200, (i) => `${i % 10 < 5 ? 1 : 0},${i % 10 < 5 ? 1 + noise(i) : -1 - noise(i)},g${i % 10}`);
  const r = await runCli(['fit', path, 'y ~ x + (1 | g)', '--family', 'binomial', '--format', 'json']);
  if (r.code === 0) {
    const out = JSON.parse(r.stdout);
    assert.ok(out.messages.some((m: string) => /separat|0 or 1|converge/i.test(m)), out.messages.join(' | '));
  } else {
    assert.equal(r.code, 1);
    assert.match(r.stderr, /separat|converge/i);
  }
});
