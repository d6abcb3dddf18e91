/**
 * augment() against broom.mixed 0.2.9.4 (test/fixtures/tidy/broom_mixed.R):
 * .fitted, .resid, .fixed, .mu per row, 1e-4 relative plus an absolute
 * 1e-5 of the response's scale (sleepstudy: 5e-3 ms of ~300; cbpp: 1e-4),
 * since the fits' optima agree to about 1e-5.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augment, lm, MixedModelsError } from '../../src/index.js';
import { assertRowsClose, data, models, ref } from './fixtures.js';

const COLUMNS = ['.fitted', '.resid', '.fixed', '.mu'];

test('augment(lmer) gives each row its data, .fitted, .resid, .fixed and .mu', () => {
  const rows = augment(models.sleep());
  assert.deepEqual(Object.keys(rows[0]), ['Reaction', 'Days', 'Subject', ...COLUMNS]);
  assertRowsClose(rows, ref.sleep.augment, 1e-4, 5e-3, COLUMNS);
});

test('augment(glmer) gives .fitted and .fixed on the link scale, .mu on the response scale, deviance residuals', () => {
  assertRowsClose(augment(models.cbpp()), ref.cbpp.augment, 1e-4, 1e-4, COLUMNS);
});

test('augment(lm, data) leaves out rows with missing values and keeps columns the model does not use', () => {
  const d = { y: [1, 2, NaN, 4, 7], x: [1, 2, 3, 4, 5], note: ['a', 'b', 'c', 'd', 'e'] };
  const m = lm('y ~ x', d);
  const rows = augment(m, d);
  assert.deepEqual(rows.map((r) => r.note), ['a', 'b', 'd', 'e']);
  for (const r of rows) assert.ok(Math.abs((r['.fitted'] as number) + (r['.resid'] as number) - (r.y as number)) < 1e-12);
  assert.throws(() => augment(m, { y: [1], x: [1] }), MixedModelsError);
});

test('augment(m) of a model fitted to the sleepstudy data keeps every column of its table', () => {
  assert.equal(augment(models.lm()).length, data('sleepstudy').nrow);
});
