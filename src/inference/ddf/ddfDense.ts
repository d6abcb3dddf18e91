import { potrf } from '../../linalg/potrf.js';
import { trsmLeftLower, trsmLeftLowerTrans } from '../../linalg/trsm.js';

/**
 * Small dense kernels for the degrees-of-freedom methods. Every matrix is a
 * column-major Float64Array with explicit sizes: A (m x k) has A[i + j*m].
 */

/** C = A B for A (m x k) and B (k x n). */
export function matmul(m: number, k: number, n: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let l = 0; l < k; l++) {
      const b = B[l + j * k];
      if (b === 0) continue;
      const ao = l * m, co = j * m;
      for (let i = 0; i < m; i++) C[co + i] += A[ao + i] * b;
    }
  }
  return C;
}

/** C = A' B for A (n x m1) and B (n x m2). */
export function crossprod(n: number, m1: number, m2: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(m1 * m2);
  for (let j = 0; j < m2; j++) {
    const bo = j * n;
    for (let i = 0; i < m1; i++) {
      const ao = i * n;
      let s = 0;
      for (let r = 0; r < n; r++) s += A[ao + r] * B[bo + r];
      C[i + j * m1] = s;
    }
  }
  return C;
}

/** tr(A B) for A, B both n x n. */
export function traceProduct(n: number, A: Float64Array, B: Float64Array): number {
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += A[i + j * n] * B[j + i * n];
  return s;
}

/** x' A y for A (n x n). */
export function bilinear(n: number, x: ArrayLike<number>, A: Float64Array, y: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < n; j++) {
    if (y[j] === 0) continue;
    let c = 0;
    for (let i = 0; i < n; i++) c += x[i] * A[i + j * n];
    s += c * y[j];
  }
  return s;
}

/** The lower Cholesky factor of the symmetric positive definite A (n x n), or null if A is not. */
export function cholesky(n: number, A: Float64Array): Float64Array | null {
  const L = A.slice();
  if (potrf(n, L, 0, n) !== 0) return null;
  for (let j = 1; j < n; j++) for (let i = 0; i < j; i++) L[i + j * n] = 0;
  return L;
}

/** B <- A^{-1} B for A = L L' (L from `cholesky`), B n x m. */
export function cholSolve(n: number, L: Float64Array, B: Float64Array, m: number): Float64Array {
  const X = B.slice();
  trsmLeftLower(n, m, L, 0, n, X, 0, n);
  trsmLeftLowerTrans(n, m, L, 0, n, X, 0, n);
  return X;
}

/** A^{-1} for the symmetric positive definite A (n x n), or null if A is not positive definite. */
export function spdInverse(n: number, A: Float64Array): Float64Array | null {
  const L = cholesky(n, A);
  if (L === null) return null;
  const I = new Float64Array(n * n);
  for (let i = 0; i < n; i++) I[i * (n + 1)] = 1;
  return cholSolve(n, L, I, n);
}

/** (A + A') / 2 in place. */
export function symmetrize(n: number, A: Float64Array): Float64Array {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      const v = (A[i + j * n] + A[j + i * n]) / 2;
      A[i + j * n] = v;
      A[j + i * n] = v;
    }
  }
  return A;
}
