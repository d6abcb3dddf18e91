import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lm, lmer } from '../../src/api/fit.js';
import { confint } from '../../src/inference/confint.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { dataFile, readRef } from '../cli/helpers.js';

// References: lme4 1.1-31 (test/fixtures/refs/inference_sleepstudy.json).
const ref = readRef('inference_sleepstudy');
const data = readCsvFile(dataFile('sleepstudy'));
const model = lmer(ref.formula, data, { factors: ref.factors });
const names = ref.confint_profile.map((r: { param: string }) => r.param);

test('confint(model) defaults to profile intervals in lme4\'s order (1% of width)', () => {
  const rows = confint(model);
  assert.deepEqual(rows.map((r) => r.parameter), names);
  ref.confint_profile.forEach((r: { param: string; lower: number; upper: number }, k: number) => {
    const tol = 0.01 * (r.upper - r.lower);
    assert.ok(Math.abs(rows[k].lower! - r.lower) <= tol && Math.abs(rows[k].upper! - r.upper) <= tol, r.param);
  });
});

test('confint(model, { level: 0.9 }) is narrower than at 0.95 for every parameter', () => {
  const a = confint(model, { level: 0.9 }), b = confint(model);
  a.forEach((r, k) => assert.ok(r.lower! > b[k].lower! && r.upper! < b[k].upper!, r.parameter));
});

test('confint(model, { method: "wald" }) gives lme4\'s Wald rows: NA for variance parameters', () => {
  const rows = confint(model, { method: 'wald' });
  assert.deepEqual(rows.map((r) => r.parameter), names);
  assert.deepEqual(rows.slice(0, 4).map((r) => r.lower), [null, null, null, null]);
  ref.confint_wald_fixef.forEach((r: { lower: number; upper: number }, j: number) => {
    assert.ok(Math.abs(rows[4 + j].lower! - r.lower) < 1e-6 * Math.abs(r.lower));
    assert.ok(Math.abs(rows[4 + j].upper! - r.upper) < 1e-6 * Math.abs(r.upper));
  });
});

test('confint(model, { method: "boot", nsim, seed }) gives percentile intervals around the estimates', () => {
  const rows = confint(model, { method: 'boot', nsim: 50, seed: 3 });
  assert.deepEqual(rows.map((r) => r.parameter), names);
  for (const r of rows) assert.ok(r.lower !== null && r.upper !== null && r.lower < r.upper, r.parameter);
  assert.deepEqual(confint(model, { method: 'boot', nsim: 50, seed: 3 }), rows);
});

test('confint(model, options) rejects a bad method or level, and the profile of an lm (R has none)', () => {
  assert.throws(() => confint(model, { method: 'exact' as never }), /method must be one of wald, profile, boot/);
  assert.throws(() => confint(model, { level: 95 }), /level must be between 0 and 1/);
  assert.throws(() => confint(lm('Reaction ~ Days', data), { method: 'profile' }), /an lm's intervals are R's confint.lm t intervals/);
});

test('confint(singular random-slope model) reaches the bounds: sd 0 and correlation [-1, 1]', () => {
  // Random intercepts only in the data, so (1 + x | g) is fitted with a zero slope sd and a correlation of -1.
  let s = 7;
  const unif = (): number => (s = (s * 16807) % 2147483647) / 2147483647;
  const norm = (): number => Math.sqrt(-2 * Math.log(unif())) * Math.cos(2 * Math.PI * unif());
  const g: string[] = [], x: number[] = [], y: number[] = [];
  for (let j = 0; j < 8; j++) {
    const a = 2 * norm();
    for (let i = 0; i < 6; i++) {
      g.push(`g${j}`);
      x.push(i);
      y.push(1 + 0.5 * i + a + norm());
    }
  }
  const m = lmer('y ~ x + (1 + x | g)', { g, x, y });
  assert.ok(m.fit.isSingular);
  const rows = confint(m);
  assert.deepEqual([rows[1].lower, rows[1].upper], [-1, 1]);
  assert.equal(rows[2].lower, 0);
  for (const r of rows) assert.ok(r.lower !== null && r.upper !== null && r.lower < r.upper, r.parameter);
});
