import { test } from 'node:test';
import assert from 'node:assert/strict';
import { denseWasm } from '../../src/linalg/denseWasm.js';
import { potrf } from '../../src/linalg/potrf.js';
import { invLowerTrans, potriLower } from '../../src/linalg/potri.js';
import { setRankUpdateKernel } from '../../src/linalg/rankUpdate.js';
import { lowerOf, mulNT, randomSpd } from './random.js';

// The WebAssembly kernels (wasm/dense.ts) against the JavaScript ones (setRankUpdateKernel('js'))
// and naive products, on orders that are not multiples of the block sizes (NB = 64, MC = KC = KB = 128),
// below them, and on sub-blocks with offsets and leading dimensions other than n.

function withJs<T>(f: () => T): T {
  setRankUpdateKernel('js');
  try {
    return f();
  } finally {
    setRankUpdateKernel('wasm');
  }
}

/** a (n x n) placed at off in an array of leading dimension ld, every other element 42. */
function embed(n: number, a: Float64Array, off: number, ld: number): Float64Array {
  const big = new Float64Array(off + ld * n + 3).fill(42);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) big[off + i + j * ld] = a[i + j * n];
  return big;
}

function extract(n: number, big: Float64Array, off: number, ld: number): Float64Array {
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) a[i + j * n] = big[off + i + j * ld];
  return a;
}

function maxRelDiff(a: Float64Array, b: Float64Array): number {
  let scale = 0, d = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    d = Math.max(d, Math.abs(a[i] - b[i]));
  }
  return d / scale;
}

test('denseWasm(n) gives the module for 65 <= n <= 16384, and null outside or with the JavaScript kernel', () => {
  assert.ok(denseWasm(65) !== null);
  assert.equal(denseWasm(64), null);
  assert.equal(denseWasm(16385), null);
  assert.equal(withJs(() => denseWasm(300)), null);
});

const cases: [number, number, number][] = [[65, 0, 65], [67, 3, 70], [100, 0, 100], [130, 11, 133], [193, 2, 200], [261, 5, 261], [70, 1, 71], [600, 4, 605]];

for (const [n, off, ld] of cases) {
  test(`potrf(${n}, a, ${off}, ${ld}) in the module matches the JavaScript factor and L L' = A; the rest untouched`, () => {
    const a = randomSpd(n, n + 1);
    const big = embed(n, a, off, ld), ref = big.slice();
    assert.equal(potrf(n, big, off, ld), 0);
    assert.equal(withJs(() => potrf(n, ref, off, ld)), 0);
    // Same factor up to rounding (tolerance 1e-13 relative to the largest element), strict upper triangle and padding untouched.
    assert.ok(maxRelDiff(big, ref) < 1e-13, `max rel diff ${maxRelDiff(big, ref)}`);
    for (let i = 0; i < big.length; i++) {
      const j = Math.floor((i - off) / ld), r = i - off - j * ld;
      if (i < off || j >= n || r >= n || r < j) assert.equal(big[i], ref[i], `element ${i}`);
    }
    const l = lowerOf(n, extract(n, big, off, ld));
    const llt = mulNT(n, n, n, l, l);
    assert.ok(maxRelDiff(llt, a) < 1e-13, `|L L' - A| / max|A| = ${maxRelDiff(llt, a)}`);
  });

  test(`potriLower(${n}, L, ${off}, ${ld}, w, x) in the module matches the JavaScript inverse and A W = I, w's upper triangle untouched`, () => {
    const a = randomSpd(n, n + 2);
    const l = a.slice();
    assert.equal(potrf(n, l, 0, n), 0);
    const big = embed(n, l, off, ld);
    const w = new Float64Array(n * n).fill(7), ref = new Float64Array(n * n).fill(7);
    potriLower(n, big, off, ld, w, new Float64Array(n * n));
    withJs(() => potriLower(n, big, off, ld, ref, new Float64Array(n * n)));
    assert.ok(maxRelDiff(w, ref) < 1e-12, `max rel diff ${maxRelDiff(w, ref)}`);
    let worst = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        if (i < j) assert.equal(w[i + j * n], 7, 'the strict upper triangle is not written');
        let s = 0;
        for (let t = 0; t < n; t++) s += a[i + t * n] * (t >= j ? w[t + j * n] : w[j + t * n]);
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    // Naive A W against I: tolerance 1e-10 (A's condition number is small: A = G G' + n I).
    assert.ok(worst < 1e-10, `max |A W - I| = ${worst}`);
  });

  test(`invLowerTrans(${n}, L, ${off}, ${ld}, x) in the module matches the JavaScript X = L^{-T}, zero below the diagonal`, () => {
    const l = randomSpd(n, n + 3);
    assert.equal(potrf(n, l, 0, n), 0);
    const big = embed(n, l, off, ld);
    const x = new Float64Array(n * n).fill(7), ref = new Float64Array(n * n);
    invLowerTrans(n, big, off, ld, x);
    withJs(() => invLowerTrans(n, big, off, ld, ref));
    assert.ok(maxRelDiff(x, ref) < 1e-12, `max rel diff ${maxRelDiff(x, ref)}`);
    let worst = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        if (i > j) assert.equal(x[i + j * n], 0);
        let s = 0;
        for (let c = 0; c <= j; c++) s += x[i + c * n] * l[j + c * n];
        worst = Math.max(worst, Math.abs(s - (i === j ? 1 : 0)));
      }
    }
    assert.ok(worst < 1e-12, `max |X L' - I| = ${worst}`);
  });
}

for (const bad of [2, 63, 64, 100, 129]) {
  test(`potrf(130, a) in the module returns ${bad + 1} like the JavaScript code when pivot ${bad} is not positive`, () => {
    const n = 130, a = randomSpd(n, 9);
    a[bad + bad * n] = -1e6;
    const ref = a.slice();
    assert.equal(potrf(n, a, 0, n), bad + 1);
    assert.equal(withJs(() => potrf(n, ref, 0, n)), bad + 1);
    // The columns before the bad pivot are complete and agree.
    for (let j = 0; j < bad; j++) for (let i = j; i < n; i++) assert.ok(Math.abs(a[i + j * n] - ref[i + j * n]) < 1e-12 * Math.abs(ref[0]), `L[${i}, ${j}]`);
  });
}

test('potrf in the module returns the pivot of a NaN instead of a factor', () => {
  const n = 90, a = randomSpd(n, 4);
  a[70 + 80 * n] = NaN;
  a[80 + 70 * n] = NaN;
  const info = potrf(n, a, 0, n);
  assert.equal(info, 81);
});
