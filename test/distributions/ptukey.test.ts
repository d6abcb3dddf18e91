// ptukey(q, nmeans, df) against R 4.2.2's ptukey on a grid of 864 points (test/fixtures/r/ptukey_r.json,
// made by test/fixtures/r/ptukey_refs.R): q from 0.05 to 20 (upper tails down to 1e-13), k from 2 to 500
// (and fractional k, as emmeans' dunnettx uses), df from 2 to Inf.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { prange, ptukey } from '../../src/distributions/ptukey.js';

interface Point { q: number; k: number; df: number | 'Inf'; lower: number; upper: number }
const ref = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'r', 'ptukey_r.json'), 'utf8'));
const grid: Point[] = ref.grid;
const df = (p: Point) => (p.df === 'Inf' ? Infinity : p.df);

test('ptukey(q, k, df) agrees with R within 1e-12 in both tails on the whole grid', () => {
  let worst = 0;
  for (const p of grid) {
    const lower = ptukey(p.q, p.k, df(p)), upper = ptukey(p.q, p.k, df(p), false);
    worst = Math.max(worst, Math.abs(lower - p.lower), Math.abs(upper - p.upper));
  }
  assert.ok(worst < 1e-12, `largest difference from R ${worst}`);
});

test('ptukey(q, k, df, false) agrees with R within 1e-6 relative down to upper tails of 1e-10, and 2e-3 to 1e-12', () => {
  for (const p of grid) {
    if (!(p.upper > 1e-12)) continue;
    const upper = ptukey(p.q, p.k, df(p), false);
    const tol = p.upper > 1e-10 ? 1e-6 : 2e-3;
    assert.ok(Math.abs(upper - p.upper) <= tol * p.upper, `q=${p.q} k=${p.k} df=${p.df}: ${upper} vs R ${p.upper}`);
  }
});

test('ptukey covers many groups and fractional numbers of means', () => {
  const many = grid.filter((p) => p.k === 500 && p.q === 6.5 && p.df === 42)[0];
  assert.ok(Math.abs(ptukey(6.5, 500, 42) - many.lower) < 1e-13);
  const fractional = grid.filter((p) => p.k === 4.5 && p.q === 3.5 && p.df === 12)[0];
  assert.ok(Math.abs(ptukey(3.5, 4.5, 12, false) - fractional.upper) < 1e-13);
});

test("ptukey's accuracy against the exact integral is R's: 3e-4 at df = 2, 1e-5 at df = 5, 1e-6 at df = 12", () => {
  // exact_upper: the double integral by R's integrate(rel.tol = 1e-12), test/fixtures/r/ptukey_refs.R.
  for (const e of ref.exact as { q: number; k: number; df: number; exact_upper: number; r_upper: number }[]) {
    const ours = ptukey(e.q, e.k, e.df, false);
    assert.ok(Math.abs(ours - e.r_upper) < 1e-13, `same as R at q=${e.q} k=${e.k} df=${e.df}`);
    const bound = e.df === 2 ? 3e-4 : e.df === 5 ? 1e-5 : 1e-6;
    assert.ok(Math.abs(ours - e.exact_upper) <= bound, `q=${e.q} k=${e.k} df=${e.df}: ${ours} vs exact ${e.exact_upper}`);
  }
});

test('ptukey edge cases follow R', () => {
  assert.equal(ptukey(0, 3, 10), 0);
  assert.equal(ptukey(-1, 3, 10, false), 1);
  assert.equal(ptukey(Infinity, 3, 10), 1);
  assert.ok(Number.isNaN(ptukey(3, 3, 1.5)), 'R returns NaN for df < 2');
  assert.ok(Number.isNaN(ptukey(3, 1, 10)), 'and for fewer than 2 means');
  assert.ok(Number.isNaN(ptukey(NaN, 3, 10)));
  assert.equal(ptukey(3, 3, 30000), prange(3, 3), 'df > 25000 is the range itself');
  assert.equal(ptukey(3, 3, Infinity), prange(3, 3));
});

test('prange(w, k) is 1 from w = 16 on and the two-means range is |Z1 - Z2|', () => {
  assert.equal(prange(16, 5), 1);
  // P(|Z1 - Z2| < w) = 2 Phi(w / sqrt(2)) - 1; R: 2 * pnorm(2 / sqrt(2)) - 1 = 0.842700792949715
  assert.ok(Math.abs(prange(2, 2) - 0.842700792949715) < 1e-9);
});
