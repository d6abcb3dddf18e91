import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pfUpper, qf } from '../../src/distributions/f.js';
import { ptTwoSided } from '../../src/distributions/t.js';
import { assertClose } from './close.js';

// Reference values: the F-statistic lines of R's summary.lm for the
// fixtures in test/fixtures/refs (p-value of F on 1 df = the t-test p-value).

test('pfUpper(f, 1, df2) equals the two-sided t p-value of sqrt(f)', () => {
  assertClose(pfUpper(5.45580128691866, 1, 58), 0.0229826348860963, 1e-11);
  assertClose(pfUpper(48.9351329306409 ** 2, 1, 58), ptTwoSided(48.9351329306409, 58), 1e-10);
});

test('pfUpper(f, df1, df2) far in the tail and at its edges', () => {
  // With df1 = 2 the upper tail has the closed form (1 + 2 f / df2)^(-df2 / 2).
  assertClose(pfUpper(415.737522930484, 2, 56), (1 + (2 * 415.737522930484) / 56) ** -28, 1e-12);
  assertClose(pfUpper(0.3, 2, 7), (1 + 0.6 / 7) ** -3.5, 1e-13);
  assert.equal(pfUpper(0, 3, 5), 1);
  assert.equal(pfUpper(Infinity, 3, 5), 0);
  assert.ok(Number.isNaN(pfUpper(1, -1, 5)));
});

test('qf(p, df1, df2) at R values and round trip', () => {
  assertClose(qf(0.95, 2, 10), 4.10282101513040, 1e-12);
  assertClose(pfUpper(qf(0.99, 4, 30), 4, 30), 0.01, 1e-10);
});
