import { OP_QUADRATICS, OP_SQUARE } from './denseHelper.js';
import { copyIn, copyOut, denseWasm, room } from './denseWasm.js';
import type { WasmGemm } from './gemmWasm.js';

/**
 * The sums over pairs of entries within a column level of a scalar sparse pattern, walked by
 * pairs of row tiles (src/lmm/pairTiles.ts), in the WebAssembly module (wasm/pairs.ts): the
 * symmetric n x n matrix's lower triangle is copied into the module's block-column storage
 * (denseWasm.ts, the same place its Cholesky works), the pattern's levels go in by chunks of
 * at most CHUNK entries, and the matrix (or the per-level results) comes back. The walk and
 * its operations are the JavaScript's, so the results are the same to the bit; with the copies
 * they took about 0.55 times the JavaScript's time (bench/pair-tiles.ts). With a helper thread
 * (denseHelper.ts) each chunk's walk is shared: the Schur update by pairs of tiles, the
 * quadratic forms by levels (lmm_crossed_1e6, whole CLI: 0.90 of the time; InstEval 0.95).
 *
 * Each function returns false, having done nothing, where the module is not available or
 * not worth it (denseWasm: order below 65); the caller then runs the JavaScript.
 */

/** The tiles of a pattern (pairTiles.ts): `count` row tiles, pos[l (count + 1) + t] per column level l. */
export interface TiledPattern {
  count: number;
  pos: Int32Array;
}

/**
 * Entries of a chunk from which its walk is shared with the helper thread (denseHelper.ts), when
 * there is one: waking it costs tens of microseconds.
 */
const SHARE_MIN = 1 << 14;

/** A walk's arguments before its part (wasm/pairs.ts's squareUpdate and quadratics). */
type WalkArgs = [number, number, number, number, number, number, number, number, number, number];

/**
 * A walk as parts 0 and 1 of 2, the helper thread taking part 1 (wasm/pairs.ts: the parts give the
 * one-thread bits), when there is a helper, the walk can be split and the chunk is large enough;
 * else whole in this thread.
 */
function shared(w: WasmGemm, op: number, entries: number, splittable: boolean, args: WalkArgs, run: (part: number, parts: number) => void): void {
  const h = w.helper;
  if (h !== null && splittable && entries >= SHARE_MIN && h.spawn(op, ...args) > 1) {
    run(0, 2);
    if (h.join() !== 0) run(1, 2);
    return;
  }
  run(0, 1);
}

/** Entries per chunk (3 MB of rows and values in the module); a longer level goes alone. */
const CHUNK = 1 << 18;
/** Column levels per chunk at most. */
const LEVELS = 1 << 15;

interface Layout {
  w: WasmGemm;
  col: number;
  pos: number;
  rows: number;
  vals: number;
  dinv: number;
  q: number;
  /** The chunks: first column level of each, and the end. */
  bounds: number[];
}

/** Byte offsets after the storage of order n, for chunks of `pattern`'s levels; null without the module. */
function layout(n: number, pattern: TiledPattern, perLevel: boolean): Layout | null {
  const w = denseWasm(n);
  if (w === null) return null;
  const { count, pos } = pattern, stride = count + 1, nl = pos.length / stride;
  const bounds = [0];
  let longest = 0;
  for (let l = 0; l < nl; ) {
    const e0 = pos[l * stride];
    let l1 = l + 1;
    while (l1 < nl && l1 - l < LEVELS && pos[l1 * stride + count] - e0 <= CHUNK) l1++;
    longest = Math.max(longest, pos[(l1 - 1) * stride + count] - e0);
    bounds.push(l1);
    l = l1;
  }
  const levels = Math.min(nl, LEVELS), align = (b: number): number => Math.ceil(b / 8) * 8;
  const col = w.storage(n) * 8, posAt = align(col + n * 4), rows = align(posAt + levels * stride * 4);
  const vals = align(rows + longest * 4), dinv = vals + longest * 8, q = dinv + (perLevel ? levels * 8 : 0);
  const end = q + (perLevel ? levels * 8 : 0);
  if (!room(w, end / 8)) return null;
  const table = new Int32Array(w.f64.buffer, col, n);
  for (let r = 0; r < n; r++) table[r] = w.column(n, r);
  return { w, col, pos: posAt, rows, vals, dinv, q, bounds };
}

