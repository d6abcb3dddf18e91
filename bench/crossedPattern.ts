/** The crossed factors' pattern of the pair-sum benchmarks (pair-tiles.ts, dense-threads.ts). */
import type { SparseBlock } from '../src/lmm/blocks.js';
import type { ScalarPattern } from '../src/lmm/gradient.js';
import { pairTilesOf, type PairTiles } from '../src/lmm/pairTiles.js';

/** A seeded generator of uniform numbers in [0, 1). */
export function uniform(seed = 1): () => number {
  let s = seed;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

/**
 * A pattern shaped like lmm_crossed_1e6's: nl levels with 10 to 30 of nr rows each, values in
 * (-0.5, 0.5), drawn from rnd; with its tiles and the scalar pattern of levelQuadratics (unit weights).
 */
export function crossedPattern(nl: number, nr: number, rnd: () => number): { S: SparseBlock; v: Float64Array; tiles: PairTiles; sp: ScalarPattern } {
  const colptr = new Int32Array(nl + 1), rows: number[] = [];
  for (let l = 0; l < nl; l++) {
    const set = new Set<number>(), k = 10 + Math.floor(rnd() * 21);
    while (set.size < k) set.add(Math.floor(rnd() * nr));
    for (const r of [...set].sort((x, y) => x - y)) rows.push(r);
    colptr[l + 1] = rows.length;
  }
  const rowidx = Int32Array.from(rows), v = Float64Array.from(rows, () => rnd() - 0.5);
  const S: SparseBlock = { kind: 'sparse', nlRow: nr, nlCol: nl, kRow: 1, kCol: 1, colptr, rowidx, values: v };
  const tiles = pairTilesOf(nl, colptr, rowidx, nr);
  const sp: ScalarPattern = {
    kptr: colptr, krow: rowidx, kval: v, gathered: false, dinv: new Float64Array(nl).fill(1), kx: new Float64Array(0), tiles,
    quad: new Float64Array(nl), quadVersion: -1, wx: new Float64Array(0), kz: new Float64Array(0),
  };
  return { S, v, tiles, sp };
}
