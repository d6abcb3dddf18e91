import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeBlocks, formBlocks } from '../../src/lmm/blocks.js';
import { factorBlocks, type FactorBlock } from '../../src/lmm/factorBlocks.js';
import { buildFrame } from '../../src/api/fit.js';
import { setResponseColumn } from '../../src/lmm/conditioning/responseShift.js';
import type { ModelFrame } from '../../src/frame/types.js';
import { cases } from './helpers.js';

test('formBlocks(penicillin) stores co-occurrence counts in the sparse block and y\'y last', () => {
  const frame = cases.penicillin_crossed();
  const A = formBlocks(frame, factorBlocks(frame.reTerms, frame.nobs));
  // 24 plates x 6 samples, every pair once: A_10 is 6 x 24 with all 144 counts 1.
  const S = A.off[1][0];
  assert.equal(S.rowidx.length, 144);
  assert.ok(S.values.every((v) => v === 1));
  assert.deepEqual(Array.from(A.diag[0].values), new Array(24).fill(6));
  assert.deepEqual(Array.from(A.diag[1].values), new Array(6).fill(24));
  const yy = frame.y.reduce((s, y) => s + y * y, 0);
  assert.ok(Math.abs(A.xx[3] - yy) < 1e-9 * yy);
  assert.equal(A.ldW, 0);
});

test('describeBlocks(A) prints the kinds of the blocks of L', () => {
  const frame = cases.penicillin_crossed();
  const A = formBlocks(frame, factorBlocks(frame.reTerms, frame.nobs));
  assert.equal(
    describeBlocks(A),
    ['rows:         plate    sample   fixed', 'plate (24):   Diagonal', 'sample (6):   Sparse   Dense', 'fixed (2):    Dense    Dense    Dense'].join('\n'),
  );
  const s = cases.sleepstudy_slopes_reml();
  assert.match(describeBlocks(formBlocks(s, factorBlocks(s.reTerms, s.nobs))), /Subject \(36\): +BlkDiag/);
});

/** A's blocks by the definition, one row at a time in row order (so each sum adds its terms in the order formBlocks does). */
function blocksByRows(frame: ModelFrame, factors: FactorBlock[]) {
  const n = frame.nobs, p = frame.p, P = p + 1;
  const diag = factors.map((f) => new Float64Array(f.nl * f.k * f.k));
  const xz = factors.map((f) => new Float64Array(P * f.nl * f.k));
  const xx = new Float64Array(P * P);
  const pairs = factors.map((fi, i) => factors.slice(0, i).map(() => new Map<string, number>()));
  for (let r = 0; r < n; r++) {
    const w = frame.weights ? Math.sqrt(frame.weights[r]) : 1;
    const row = Array.from({ length: P }, (_, t) => (t < p ? frame.X[r + t * n] * w : (frame.offset ? frame.y[r] - frame.offset[r] : frame.y[r]) * w));
    factors.forEach((f, j) => {
      const z = f.z[r] * w, l = f.refs[r];
      diag[j][l] += z * z;
      for (let t = 0; t < P; t++) xz[j][l * P + t] += row[t] * z;
      factors.slice(0, j).forEach((g, i) => {
        const key = `${f.refs[r]},${g.refs[r]}`, m = pairs[j][i];
        m.set(key, (m.get(key) ?? 0) + f.z[r] * (g.z[r] * (frame.weights ? frame.weights[r] : 1)));
      });
    });
    for (let c = 0; c < P; c++) for (let a = c; a < P; a++) xx[a + c * P] += row[a] * row[c];
  }
  for (let c = 0; c < P; c++) for (let a = c + 1; a < P; a++) xx[c + a * P] = xx[a + c * P];
  return { diag, xz, xx, pairs };
}

