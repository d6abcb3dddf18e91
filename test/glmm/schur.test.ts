/**
 * The crossed layout's dense products (src/glmm/pirls/schur.ts) against the plain row-by-row
 * sums they replace, on M12 with dense rows (taken four at a time: by plain loops below width
 * 48, by the dense kernels from 48 on, in calls of up to 256 rows), sparse rows (one at a time,
 * zeros skipped), a mix of both, zero rows and row counts that are not multiples of 4.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { c12Entry, rowsTimesSymmetric, schurLower } from '../../src/glmm/pirls/schur.js';

/** A small deterministic generator (the tests must not depend on Math.random). */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

/** M12 (q1 x r, row-major): row l dense, sparse (about one entry in six) or zero by `kind(l)`. */
function rowsOf(q1: number, r: number, kind: (l: number) => 'dense' | 'sparse' | 'zero', rnd: () => number): Float64Array {
  const m = new Float64Array(q1 * r);
  for (let l = 0; l < q1; l++) {
    const k = kind(l);
    for (let c = 0; c < r; c++) {
      if (k === 'zero' || (k === 'sparse' && rnd() > 1 / 6)) continue;
      m[l * r + c] = rnd() * 2 - 1;
    }
  }
  return m;
}

function naiveSchur(S: Float64Array, m12: Float64Array, d1: Float64Array, q1: number, r: number): void {
  for (let l = 0; l < q1; l++) {
    for (let c = 0; c < r; c++) {
      for (let e = c; e < r; e++) S[c * r + e] -= (m12[l * r + c] * m12[l * r + e]) / d1[l];
    }
  }
}

function close(a: Float64Array, b: Float64Array, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) {
    assert.ok(Math.abs(a[i] - b[i]) <= 1e-13 * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

const LAYOUTS: [string, (l: number) => 'dense' | 'sparse' | 'zero'][] = [
  ['dense', () => 'dense'],
  ['sparse', () => 'sparse'],
  ['mixed', (l) => (l % 7 === 3 ? 'zero' : l % 5 < 2 ? 'sparse' : 'dense')],
];

test('schurLower: S - M12\'D1^-1 M12 on the lower triangle, the upper one untouched (dense, sparse and mixed rows; with and without the rows\' pattern)', () => {
  const rnd = generator(7);
  for (const [name, kind] of LAYOUTS) {
    for (const [q1, r] of [[1, 3], [4, 5], [13, 6], [30, 24], [33, 9], [7, 48], [70, 48], [260, 49], [301, 50]]) {
      const m12 = rowsOf(q1, r, kind, rnd);
      const d1 = Float64Array.from({ length: q1 }, () => 1 + 3 * rnd());
      const S0 = Float64Array.from({ length: r * r }, () => rnd());
      const got = S0.slice(), want = S0.slice();
      schurLower(got, m12, d1, q1, r);
      naiveSchur(want, m12, d1, q1, r);
      close(got, want, `${name} q1=${q1} r=${r}`);
      for (let c = 0; c < r; c++) for (let e = 0; e < c; e++) assert.equal(got[c * r + e], S0[c * r + e], 'upper triangle written');
      // With the rows' pattern (crossedSystem.ts): each row's nonzero columns of the first r - 2 and some zero ones
      // (a pattern may hold more than the nonzeros), the last two columns always (a joint run's fixed effects).
      const width = Math.max(1, r - 2), start = new Int32Array(q1 + 1), cols: number[] = [];
      for (let l = 0; l < q1; l++) {
        for (let c = 0; c < width; c++) if (m12[l * r + c] !== 0 || (l + c) % 9 === 0) cols.push(c);
        start[l + 1] = cols.length;
      }
      const byPattern = S0.slice();
      schurLower(byPattern, m12, d1, q1, r, { start, cols: Int32Array.from(cols), width });
      close(byPattern, want, `${name} with the pattern, q1=${q1} r=${r}`);
    }
  }
});

test('rowsTimesSymmetric: C12 = -D1^-1 M12 C22 (sparse rows: at M12\'s nonzeros, c12Entry elsewhere) and diag C11 = (1 - rowsum(C12 .* M12)) / D1', () => {
  const rnd = generator(11);
  for (const [name, kind] of LAYOUTS) {
    for (const [q1, q2] of [[1, 3], [4, 4], [13, 6], [30, 24], [33, 9], [7, 48], [70, 48], [260, 49], [301, 50]]) {
      const m12 = rowsOf(q1, q2, kind, rnd);
      const d1 = Float64Array.from({ length: q1 }, () => 1 + 3 * rnd());
      const C22 = new Float64Array(q2 * q2);
      for (let a = 0; a < q2; a++) for (let b = 0; b <= a; b++) C22[a * q2 + b] = C22[b * q2 + a] = a === b ? 2 + rnd() : rnd() - 0.5;
      const c12 = new Float64Array(q1 * q2).fill(NaN), c11 = new Float64Array(q1).fill(NaN);
      rowsTimesSymmetric(m12, d1, C22, q1, q2, c12, c11);
      const want12 = new Float64Array(q1 * q2), want11 = new Float64Array(q1);
      for (let l = 0; l < q1; l++) {
        let s = 0;
        for (let b = 0; b < q2; b++) {
          let t = 0;
          for (let a = 0; a < q2; a++) t += m12[l * q2 + a] * C22[a * q2 + b];
          want12[l * q2 + b] = -t / d1[l];
          s += want12[l * q2 + b] * m12[l * q2 + b];
        }
        want11[l] = (1 - s) / d1[l];
      }
      // A sparse row's C12 is NaN where its M12 is 0; c12Entry gives those entries.
      let left = 0;
      for (let k = 0; k < c12.length; k++) {
        if (!Number.isNaN(c12[k])) continue;
        assert.equal(m12[k], 0, `${name}: C12 left out at a nonzero of M12 (${k})`);
        c12[k] = c12Entry(m12, d1, C22, Math.floor(k / q2), k % q2, q2);
        left++;
      }
      if (name === 'sparse' && q1 >= 13) assert.ok(left > 0, 'no entry of a sparse row was left out');
      if (name === 'dense') assert.equal(left, 0);
      close(c12, want12, `${name} c12 q1=${q1} q2=${q2}`);
      close(c11, want11, `${name} c11 q1=${q1} q2=${q2}`);
    }
  }
});
