// lmFit's notes on a fit that leaves nothing unexplained (src/lm/perfectFit.ts).
// References: R 4.2.2. summary.lm warns "essentially perfect fit: summary may be unreliable"
// for every fit here that expects the message and is silent for the ordinary fit and for y = 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmFit } from '../../src/lm/lm.js';
import { makeFrame } from './helpers.js';

const x = Array.from({ length: 30 }, (_, i) => ((i * 7) % 13) + 0.5 * i);
const PERFECT = /^essentially perfect fit: summary may be unreliable \(/;
const CONSTANT = /^the response 'y' is constant \(every value is 5\)/;

test('lmFit(y ~ x) with y = 5 in every row notes the constant response and R\'s essentially perfect fit', () => {
  const fit = lmFit(makeFrame({ y: x.map(() => 5), columns: { x } }));
  assert.equal(fit.messages.length, 2, fit.messages.join('\n'));
  assert.match(fit.messages[0], CONSTANT);
  assert.match(fit.messages[1], PERFECT);
  assert.ok(fit.diagnostics.every((d) => d.kind === 'note'));
  assert.equal(fit.converged, true);
});

test('lmFit(y ~ x) with y = 2x + 1 exactly gives R\'s essentially perfect fit message only', () => {
  const fit = lmFit(makeFrame({ y: x.map((v) => 2 * v + 1), columns: { x } }));
  assert.equal(fit.messages.length, 1, fit.messages.join('\n'));
  assert.match(fit.messages[0], PERFECT);
});

test('lmFit(y ~ x) of an ordinary fit has no messages', () => {
  const fit = lmFit(makeFrame({ y: x.map((v, i) => 2 * v + 1 + Math.sin(3.1 * i)), columns: { x } }));
  assert.deepEqual(fit.messages, []);
  assert.deepEqual(fit.diagnostics, []);
});

test('lmFit(y ~ x) with y = 1 and x = 1, 2, 4, 8 gives R\'s Inf and NaN statistics and both messages', () => {
  // R: t = 1/0 = Inf (p 0) for the intercept, 0/0 = NaN for x; sigma 0; R^2 and F NaN.
  const fit = lmFit(makeFrame({ y: [1, 1, 1, 1], columns: { x: [1, 2, 4, 8] } }));
  assert.deepEqual(fit.coefficients.map((c) => [c.estimate, c.stdError, c.statistic, c.pValue]), [[1, 0, Infinity, 0], [0, 0, NaN, NaN]]);
  assert.equal(fit.sigma, 0);
  assert.ok(Number.isNaN(fit.rSquared) && Number.isNaN(fit.fStatistic!.value));
  assert.equal(fit.messages.length, 2, fit.messages.join('\n'));
  assert.match(fit.messages[1], PERFECT);
});

test('lmFit(y ~ x) with y = 0 in every row notes the constant response, where R\'s test (f = 0) is silent', () => {
  const fit = lmFit(makeFrame({ y: x.map(() => 0), columns: { x } }));
  assert.deepEqual(fit.messages, ["the response 'y' is constant (every value is 0): there is no variation for the predictors to explain"]);
});

test('lmFit(y ~ x, weights) looks at the rows with positive weight only for a constant response', () => {
  const fit = lmFit(makeFrame({ y: x.map((_, i) => (i === 0 ? 9 : 5)), columns: { x }, weights: x.map((_, i) => (i === 0 ? 0 : 1)) }));
  assert.match(fit.messages[0], CONSTANT);
});
