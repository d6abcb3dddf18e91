/**
 * The row passes of a large scalar GLMM in chunks (ScalarPirls, modesPass.ts): from
 * ROW_SPLIT_MIN rows on, the rows are cut into K fixed chunks (rowChunkCount), a pass sums each
 * chunk's rows into group sums of its own, and then adds the chunks' sums to the groups' in chunk
 * order; the per-row parts (e^f, the row kernel's deviance, the deviances at quadrature nodes)
 * go by the same chunks. With a helper thread (rowHelper.ts) both threads take chunks from a
 * shared counter until none is left, so that the faster takes more: a pass over 1e6 rows takes
 * about half the time. Without one (a browser, one core, the helper not started yet or failed)
 * this thread runs every chunk. Which thread sums a chunk does not change its sums, nor the order
 * in which they are added, so the numbers never depend on the helper: the same to the bit with
 * or without it. Below ROW_SPLIT_MIN rows every pass sums its rows in order, as before.
 */
import type { ModesData } from './modesPass.js';
import { OP_DEVIANCE, OP_EXPF, OP_KERNEL, type RowHelper, type RowsMessage } from './rowHelper.js';

/** Handles that tell the row helper which problem's arrays an operation is for. */
let nextHandle = 1;

/** A Float64Array in shared memory (for a problem with a helper). */
export function sharedFloat64(n: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(n * 8));
}

export function plainFloat64(n: number): Float64Array {
  return new Float64Array(n);
}

export { OP_FACTORED, OP_PLAIN } from './rowHelper.js';

/** Rows from which passes go by chunks (a pass over 200,000 rows takes about 3 ms; a hand-over about 0.05 ms). */
export const ROW_SPLIT_MIN = 200_000;

/**
 * Chunks of n rows over G groups: 8 (the threads' shares even out to an eighth) when the chunks'
 * group sums (4 arrays of G per chunk) take at most one row array's memory, else 2.
 */
export function rowChunkCount(n: number, G: number): number {
  return 32 * G <= n ? 8 : 2;
}

/** First row of chunk c of K over n rows (both threads cut alike). */
export function chunkStart(c: number, K: number, n: number): number {
  return Math.floor((c * n) / K);
}

/**
 * The chunks' sums (K x G each, chunk c at c G: views in `grad` ... `out`), the row kernel's
 * deviance per chunk (`sums`), which chunks are done (`done`, shared with the helper), the
 * group values of a deviance pass, and the helper, when there is one, with the message that
 * gives it the problem's arrays.
 */
export interface RowChunks {
  K: number;
  grad: Float64Array[];
  D: Float64Array[];
  pd: Float64Array[];
  out: Float64Array[];
  sums: Float64Array;
  done: Int32Array;
  uAt: Float64Array;
  helper: RowHelper | null;
  message: RowsMessage | null;
}

/**
 * The chunks of the passes of `d` (its n rows, its G groups), their sums made by `alloc`; with a
 * helper, the message that gives it the problem's arrays: d's per-row arrays and `frozen` (the
 * array the engine sets d.frozen to), which the engine made in shared memory, and shared copies
 * of those it did not make and the passes read (given the flags: no prior weights when they are
 * all 1, ...).
 */
export function rowChunks(d: ModesData, frozen: Uint8Array, helper: RowHelper | null, alloc: (n: number) => Float64Array): RowChunks {
  const n = d.resp.n, G = d.u.length, K = rowChunkCount(n, G);
  const grad = alloc(K * G), D = alloc(K * G), pd = alloc(K * G), out = alloc(K * G), sums = alloc(K);
  const done = helper !== null ? new Int32Array(new SharedArrayBuffer(4 * K)) : new Int32Array(K);
  const chunks: RowChunks = {
    K, grad: chunkViews(grad, K, G), D: chunkViews(D, K, G), pd: chunkViews(pd, K, G), out: chunkViews(out, K, G),
    sums, done, uAt: alloc(G), helper, message: null,
  };
  if (helper === null) return chunks;
  const copy = <T extends Float64Array | Int32Array>(v: T, used: boolean): T => {
    if (!used) return new (v.constructor as new (n: number) => T)(0);
    if (v.buffer instanceof SharedArrayBuffer) return v;
    const shared = new (v.constructor as new (b: SharedArrayBuffer) => T)(new SharedArrayBuffer(v.byteLength));
    shared.set(v as never);
    return shared;
  };
  const { resp, rows, unitWeights, saturatedZero, zConst, saturated } = d;
  chunks.message = {
    handle: nextHandle++, n, refs: copy(d.refs, true), z: copy(d.z, !Number.isFinite(zConst)), f: d.f, u: d.u,
    eta: d.eta, mu: rows.mu, W: rows.W, wr: rows.wr, dev: rows.dev, expF: d.expF, expU: d.expU, y: copy(resp.y, true), pw: copy(resp.pw, !unitWeights),
    saturated: saturated === null ? null : copy(saturated, !saturatedZero), frozen,
    zConst, unitWeights, saturatedZero, K, grad, D, pd, out, sums, done, uAt: chunks.uAt,
  };
  return chunks;
}

