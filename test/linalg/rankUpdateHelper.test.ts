import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { setDenseHelperStarter } from '../../src/linalg/denseHelper.js';
import { wasmGemm } from '../../src/linalg/gemmWasm.js';
import { gemmNTSub, setRankUpdateKernel, symmLowerNTSub, syrkLowerSub } from '../../src/linalg/rankUpdate.js';
import { startDenseWorker } from '../../src/node/denseThread.js';
import { randomMatrix } from './random.js';

// Registered before this process's first use of the kernels: the module is the threaded build
// and rankUpdate.ts hands every other row block's product to the helper worker.
setDenseHelperStarter(startDenseWorker);

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}

test('the blocked products hand row blocks to the helper thread and give the same bits as the JavaScript kernel', async () => {
  const w = wasmGemm();
  assert.ok(w !== null && w.helper !== null, 'the threaded build with a helper');
  const helper = w.helper!, spawn = helper.spawn;
  let handed = 0;
  helper.spawn = (...args: number[]) => {
    const parts = spawn(...args);
    if (parts === 2) handed++;
    return parts;
  };
  const m = 700, n = 300, k = 600;
  const a = randomMatrix(m, k, 21), b = randomMatrix(n, k, 22), c = randomMatrix(m, n, 23);
  const sym = randomMatrix(m, m, 24), bs = randomMatrix(n, m, 25), cs = randomMatrix(m, n, 26), cl = randomMatrix(m, m, 27);
  const run = (): Float64Array[] => {
    const out = [c.slice(), cs.slice(), cl.slice()];
    gemmNTSub(m, n, k, a, 0, m, b, 0, n, out[0], 0, m);
    symmLowerNTSub(m, n, sym, m, bs, 0, n, out[1], 0, m);
    syrkLowerSub(m, k, a, 0, m, out[2], 0, m);
    return out;
  };
  setRankUpdateKernel('js');
  const want = run();
  setRankUpdateKernel('wasm');
  // The first hand-over starts the worker; until it is ready this thread computes every block.
  for (let round = 0; round < 200 && handed === 0; round++) {
    const got = run();
    got.forEach((g, i) => assert.ok(sameBits(g, want[i]), `round ${round}, product ${i}: the same bits`));
    await sleep(25);
  }
  assert.ok(handed > 0, 'the helper took row blocks');
  const got = run();
  got.forEach((g, i) => assert.ok(sameBits(g, want[i]), `product ${i} with the helper: the same bits`));
});
