// Multiplicity adjustments against R 4.2.2: p.adjust(c(0.01, 0.04, 0.03, 0.2), method) and zapsmall().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustMessage, adjustedPValues, checkAdjust, effectiveAdjust, zapsmall } from '../../../src/inference/emmeans/adjust.js';
import { ptTwoSided } from '../../../src/distributions/index.js';
import { ptukey } from '../../../src/distributions/ptukey.js';
import { MixedModelsError } from '../../../src/errors.js';

const p = [0.01, 0.04, 0.03, 0.2];
// t statistics on 1e6 df whose two-sided p-values are p (ptTwoSided inverts to 1e-12).
const t = p.map((pv) => {
  let lo = 0, hi = 40;
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (ptTwoSided(mid, 1e6) > pv) lo = mid; else hi = mid; }
  return lo;
});
const family = { t, df: p.map(() => 1e6), famSize: 4, pairs: false, rank: 3 };
const close = (a: number[], b: number[]) => a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-9, `${a} vs ${b}`));

test('adjustedPValues(method, family) equals R\'s p.adjust for holm, hochberg, BH (fdr), BY and bonferroni', () => {
  close(adjustedPValues('holm', family), [0.04, 0.09, 0.09, 0.2]);
  close(adjustedPValues('hochberg', family), [0.04, 0.08, 0.08, 0.2]);
  close(adjustedPValues('BH', family), [0.04, 0.0533333333333333, 0.0533333333333333, 0.2]);
  close(adjustedPValues('fdr', family), [0.04, 0.0533333333333333, 0.0533333333333333, 0.2]);
  close(adjustedPValues('BY', family), [0.0833333333333333, 0.111111111111111, 0.111111111111111, 0.416666666666667]);
  close(adjustedPValues('bonferroni', family), [0.04, 0.16, 0.12, 0.8]);
  close(adjustedPValues('none', family), p);
  close(adjustedPValues('sidak', family), p.map((v) => 1 - (1 - v) ** 4));
});

test('adjustedPValues("tukey", family) is ptukey(sqrt(2) |t|, famSize, zapsmall(df), upper)', () => {
  const f = { t: [2.5, -1], df: [41.99999981, 42.0000001], famSize: 3, pairs: true, rank: 2 };
  const got = adjustedPValues('tukey', f);
  assert.equal(got[0], ptukey(Math.SQRT2 * 2.5, 3, 42, false));
  assert.equal(got[1], ptukey(Math.SQRT2, 3, 42, false));
});

test('effectiveAdjust follows emmeans: one test is unadjusted, Tukey only for pairwise families', () => {
  assert.deepEqual(effectiveAdjust('tukey', { t: [1], pairs: true }), { method: 'none', note: null });
  assert.equal(effectiveAdjust('scheffe', { t: [1], pairs: false }).method, 'scheffe');
  const changed = effectiveAdjust('tukey', { t: [1, 2], pairs: false });
  assert.equal(changed.method, 'sidak');
  assert.match(changed.note!, /changed to "sidak"/);
  assert.equal(checkAdjust('Bonferroni'), 'bonferroni');
  assert.throws(() => checkAdjust('mvt'), MixedModelsError);
});

test('adjustMessage prints emmeans\' "P value adjustment" line', () => {
  assert.equal(adjustMessage('tukey', 3, 3, 2), 'P value adjustment: tukey method for comparing a family of 3 estimates');
  assert.equal(adjustMessage('tukey', 2, 1, 1), null);
  assert.equal(adjustMessage('holm', 6, 15, 5), 'P value adjustment: holm method for 15 tests');
  assert.equal(adjustMessage('scheffe', 4, 6, 3), 'P value adjustment: scheffe method with rank 3');
  assert.equal(adjustMessage('none', 4, 6, 3), null);
});

test('zapsmall(x, digits) rounds as R 4.2', () => {
  assert.deepEqual(zapsmall([10.18586, 2100.3, 205.9778], 5), [10.19, 2100.3, 205.98]);
  assert.deepEqual(zapsmall([41.99999981, 41.9999998, Infinity]), [42, 42, Infinity]);
  assert.deepEqual(zapsmall([41.99999981, 42.00000012]), [42, 42]);
  assert.deepEqual(zapsmall([NaN, 1.23456789]), [NaN, 1.2345679]);
});