/** Per-chunk views of a K x G array. */
export function chunkViews(all: Float64Array, K: number, G: number): Float64Array[] {
  return Array.from({ length: K }, (_, c) => all.subarray(c * G, (c + 1) * G));
}

/**
 * Runs `chunk(c, from, to)` for every chunk: with the helper taking chunks too when it is ready
 * (operation `op` with its numbers), and here those it did not finish; the AND of the results.
 */
function everyChunk(
  h: RowChunks, n: number, op: number, th: number, withDev: boolean, factored: boolean, frozen: boolean,
  chunk: (c: number, from: number, to: number) => boolean,
): boolean {
  const K = h.K, helper = h.helper;
  let ok = true;
  const run = (c: number): void => {
    ok = chunk(c, chunkStart(c, K, n), chunkStart(c + 1, K, n)) && ok;
    Atomics.store(h.done, c, 1);
  };
  h.done.fill(0);
  if (helper !== null && h.message !== null && helper.start(h.message, op, th, withDev, factored, frozen)) {
    for (let c = helper.claim(); c < K; c = helper.claim()) run(c);
    if (helper.join()) ok = helper.result() && ok;
  }
  for (let c = 0; c < K; c++) if (Atomics.load(h.done, c) === 0) run(c);
  return ok;
}

/**
 * The modes pass `rows(from, to, grad, D, pd)` over every row: by chunks when d.chunks is set
 * (module comment), their sums then added to those of the groups not frozen.
 */
export function modesInChunks(
  d: ModesData, op: number, th: number, withDev: boolean,
  rows: (from: number, to: number, grad: Float64Array, D: Float64Array, pd: Float64Array) => boolean,
): boolean {
  const h = d.chunks, n = d.resp.n;
  if (h === null) return rows(0, n, d.grad, d.D, d.pd);
  const frozen = d.frozen;
  const ok = everyChunk(h, n, op, th, withDev, false, frozen !== null, (c, from, to) => {
    h.grad[c].fill(0);
    h.D[c].fill(0);
    h.pd[c].fill(0);
    return rows(from, to, h.grad[c], h.D[c], h.pd[c]);
  });
  const { grad, D, pd } = d;
  for (let c = 0; c < h.K; c++) {
    const gc = h.grad[c], Dc = h.D[c], pc = h.pd[c];
    for (let g = 0; g < grad.length; g++) {
      if (frozen !== null && frozen[g] === 1) continue;
      grad[g] += gc[g];
      D[g] += Dc[g];
      if (withDev) pd[g] += pc[g];
    }
  }
  return ok;
}

/** The deviance pass `rows(from, to, uAt, out)` at the group values uAt (out zeroed by the caller), by chunks when d.chunks is set. */
export function devianceInChunks(
  d: ModesData, th: number, factored: boolean, uAt: Float64Array, out: Float64Array,
  rows: (from: number, to: number, uAt: Float64Array, out: Float64Array) => boolean,
): boolean {
  const h = d.chunks, n = d.resp.n;
  if (h === null) return rows(0, n, uAt, out);
  h.uAt.set(uAt);
  const ok = everyChunk(h, n, OP_DEVIANCE, th, false, factored, false, (c, from, to) => {
    h.out[c].fill(0);
    return rows(from, to, h.uAt, h.out[c]);
  });
  for (let c = 0; c < h.K; c++) {
    const oc = h.out[c];
    for (let g = 0; g < out.length; g++) out[g] += oc[g];
  }
  return ok;
}

/** A per-row pass without sums, `rows(from, to)`, by chunks when d.chunks is set. */
export function expFInChunks(d: ModesData, rows: (from: number, to: number) => void): void {
  const h = d.chunks, n = d.resp.n;
  if (h === null) {
    rows(0, n);
    return;
  }
  everyChunk(h, n, OP_EXPF, 0, false, false, false, (_, from, to) => {
    rows(from, to);
    return true;
  });
}

/** The row kernel `rows(from, to)` (its deviance sum) over the engine's eta and rows, by chunks when d.chunks is set: the chunks' sums added in order. */
export function kernelInChunks(d: ModesData, rows: (from: number, to: number) => number): number {
  const h = d.chunks, n = d.resp.n;
  if (h === null) return rows(0, n);
  everyChunk(h, n, OP_KERNEL, 0, false, false, false, (c, from, to) => {
    h.sums[c] = rows(from, to);
    return true;
  });
  let total = 0;
  for (let c = 0; c < h.K; c++) total += h.sums[c];
  return total;
}
