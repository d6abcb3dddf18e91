import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wasmGemm } from '../../src/linalg/gemmWasm.js';
import { gemmNTSub, setRankUpdateKernel, syrkLowerSub } from '../../src/linalg/rankUpdate.js';
import { randomMatrix } from './random.js';

test('wasmGemm() loads the embedded SIMD module in Node 20', () => {
  assert.ok(wasmGemm() !== null);
});

function both(run: (c: Float64Array) => void, size: number): [Float64Array, Float64Array] {
  const js = randomMatrix(size, 1, 99), wasm = js.slice();
  try {
    setRankUpdateKernel('js');
    run(js);
    setRankUpdateKernel('wasm');
    run(wasm);
  } finally {
    setRankUpdateKernel('wasm');
  }
  return [js, wasm];
}

for (const [m, n, k] of [[129, 8, 8], [130, 70, 300], [257, 5, 33], [300, 301, 520]]) {
  test(`gemmNTSub(${m}, ${n}, ${k}, ...) gives the same C with the wasm and the JavaScript kernel`, () => {
    const a = randomMatrix(m + 3, k, 1), b = randomMatrix(n + 2, k, 2);
    const [js, wasm] = both((c) => gemmNTSub(m, n, k, a, 1, m + 3, b, 2, n + 2, c, 3, m + 1), (m + 1) * n + 3);
    js.forEach((v, i) => assert.ok(Math.abs(v - wasm[i]) < 1e-12, `element ${i}: ${v} vs ${wasm[i]}`));
  });
}

for (const [n, k] of [[131, 96], [260, 300], [517, 64]]) {
  test(`syrkLowerSub(${n}, ${k}, ...) gives the same C with the wasm and the JavaScript kernel, upper triangle untouched`, () => {
    const a = randomMatrix(n, k, 3);
    const [js, wasm] = both((c) => syrkLowerSub(n, k, a, 0, n, c, 0, n), n * n);
    js.forEach((v, i) => assert.ok(Math.abs(v - wasm[i]) < 1e-12, `element ${i}: ${v} vs ${wasm[i]}`));
  });
}
