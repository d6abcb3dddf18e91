import { rankUpdateWasm } from './rankUpdate.js';
import type { WasmGemm } from './gemmWasm.js';

/**
 * potrf, potriLower and invLowerTrans run whole in the WebAssembly module
 * (wasm/dense.ts, the blocked algorithms of potrf.ts and potri.ts with the
 * packing and the in-place update of C inside the module): the lower triangle
 * of the caller's n x n matrix is copied into the module's memory (leading
 * dimension n, at byte 0, the module's workspace after it), factored or
 * inverted there in place, and the result copied back. The module holds one
 * n x n matrix, whatever the call.
 */

/** Below this order the JavaScript kernels are as fast and the results stay those of the unblocked code. */
const MIN_N = 65;

/** The module, when it is available, selected (setRankUpdateKernel) and worth its copies for order n. */
export function denseWasm(n: number): WasmGemm | null {
  return n >= MIN_N ? rankUpdateWasm() : null;
}

/** Copies the lower triangle of the n x n matrix at a[off] (leading dimension ld) to the module; returns the workspace's byte offset. */
function copyIn(w: WasmGemm, n: number, a: Float64Array, off: number, ld: number): number {
  w.ensure(n * n + w.workspace(n));
  const f = w.f64;
  for (let j = 0; j < n; j++) f.set(a.subarray(off + j + j * ld, off + n + j * ld), j + j * n);
  return n * n * 8;
}

/** potrf (potrf.ts) in the module; same contract. */
export function potrfWasm(w: WasmGemm, n: number, a: Float64Array, offA: number, lda: number): number {
  const info = w.potrf(n, 0, copyIn(w, n, a, offA, lda));
  const f = w.f64;
  for (let j = 0; j < n; j++) a.set(f.subarray(j + j * n, n + j * n), offA + j + j * lda);
  return info;
}

/** potriLower (potri.ts) in the module; same contract (no scratch needed). */
export function potriLowerWasm(w: WasmGemm, n: number, l: Float64Array, offL: number, ldl: number, out: Float64Array): void {
  w.potri(n, 0, copyIn(w, n, l, offL, ldl));
  const f = w.f64;
  out.fill(0, 0, n * n);
  for (let j = 0; j < n; j++) out.set(f.subarray(j + j * n, n + j * n), j + j * n);
}

/** invLowerTrans (potri.ts) in the module; same contract. */
export function invLowerTransWasm(w: WasmGemm, n: number, l: Float64Array, offL: number, ldl: number, x: Float64Array): void {
  w.invLowerTrans(n, 0, copyIn(w, n, l, offL, ldl));
  const f = w.f64;
  for (let j = 0; j < n; j++) {
    x.set(f.subarray(j * n, j * n + j + 1), j * n);
    x.fill(0, j * n + j + 1, (j + 1) * n);
  }
}
