import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { OP_QUADRATICS, OP_SQUARE } from '../../src/linalg/denseHelper.js';
import { rankUpdateWasm } from '../../src/linalg/rankUpdate.js';
import { enableDenseThread } from '../../src/node/denseThread.js';
import { pairWalks } from '../lmm/pairWalks.js';

// This file runs in a process of its own: the helper thread is registered before the module is
// first instantiated, as the command line does.
const threads = enableDenseThread();

test('the pair walks shared with the helper thread (pairSumsWasm.ts) give the JavaScript\'s bits', { skip: threads ? false : 'one processor: no helper thread' }, async () => {
  const w = rankUpdateWasm();
  assert.ok(w !== null && w.helper !== null, 'the threaded module');
  // Count the walks actually handed over.
  const handed = new Map<number, number>();
  const spawn = w.helper.spawn;
  w.helper.spawn = (...args: number[]) => {
    const parts = spawn(...args);
    if (parts === 2) handed.set(args[0], (handed.get(args[0]) ?? 0) + 1);
    return parts;
  };
  // 20,000 levels of up to 30 of 300 rows (several chunks), tiles of 40 rows (8 tiles: 36 pairs of tiles).
  const { run } = pairWalks(20000, 300, 30, 40, 9);
  // The first walk handed over starts the helper; until it is ready the walks run here alone.
  for (let round = 0; round < 200 && handed.size === 0; round++) {
    run('wasm');
    await sleep(25);
  }
  handed.clear();
  const want = run('js'), got = run('wasm');
  assert.ok((handed.get(OP_SQUARE) ?? 0) > 0 && (handed.get(OP_QUADRATICS) ?? 0) > 0, `walks handed over: ${JSON.stringify([...handed])}`);
  const same = (x: Float64Array, y: Float64Array) => x.length === y.length && x.every((e, i) => Object.is(e, y[i]));
  assert.ok(same(got.dst, want.dst), 'the Schur update');
  assert.ok(same(got.q, want.q), 'the quadratic forms');
  assert.ok(same(got.K, want.K) && same(got.qK, want.qK), 'K and its quadratic forms');
});