test('formBlocks sums scalar terms as the rows define them, to the bit: counts, weights, an offset, a slope', () => {
  // Two crossed factors met unevenly (pairs repeated, some never met), a covariate, positive weights.
  const n = 400, g: string[] = [], h: string[] = [], x: number[] = [], y: number[] = [], w: number[] = [];
  let seed = 7;
  const rand = () => ((seed = (seed * 69069 + 1) >>> 0) / 2 ** 32);
  for (let r = 0; r < n; r++) {
    g.push(`g${Math.floor(rand() * 37)}`);
    h.push(`h${Math.floor(rand() * rand() * 11)}`);
    x.push(rand() * 3 - 1);
    y.push(rand() * 10);
    w.push(0.5 + rand());
  }
  const data = { y, x, g, h, w };
  for (const [formula, options] of [
    ['y ~ x + (1 | g) + (1 | h)', {}],
    ['y ~ x + (1 | g) + (1 | h)', { weights: 'w' }],
    ['y ~ x + offset(x) + (1 | g) + (0 + x | h)', {}],
    ['y ~ x + (0 + x | g) + (1 | h)', { weights: 'w' }],
  ] as const) {
    const frame = buildFrame(formula, data, options);
    const factors = factorBlocks(frame.reTerms, frame.nobs);
    const A = formBlocks(frame, factors), want = blocksByRows(frame, factors);
    assert.deepEqual(A.diag.map((d) => Array.from(d.values)), want.diag.map((d) => Array.from(d)), formula);
    assert.deepEqual(A.xz.map((d) => Array.from(d)), want.xz.map((d) => Array.from(d)), formula);
    assert.deepEqual(Array.from(A.xx), Array.from(want.xx), formula);
    const S = A.off[1][0], got = new Map<string, number>();
    for (let b = 0; b < S.nlCol; b++) {
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        if (e > S.colptr[b]) assert.ok(S.rowidx[e] > S.rowidx[e - 1], 'row levels increase within a column');
        got.set(`${S.rowidx[e]},${b}`, S.values[e]);
      }
    }
    assert.deepEqual(new Map([...got].sort()), new Map([...want.pairs[1][0]].sort()), formula);
    if (formula.includes('(1 | g) + (1 | h)') && !('weights' in options)) assert.ok(S.values.every((v) => Number.isInteger(v) && v >= 1));
  }
});

test('setResponseColumn forms the y parts of A from y - offset - X c, row by row to the bit, for any k and weights', () => {
  const n = 300, g: string[] = [], x: number[] = [], y: number[] = [], w: number[] = [], o: number[] = [];
  let seed = 11;
  const rand = () => ((seed = (seed * 69069 + 1) >>> 0) / 2 ** 32);
  for (let r = 0; r < n; r++) {
    g.push(`g${Math.floor(rand() * 13)}`);
    x.push(rand() * 4 - 2);
    y.push(1e6 + rand() * 10);
    w.push(0.25 + rand());
    o.push(rand());
  }
  for (const [formula, options] of [
    ['y ~ x + offset(o) + (1 + x | g)', { weights: 'w' }],
    ['y ~ x + (1 | g)', {}],
  ] as const) {
    const frame = buildFrame(formula, { y, x, g, w, o }, options);
    const factors = factorBlocks(frame.reTerms, frame.nobs);
    const A = formBlocks(frame, factors), p = A.p, P = p + 1;
    A.yShift = Float64Array.of(1e6, 0.5);
    setResponseColumn(frame, A, frame.y);
    const xy = new Float64Array(P), zy = factors.map((f) => new Float64Array(f.nl * f.k));
    for (let i = 0; i < n; i++) {
      let yi = frame.offset ? frame.y[i] - frame.offset[i] : frame.y[i];
      for (let t = 0; t < p; t++) yi -= frame.X[i + t * n] * A.yShift[t];
      const wy = frame.weights ? frame.weights[i] * yi : yi;
      for (let t = 0; t < p; t++) xy[t] += frame.X[i + t * n] * wy;
      xy[p] += wy * yi;
      factors.forEach((f, j) => {
        for (let a = 0; a < f.k; a++) zy[j][f.refs[i] * f.k + a] += f.z[i * f.k + a] * wy;
      });
    }
    for (let t = 0; t <= p; t++) {
      assert.equal(A.xx[p + t * P], xy[t], `${formula}: X'Wy ${t}`);
      assert.equal(A.xx[t + p * P], xy[t], `${formula}: symmetric ${t}`);
    }
    factors.forEach((f, j) => {
      const got = Array.from({ length: f.nl * f.k }, (_, c) => A.xz[j][c * P + p]);
      assert.deepEqual(got, Array.from(zy[j]), `${formula}: Z'Wy of ${f.group}`);
    });
  }
});
