import { rankUpdateWasm } from './rankUpdate.js';
import type { WasmGemm } from './gemmWasm.js';

/**
 * potrf, potriLower and invLowerTrans run whole in the WebAssembly module
 * (wasm/dense.ts: the blocked algorithms, with the packing and the in-place
 * update of C inside the module): the lower triangle of the caller's n x n
 * matrix is copied into the module's memory, stored by block columns (about
 * n^2 / 2 doubles, wasm/blockColumns.ts; the module's memory only grows, so
 * it keeps this much for the largest n seen), factored or inverted there in
 * place, and copied back.
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
  const need = w.storage(n) + w.workspace(n);
  try {
    w.ensure(need);
  } catch {
    return null;
  }
  return w.f64.length >= need ? w : null;
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
