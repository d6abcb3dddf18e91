import { rankUpdateWasm } from './rankUpdate.js';
import type { WasmGemm } from './gemmWasm.js';

/**
 * potrf, potriLower and invLowerTrans run whole in the WebAssembly module
 * (wasm/dense.ts: the blocked algorithms, with the packing and the in-place
 * update of C inside the module): the lower triangle of the caller's n x n
 * matrix is copied into the module's memory, stored by block columns (about
 * n^2 / 2 doubles, wasm/blockColumns.ts; the module's memory only grows, so
 * it keeps this much for the largest n seen), factored or inverted there in
 * place, and copied back. symmProductInPlaceWasm takes a symmetric matrix's product
 * with panels of another there (Satterthwaite's W K), and pairSumsWasm.ts works on
 * the same storage through copyIn and copyOut.
 */

/** Below this order the JavaScript kernels are as fast and the results stay those of the unblocked code. */
const MIN_N = 65;
/** Above this order (a gigabyte of storage; the module's addresses are 32-bit) the JavaScript kernels run. */
const MAX_N = 16384;

/**
 * The module, when it is available, selected (setRankUpdateKernel), worth its copies for
 * order n and able to grow its memory to the storage and workspace of order n; else null.
 */
export function denseWasm(n: number): WasmGemm | null {
  if (n < MIN_N || n > MAX_N) return null;
  const w = rankUpdateWasm();
  if (w === null) return null;
  return room(w, w.storage(n) + w.workspace(n)) ? w : null;
}

/** Whether the module's memory holds (or could grow to hold) `doubles` doubles. */
export function room(w: WasmGemm, doubles: number): boolean {
  try {
    w.ensure(doubles);
  } catch {
    return false;
  }
  return w.f64.length >= doubles;
}

/** Copies the lower triangle of the n x n matrix at a[off] (leading dimension ld) in; returns the workspace's byte offset. */
export function copyIn(w: WasmGemm, n: number, a: Float64Array, off: number, ld: number): number {
  const f = w.f64;
  for (let j = 0; j < n; j++) f.set(a.subarray(off + j + j * ld, off + n + j * ld), w.column(n, j) + j);
  return w.storage(n) * 8;
}

/** Copies the module's lower triangle of order n out into a[off] (leading dimension ld), copyIn's mirror. */
export function copyOut(w: WasmGemm, n: number, a: Float64Array, off: number, ld: number): void {
  const f = w.f64;
  for (let j = 0; j < n; j++) {
    const c = w.column(n, j);
    a.set(f.subarray(c + j, c + n), off + j + j * ld);
  }
}

/** potrf (potrf.ts) in the module; same contract. */
export function potrfWasm(w: WasmGemm, n: number, a: Float64Array, offA: number, lda: number): number {
  const info = w.potrf(n, 0, copyIn(w, n, a, offA, lda));
  copyOut(w, n, a, offA, lda);
  return info;
}

/** potriLower (potri.ts) in the module; same contract (no scratch needed). */
export function potriLowerWasm(w: WasmGemm, n: number, l: Float64Array, offL: number, ldl: number, out: Float64Array): void {
  w.potri(n, 0, copyIn(w, n, l, offL, ldl));
  copyOut(w, n, out, 0, n);
}

/** invLowerTrans (potri.ts) in the module: Y = L^{-1} there, X = Y' here; same contract. */
export function invLowerTransWasm(w: WasmGemm, n: number, l: Float64Array, offL: number, ldl: number, x: Float64Array): void {
  w.trtri(n, 0, copyIn(w, n, l, offL, ldl));
  const f = w.f64;
  x.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) {
    const c = w.column(n, j);
    for (let i = j; i < n; i++) x[j + i * n] = f[c + i];
  }
}

/**
 * K = W K in place, for W symmetric of order n given by its lower triangle (leading dimension
 * n; its upper triangle is never read) and K n x n full: W goes into the module once, then K
 * panel by panel of `panel` columns (a panel's columns copied in, W times them computed there,
 * the result copied back over them; a later panel reads only its own columns, so no other
 * n x n matrix is needed). False, having done nothing, without the module or room for it.
 */
export function symmProductInPlaceWasm(n: number, W: Float64Array, K: Float64Array, panel: number): boolean {
  if (n < MIN_N || n > MAX_N) return false;
  const w = rankUpdateWasm();
  if (w === null) return false;
  const nb0 = Math.min(panel, n), st = w.storage(n), b = st, c = b + n * nb0, ws = c + n * nb0;
  if (!room(w, ws + w.symmWorkspace(n, nb0))) return false;
  copyIn(w, n, W, 0, n);
  for (let j0 = 0; j0 < n; j0 += nb0) {
    const nb = Math.min(nb0, n - j0), f = w.f64;
    f.set(K.subarray(j0 * n, (j0 + nb) * n), b);
    w.symmProduct(n, 0, nb, b * 8, c * 8, ws * 8);
    K.set(w.f64.subarray(c, c + n * nb), j0 * n);
  }
  return true;
}
