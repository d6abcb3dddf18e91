import { gemmNTSub } from './rankUpdate.js';

/**
 * Triangular solves with several right-hand sides, column-major, L lower
 * triangular with a non-zero diagonal (as potrf leaves it; its strict upper
 * triangle is never read). B is overwritten by the solution X.
 *
 *   trsmRightLowerTrans: X L' = B   (B m x n, L n x n)   i.e. B <- B L^{-T}
 *   trsmLeftLower:       L X  = B   (B m x n, L m x m)   i.e. B <- L^{-1} B
 *   trsmLeftLowerTrans:  L' X = B   (B m x n, L m x m)   i.e. B <- L^{-T} B
 */

const NB = 64;
const NB_INNER = 16;
const MB = 256;

/** Below this many rows of B (where gemmNTSub falls back to plain loops; by measurement at n = 2000) L is streamed by columns. */
const FEW_ROWS = 4;

/**
 * B <- B L^{-T}: blocked over columns, the off-diagonal work done by gemmNTSub; the
 * diagonal blocks of NB columns are solved the same way with NB_INNER columns, so
 * that the long products (depth j0) pack B's rows once per NB columns. A B of few
 * rows is solved by columns of L instead.
 */
export function trsmRightLowerTrans(
  m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  if (m < FEW_ROWS) rightLowerTransFewRows(m, n, l, offL, ldl, b, offB, ldb);
  else rightLowerTransBlocked(NB, m, n, l, offL, ldl, b, offB, ldb);
}

/**
 * B <- B L^{-T} for B of few rows, right-looking by columns: x_j = b_j / L[j, j], then
 * b_r -= x_j L[r, j] for r > j. L is read once, down its columns (contiguous), while
 * B (m x n) stays in cache; the blocked code would read L across its rows.
 */
function rightLowerTransFewRows(
  m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  for (let j = 0; j < n; j++) {
    const lj = offL + j * ldl, bj = offB + j * ldb;
    const inv = 1 / l[lj + j];
    for (let i = 0; i < m; i++) b[bj + i] *= inv;
    for (let r = j + 1; r < n; r++) {
      const f = l[lj + r];
      if (f === 0) continue;
      const br = offB + r * ldb;
      for (let i = 0; i < m; i++) b[br + i] -= b[bj + i] * f;
    }
  }
}

function rightLowerTransBlocked(
  nb: number, m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  for (let j0 = 0; j0 < n; j0 += nb) {
    const jb = Math.min(nb, n - j0);
    if (j0 > 0) gemmNTSub(m, jb, j0, b, offB, ldb, l, offL + j0, ldl, b, offB + j0 * ldb, ldb);
    if (nb > NB_INNER && jb > NB_INNER) rightLowerTransBlocked(NB_INNER, m, jb, l, offL + j0 + j0 * ldl, ldl, b, offB + j0 * ldb, ldb);
    else rightLowerTransUnblocked(m, jb, l, offL + j0 + j0 * ldl, ldl, b, offB + j0 * ldb, ldb);
  }
}

function rightLowerTransUnblocked(
  m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  for (let i0 = 0; i0 < m; i0 += MB) {
    const iEnd = Math.min(m, i0 + MB);
    for (let j = 0; j < n; j++) {
      const bj = offB + j * ldb;
      for (let c = 0; c < j; c++) {
        const f = l[offL + j + c * ldl];
        if (f === 0) continue;
        const bc = offB + c * ldb;
        for (let i = i0; i < iEnd; i++) b[bj + i] -= b[bc + i] * f;
      }
      const inv = 1 / l[offL + j + j * ldl];
      for (let i = i0; i < iEnd; i++) b[bj + i] *= inv;
    }
  }
}

/** B <- L^{-1} B (forward substitution, column by column of B). */
export function trsmLeftLower(
  m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  for (let c = 0; c < n; c++) {
    const bc = offB + c * ldb;
    for (let j = 0; j < m; j++) {
      const lj = offL + j * ldl;
      const x = b[bc + j] / l[lj + j];
      b[bc + j] = x;
      if (x === 0) continue;
      for (let i = j + 1; i < m; i++) b[bc + i] -= l[lj + i] * x;
    }
  }
}

/** B <- L^{-T} B (back substitution, column by column of B). */
export function trsmLeftLowerTrans(
  m: number, n: number, l: Float64Array, offL: number, ldl: number, b: Float64Array, offB: number, ldb: number,
): void {
  for (let c = 0; c < n; c++) {
    const bc = offB + c * ldb;
    for (let j = m - 1; j >= 0; j--) {
      const lj = offL + j * ldl;
      let s = b[bc + j];
      for (let i = j + 1; i < m; i++) s -= l[lj + i] * b[bc + i];
      b[bc + j] = s / l[lj + j];
    }
  }
}
