import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmProductInPlaceWasm } from '../../src/linalg/denseWasm.js';
import { rankUpdateWasm, setRankUpdateKernel } from '../../src/linalg/rankUpdate.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

// K = W K in the module (denseWasm.ts), W given by its lower triangle: against the plain sums,
// for orders across the block-column widths and panels that do not divide n.
test('symmProductInPlaceWasm: K becomes W K, W read by its lower triangle only', () => {
  assert.ok(rankUpdateWasm() !== null, 'the module is available here');
  const r = rng(3);
  for (const [n, panel] of [[70, 32], [131, 64], [300, 256], [257, 1000]]) {
    const full = new Float64Array(n * n), K = new Float64Array(n * n);
    for (let c = 0; c < n; c++) {
      for (let a = c; a < n; a++) {
        full[a + c * n] = full[c + a * n] = r() - 0.5;
        K[a + c * n] = K[c + a * n] = r() - 0.5;
      }
    }
    // The upper triangle of W holds what must not be read.
    const W = full.map((x, i) => (i % n >= Math.floor(i / n) ? x : Number.NaN));
    const want = new Float64Array(n * n);
    for (let j = 0; j < n; j++) for (let l = 0; l < n; l++) for (let i = 0; i < n; i++) want[i + j * n] += full[i + l * n] * K[l + j * n];
    const got = K.slice();
    assert.equal(symmProductInPlaceWasm(n, W, got, panel), true);
    let worst = 0;
    for (let e = 0; e < n * n; e++) worst = Math.max(worst, Math.abs(got[e] - want[e]));
    assert.ok(worst < 1e-12, `n ${n}, panels of ${panel}: largest difference ${worst}`);
  }
});

test('symmProductInPlaceWasm stands aside for small orders and under the JavaScript kernels', () => {
  const K = new Float64Array(16).fill(1);
  assert.equal(symmProductInPlaceWasm(4, new Float64Array(16), K, 8), false);
  setRankUpdateKernel('js');
  try {
    assert.equal(symmProductInPlaceWasm(100, new Float64Array(10000), new Float64Array(10000), 8), false);
  } finally {
    setRankUpdateKernel('wasm');
  }
  assert.deepEqual(K, new Float64Array(16).fill(1), 'K unchanged');
});
