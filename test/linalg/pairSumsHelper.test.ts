import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { OP_QUADRATICS, OP_SQUARE } from '../../src/linalg/denseHelper.js';
import { rankUpdateWasm, setRankUpdateKernel } from '../../src/linalg/rankUpdate.js';
import type { SparseBlock } from '../../src/lmm/blocks.js';
import type { ScalarPattern } from '../../src/lmm/gradient.js';
import { levelQuadratics } from '../../src/lmm/levelQuadratics.js';
import { pairTilesOf, scalarSquareSub } from '../../src/lmm/pairTiles.js';
import { enableDenseThread } from '../../src/node/denseThread.js';

// This file runs in a process of its own: the helper thread is registered before the module is
// first instantiated, as the command line does.
const threads = enableDenseThread();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

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
  const nlCol = 20000, nlRow = 300, ld = nlRow + 2, r = rng(9), rows: number[] = [], colptr = new Int32Array(nlCol + 1);
  for (let l = 0; l < nlCol; l++) {
    const set = new Set<number>(), want = Math.floor(r() * 31);
    while (set.size < want) set.add(Math.floor(r() * nlRow));
    rows.push(...[...set].sort((x, y) => x - y));
    colptr[l + 1] = rows.length;
  }
  const rowidx = Int32Array.from(rows), v = Float64Array.from(rows, () => r() * 2 - 1);
  const S: SparseBlock = { kind: 'sparse', nlRow, nlCol, kRow: 1, kCol: 1, colptr, rowidx, values: v };
  const tiles = pairTilesOf(nlCol, colptr, rowidx, nlRow, 40);
  const start = Float64Array.from({ length: ld * ld }, (_, i) => (i % 17) / 3);
  const dinv = Float64Array.from({ length: nlCol }, () => 0.2 + r());
  const sp: ScalarPattern = {
    kptr: colptr, krow: rowidx, kval: v, gathered: false, dinv, kx: new Float64Array(0), tiles,
    quad: new Float64Array(nlCol), wx: new Float64Array(0), kz: new Float64Array(0),
  };
  const run = (kind: 'js' | 'wasm') => {
    setRankUpdateKernel(kind);
    try {
      const dst = start.slice(), q = new Float64Array(nlCol), qK = new Float64Array(nlCol);
      scalarSquareSub(S, v, dst, ld, tiles);
      levelQuadratics(sp, start, ld, nlRow, 0, null, q);
      const K = Float64Array.from({ length: ld * ld }, (_, i) => (i % 7) / 5);
      levelQuadratics(sp, start, ld, nlRow, 0, K, qK);
      return { dst, q, K, qK };
    } finally {
      setRankUpdateKernel('wasm');
    }
  };
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
