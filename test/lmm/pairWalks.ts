import type { SparseBlock } from '../../src/lmm/blocks.js';
import type { ScalarPattern } from '../../src/lmm/gradient.js';
import { levelQuadratics } from '../../src/lmm/levelQuadratics.js';
import { pairTilesOf, scalarSquareSub } from '../../src/lmm/pairTiles.js';
import { setRankUpdateKernel } from '../../src/linalg/rankUpdate.js';

/** What the pair walks give on one pattern: the Schur update, the quadratic forms, K and its forms. */
export interface PairWalks {
  dst: Float64Array;
  q: Float64Array;
  K: Float64Array;
  qK: Float64Array;
}

/**
 * A seeded scalar pattern of nlCol levels, each with up to `most` of nlRow rows, tiled by `tileRows`
 * rows, and a function running the walks on it with the JavaScript or the module's kernels (for the
 * tests of pairTiles.ts and pairSumsWasm.ts, with and without the helper thread).
 */
export function pairWalks(nlCol: number, nlRow: number, most: number, tileRows: number, seed: number): { entries: number; start: Float64Array; run: (kind: 'js' | 'wasm') => PairWalks } {
  let s = seed >>> 0;
  const r = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
  const ld = nlRow + 2, rows: number[] = [], colptr = new Int32Array(nlCol + 1);
  for (let l = 0; l < nlCol; l++) {
    const set = new Set<number>(), want = Math.floor(r() * (most + 1));
    while (set.size < want) set.add(Math.floor(r() * nlRow));
    rows.push(...[...set].sort((a, b) => a - b));
    colptr[l + 1] = rows.length;
  }
  const rowidx = Int32Array.from(rows), v = Float64Array.from(rows, () => r() * 2 - 1);
  const S: SparseBlock = { kind: 'sparse', nlRow, nlCol, kRow: 1, kCol: 1, colptr, rowidx, values: v };
  const tiles = pairTilesOf(nlCol, colptr, rowidx, nlRow, tileRows);
  const start = Float64Array.from({ length: ld * ld }, (_, i) => (i % 17) / 3);
  const dinv = Float64Array.from({ length: nlCol }, () => 0.2 + r());
  const sp: ScalarPattern = {
    kptr: colptr, krow: rowidx, kval: v, gathered: false, dinv, kx: new Float64Array(0), tiles,
    quad: new Float64Array(nlCol), quadVersion: -1, wx: new Float64Array(0), kz: new Float64Array(0),
  };
  const run = (kind: 'js' | 'wasm'): PairWalks => {
    setRankUpdateKernel(kind);
    try {
      const dst = start.slice(), q = new Float64Array(nlCol), qK = new Float64Array(nlCol);
      scalarSquareSub(S, v, dst, ld, tiles);
      levelQuadratics(sp, start, ld, nlRow, 0, null, q);
      // K starts with values of its own: the walk adds to them.
      const K = Float64Array.from({ length: ld * ld }, (_, i) => (i % 7) / 5);
      levelQuadratics(sp, start, ld, nlRow, 0, K, qK);
      return { dst, q, K, qK };
    } finally {
      setRankUpdateKernel('wasm');
    }
  };
  return { entries: rows.length, start, run };
}
