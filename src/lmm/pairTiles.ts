import { squareSubWasm } from '../linalg/pairSumsWasm.js';
import type { SparseBlock } from './blocks.js';

/**
 * Row tiles of a scalar sparse pattern (CSC by column level, row levels
 * increasing within a column), for the sums over pairs of entries in one
 * column level that crossed random effects need: the Schur update
 * sum_l K_l K_l' of the second factor's block (updateL.ts) and the quadratic
 * forms K_l' W K_l with the dense inverse (levelQuadratics.ts).
 *
 * Walked row level by row level (sparseOrder.ts) such a sum keeps one column of
 * the dense matrix in cache but jumps to another column level's entries at every
 * step: one or two cache misses per entry, 1e6 of them for 50,000 x 2,000 crossed
 * levels. Walked one pair of row tiles at a time (I >= J), column levels in
 * storage order within it, it reads the entries nearly in sequence and works in
 * one tile x tile piece of the dense matrix (at most 2 MB): about twice as fast
 * there (bench/pair-tiles.ts). The pieces of one column level are the entries in
 * rows of tile J, each paired with the entries in rows of tile I (for I = J, the
 * entries from itself on).
 *
 * pos[l * (count + 1) + t] is the first entry of column level l in a row level
 * >= t * size; pos[l * (count + 1) + count] is the column's end.
 */
export interface PairTiles {
  size: number;
  count: number;
  pos: Int32Array;
}

/** Rows per tile: a 512 x 512 piece of a dense matrix is 2 MB. */
export const TILE_ROWS = 512;
/** At most this many tiles (a pass over the entries per pair of tiles: 36 passes for 8). */
export const MAX_TILES = 8;

/** The tiles of a pattern (`rows`: rows per tile before the MAX_TILES cap; tests use small ones). */
export function pairTilesOf(nlCol: number, colptr: Int32Array, rowidx: Int32Array, nlRow: number, rows = TILE_ROWS): PairTiles {
  const count = Math.max(1, Math.min(MAX_TILES, Math.ceil(nlRow / rows)));
  const size = Math.max(1, Math.ceil(nlRow / count)), stride = count + 1;
  const pos = new Int32Array(nlCol * stride);
  for (let l = 0; l < nlCol; l++) {
    const end = colptr[l + 1], o = l * stride;
    let e = colptr[l];
    for (let t = 0; t < count; t++) {
      const first = t * size;
      while (e < end && rowidx[e] < first) e++;
      pos[o + t] = e;
    }
    pos[o + count] = end;
  }
  return { size, count, pos };
}

const cache = new WeakMap<SparseBlock, PairTiles>();

/** pairTilesOf for a block of A, computed once per block. */
export function pairTiles(S: SparseBlock): PairTiles {
  let t = cache.get(S);
  if (!t) {
    t = pairTilesOf(S.nlCol, S.colptr, S.rowidx, S.nlRow);
    cache.set(S, t);
  }
  return t;
}

/**
 * dst (ld, lower triangle) -= sum over column levels l of v_l v_l' for a scalar
 * pattern S with values v (one per entry): updateL's L_j0 L_j0' for scalar
 * blocks. Each entry of dst receives its terms in increasing l, as the walk by
 * row level adds them (the same sums, bit for bit). In the WebAssembly module where it
 * takes the order (pairSumsWasm.ts: the same walk and bits, about twice as fast).
 */
export function scalarSquareSub(S: SparseBlock, v: Float64Array, dst: Float64Array, ld: number, tiles = pairTiles(S)): void {
  if (squareSubWasm(S.nlRow, dst, ld, tiles, S.rowidx, v)) return;
  const { count, pos } = tiles, ri = S.rowidx, stride = count + 1, nl = S.nlCol;
  for (let J = 0; J < count; J++) {
    for (let I = J; I < count; I++) {
      for (let l = 0, o = 0; l < nl; l++, o += stride) {
        const j0 = pos[o + J], j1 = pos[o + J + 1];
        if (j0 === j1) continue;
        const i1 = pos[o + I + 1];
        for (let f = j0; f < j1; f++) {
          const col = ri[f] * ld, w = v[f];
          for (let e = I === J ? f : pos[o + I]; e < i1; e++) dst[ri[e] + col] -= v[e] * w;
        }
      }
    }
  }
}
