import { denseWasm, invLowerTransWasm, potriLowerWasm } from './denseWasm.js';
import { gemmNTSub, syrkLowerSub } from './rankUpdate.js';
import { trsmRightLowerTrans } from './trsm.js';

/**
 * Inverse of a symmetric positive definite matrix from its Cholesky factor
 * (LAPACK's dpotri with uplo = 'L'): given L (n x n lower, column-major at
 * l[offL + i + j*ldl]), writes the lower triangle of W = (L L')^{-1} into
 * w (n x n, leading dimension n). The strict upper triangle of w is neither read
 * nor written: its memory is never touched (16 MB at n = 2000), and w may be l.
 *
 *   X = L^{-T}  (upper triangular, invLowerTrans), then  W = X X'.
 *
 * `x` is n x n scratch. About 2 n^3 / 3 flops, all in the blocked rank-k kernels;
 * where the WebAssembly module is available the whole inverse runs there in place
 * of one copy of L (denseWasm.ts) and `x` is not used.
 */
export function potriLower(n: number, l: Float64Array, offL: number, ldl: number, w: Float64Array, x: Float64Array): void {
  const wasm = denseWasm(n);
  if (wasm) {
    potriLowerWasm(wasm, n, l, offL, ldl, w);
    return;
  }
  invLowerTrans(n, l, offL, ldl, x);
  for (let j = 0; j < n; j++) w.fill(0, j + j * n, n + j * n);
  const KB = 128;
  for (let k0 = 0; k0 < n; k0 += KB) {
    const kb = Math.min(KB, n - k0);
    // X[a, c] = 0 for a > c: columns k0..k0+kb reach rows 0..k0+kb only.
    syrkLowerSub(k0 + kb, kb, x, k0 * n, n, w, 0, n);
  }
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) w[i + j * n] = -w[i + j * n];
}

/**
 * X = L^{-T} (n x n upper triangular, leading dimension n, strict lower
 * triangle zero) for L lower triangular with non-zero diagonal, by solving
 * X L' = I one block column at a time:
 *
 *   X[:, J] L_JJ' = I[:, J] - X[:, 0:J] L[J, 0:J]'
 *
 * where only rows above the block are non-zero, and the product is taken by
 * row blocks of X that skip its zero lower triangle (about n^3 / 3 flops).
 * In the WebAssembly module where available (denseWasm.ts).
 */
export function invLowerTrans(n: number, l: Float64Array, offL: number, ldl: number, x: Float64Array): void {
  const wasm = denseWasm(n);
  if (wasm) {
    invLowerTransWasm(wasm, n, l, offL, ldl, x);
    return;
  }
  const NB = 64, RB = 128;
  for (let j0 = 0; j0 < n; j0 += NB) {
    const jb = Math.min(NB, n - j0);
    for (let c = j0; c < j0 + jb; c++) {
      x.fill(0, c * n, c * n + n);
      x[c + c * n] = 1;
    }
    for (let r0 = 0; r0 < j0; r0 += RB) {
      const rb = Math.min(RB, j0 - r0);
      gemmNTSub(rb, jb, j0 - r0, x, r0 + r0 * n, n, l, offL + j0 + r0 * ldl, ldl, x, r0 + j0 * n, n);
    }
    trsmRightLowerTrans(j0 + jb, jb, l, offL + j0 + j0 * ldl, ldl, x, j0 * n, n);
  }
}