/** Copies chunk c's tile positions, rows and values in; returns its first level, level count, first entry and entry count. */
function chunkIn(
  lay: Layout, pattern: TiledPattern, c: number, rows: Int32Array, vals: Float64Array,
): { l0: number; nl: number; e0: number; entries: number } {
  const { count, pos } = pattern, stride = count + 1, buf = lay.w.f64.buffer;
  const l0 = lay.bounds[c], l1 = lay.bounds[c + 1], e0 = pos[l0 * stride], e1 = pos[(l1 - 1) * stride + count];
  new Int32Array(buf, lay.pos, (l1 - l0) * stride).set(pos.subarray(l0 * stride, l1 * stride));
  new Int32Array(buf, lay.rows, e1 - e0).set(rows.subarray(e0, e1));
  new Float64Array(buf, lay.vals, e1 - e0).set(vals.subarray(e0, e1));
  return { l0, nl: l1 - l0, e0, entries: e1 - e0 };
}

/**
 * M (n x n at leading dimension ld, lower triangle) += sign times the sum over column levels l
 * of w_l v_l v_l', w_l = dinv[l]^2, or 1 without dinv (wasm/pairs.ts's squareUpdate).
 */
function squareUpdateWasm(
  n: number, M: Float64Array, ld: number, pattern: TiledPattern, rows: Int32Array, vals: Float64Array, dinv: Float64Array | null, sign: number,
): boolean {
  const lay = layout(n, pattern, dinv !== null);
  if (lay === null) return false;
  const { w } = lay;
  copyIn(w, n, M, 0, ld);
  for (let c = 0; c + 1 < lay.bounds.length; c++) {
    const { l0, nl, e0, entries } = chunkIn(lay, pattern, c, rows, vals);
    if (dinv !== null) new Float64Array(w.f64.buffer, lay.dinv, nl).set(dinv.subarray(l0, l0 + nl));
    // Pairs of tiles write disjoint pieces of the matrix: a split needs two tiles or more.
    const args: WalkArgs = [pattern.count, nl, lay.pos, e0, lay.rows, lay.vals, dinv !== null ? lay.dinv : 0, sign, 0, lay.col];
    shared(w, OP_SQUARE, entries, pattern.count > 1, args, (part, parts) => w.squareUpdate(...args, part, parts));
  }
  copyOut(w, n, M, 0, ld);
  return true;
}

/**
 * dst (n x n at leading dimension ld, lower triangle) -= sum over column levels l of
 * v_l v_l': pairTiles.ts's scalarSquareSub, for a pattern over n row levels.
 */
export function squareSubWasm(n: number, dst: Float64Array, ld: number, pattern: TiledPattern, rows: Int32Array, vals: Float64Array): boolean {
  return squareUpdateWasm(n, dst, ld, pattern, rows, vals, null, -1);
}

/**
 * K (n x n at leading dimension ld, lower triangle) += sum over column levels l of
 * dinv[l]^2 v_l v_l': the K of levelQuadratics.ts's walk of the rows of Z.
 */
export function squareAddWasm(
  n: number, K: Float64Array, ld: number, pattern: TiledPattern, rows: Int32Array, vals: Float64Array, dinv: Float64Array,
): boolean {
  return squareUpdateWasm(n, K, ld, pattern, rows, vals, dinv, 1);
}

/**
 * q[l] = dinv[l]^2 times the sum over pairs of v_l' W v_l (W n x n at leading dimension ld,
 * its lower triangle read), for every column level l: levelQuadratics.ts's walk of the rows
 * of Z, without K.
 */
export function quadraticsWasm(
  n: number, W: Float64Array, ld: number, pattern: TiledPattern, rows: Int32Array, vals: Float64Array, dinv: Float64Array, q: Float64Array,
): boolean {
  const lay = layout(n, pattern, true);
  if (lay === null) return false;
  const { w } = lay;
  copyIn(w, n, W, 0, ld);
  for (let c = 0; c + 1 < lay.bounds.length; c++) {
    const { l0, nl, e0, entries } = chunkIn(lay, pattern, c, rows, vals);
    const buf = w.f64.buffer, qc = new Float64Array(buf, lay.q, nl);
    new Float64Array(buf, lay.dinv, nl).set(dinv.subarray(l0, l0 + nl));
    qc.fill(0);
    // Each level's sum is one part's: the levels are split.
    const args: WalkArgs = [pattern.count, nl, lay.pos, e0, lay.rows, lay.vals, lay.dinv, lay.q, 0, lay.col];
    shared(w, OP_QUADRATICS, entries, nl > 1, args, (part, parts) => w.quadratics(...args, part, parts));
    q.set(qc, l0);
  }
  return true;
}
