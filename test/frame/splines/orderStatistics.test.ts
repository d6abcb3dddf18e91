import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectRanks } from '../../../src/frame/splines/orderStatistics.js';
import { quantile7 } from '../../../src/frame/splines/quantile.js';
import { rng } from '../../linalg/random.js';

/** Samples of several shapes: distinct values, heavy ties, sorted, reversed, constant. */
function samples(n: number, seed: number): Float64Array[] {
  const r = rng(seed);
  const distinct = Float64Array.from({ length: n }, r);
  const ties = Float64Array.from({ length: n }, () => Math.round(r() * 6) + 0); // + 0: no -0 (a sort orders -0 before 0, selection need not)
  const sorted = Float64Array.from(distinct).sort();
  const reversed = Float64Array.from(sorted).reverse();
  const constant = new Float64Array(n).fill(2.5);
  return [distinct, ties, sorted, reversed, constant];
}

test('selectRanks(v, ranks) puts at each rank the value a full sort puts there', () => {
  for (const n of [1, 2, 3, 15, 16, 17, 100, 1001, 20000]) {
    for (const [s, x] of samples(n, n).entries()) {
      const want = Float64Array.from(x).sort();
      const r = rng(7 * n + s);
      const ranks = [...new Set([0, n - 1, Math.floor(n / 2), ...Array.from({ length: 5 }, () => Math.floor((r() + 0.5) * n))])].sort((a, b) => a - b);
      const v = Float64Array.from(x);
      selectRanks(v, ranks);
      for (const k of ranks) assert.equal(v[k], want[k], `n = ${n}, sample ${s}, rank ${k}`);
      assert.deepEqual(Float64Array.from(v).sort(), want, 'v is a permutation of x');
    }
  }
});

test('quantile7(x, p) equals type 7 on a full sort, NaN dropped, x untouched', () => {
  const probs = [0, 0.1, 0.25, 0.5, 0.75, 0.9, 1];
  for (const n of [1, 2, 5, 6, 97, 5000]) {
    for (const x of samples(n, 100 + n)) {
      const withNaN = Float64Array.from([...x, NaN]);
      const copy = Float64Array.from(withNaN);
      const sorted = Float64Array.from(x).sort();
      const want = probs.map((p) => {
        const h = 1 + (n - 1) * p, lo = Math.floor(h), hi = Math.ceil(h);
        const q = sorted[lo - 1];
        return h > lo && sorted[hi - 1] !== q ? (1 - (h - lo)) * q + (h - lo) * sorted[hi - 1] : q;
      });
      assert.deepEqual(quantile7(withNaN, probs), want, `n = ${n}`);
      assert.deepEqual(withNaN, copy);
    }
  }
});
