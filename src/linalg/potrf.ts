import { denseWasm, potrfWasm } from './denseWasm.js';
import { syrkLowerSub } from './rankUpdate.js';
import { trsmRightLowerTrans } from './trsm.js';

/**
 * In-place lower Cholesky factorisation A = L L' of the n x n symmetric matrix
 * stored column-major at a[offA + i + j*lda] (LAPACK's dpotrf with uplo = 'L').
 * Only the lower triangle is read and overwritten; the strict upper triangle is untouched.
 *
 * Returns 0 on success, or j + 1 when the pivot of column j is not positive
 * (the factor is then incomplete). Never throws.
 *
 * Blocked right-looking: factor an NB-column diagonal block, solve the panel
 * below it, then update the trailing matrix with one rank-NB update, which is
 * where nearly all of the n^3/3 flops go (see rankUpdate.ts). Where the
 * WebAssembly module is available the whole factorisation runs there (denseWasm.ts).
 */
export function potrf(n: number, a: Float64Array, offA: number, lda: number): number {
  const w = denseWasm(n);
  if (w) return potrfWasm(w, n, a, offA, lda);
  const NB = 64;
  if (n <= NB) return potrfUnblocked(n, a, offA, lda);
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = Math.min(NB, n - k0);
    const diag = offA + k0 + k0 * lda;
    const info = potrfUnblocked(kb, a, diag, lda);
    if (info !== 0) return info + k0;
    const m = n - k0 - kb;
    if (m === 0) break;
    const panel = diag + kb;
    trsmRightLowerTrans(m, kb, a, diag, lda, a, panel, lda);
    syrkLowerSub(m, kb, a, panel, lda, a, diag + kb + kb * lda, lda);
  }
  return 0;
}

/** Unblocked right-looking lower Cholesky; same contract as potrf. */
export function potrfUnblocked(n: number, a: Float64Array, offA: number, lda: number): number {
  for (let j = 0; j < n; j++) {
    const cj = offA + j * lda;
    const d = a[cj + j];
    if (!(d > 0)) return j + 1;
    const s = Math.sqrt(d);
    a[cj + j] = s;
    const inv = 1 / s;
    for (let i = j + 1; i < n; i++) a[cj + i] *= inv;
    for (let c = j + 1; c < n; c++) {
      const f = a[cj + c];
      if (f === 0) continue;
      const cc = offA + c * lda;
      for (let i = c; i < n; i++) a[cc + i] -= a[cj + i] * f;
    }
  }
  return 0;
}
