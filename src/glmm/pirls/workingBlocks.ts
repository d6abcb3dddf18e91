/**
 * The LMM's blocks of A (lmm/blocks.ts) for PIRLS, re-formed in place at
 * every iteration with the working weights W and working response zeta:
 *
 *   A = [Z_1 ... Z_m X zeta]' W [Z_1 ... Z_m X zeta]   (X left out when beta is fixed)
 *
 * The sparsity pattern of the off-diagonal blocks does not depend on W, so it
 * is found once (formBlocks on the frame) and each row's position in every
 * off-diagonal block is recorded; re-forming is then one pass over the rows
 * with no allocation and no hashing.
 */
import type { ModelFrame } from '../../frame/types.js';
import { formBlocks, type LmmBlocks } from '../../lmm/blocks.js';
import type { FactorBlock } from '../../lmm/factorBlocks.js';

export interface WorkingBlocks {
  A: LmmBlocks;
  /** Whether X is part of A (joint PIRLS) or not (beta fixed). */
  withX: boolean;
  /** slots[i][j] (j < i): per row, the offset of its (level_i, level_j) block in A.off[i][j].values. */
  slots: Int32Array[][];
  /** Scratch row of [X zeta] (length P). */
  xrow: Float64Array;
  zrow: Float64Array[];
}

/** The position of row level `row` in column `col` of a sparse block (binary search). */
function findEntry(colptr: Int32Array, rowidx: Int32Array, col: number, row: number): number {
  let lo = colptr[col], hi = colptr[col + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = rowidx[mid];
    if (v === row) return mid;
    if (v < row) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new Error('workingBlocks: level pair missing from the sparsity pattern');
}

export function workingBlocks(frame: ModelFrame, factors: readonly FactorBlock[], withX: boolean): WorkingBlocks {
  const n = frame.nobs;
  const pattern: ModelFrame = {
    ...frame,
    p: withX ? frame.p : 0,
    X: withX ? frame.X : new Float64Array(0),
    y: new Float64Array(n),
    weights: null,
    offset: null,
  };
  const A = formBlocks(pattern, factors);
  const slots = factors.map((fi, i) =>
    factors.slice(0, i).map((fj, j) => {
      const S = A.off[i][j], size = fi.k * fj.k, out = new Int32Array(n);
      for (let r = 0; r < n; r++) out[r] = findEntry(S.colptr, S.rowidx, fj.refs[r], fi.refs[r]) * size;
      return out;
    }),
  );
  return { A, withX, slots, xrow: new Float64Array(A.p + 1), zrow: factors.map((f) => new Float64Array(f.k)) };
}

/**
 * Re-forms A with weights W = sqrtW^2 and response zeta (X taken from `X`,
 * n x p column-major, when wb.withX).
 */
export function reweightBlocks(wb: WorkingBlocks, X: Float64Array, sqrtW: Float64Array, zeta: Float64Array): void {
  const { A } = wb;
  for (const d of A.diag) d.values.fill(0);
  for (const row of A.off) for (const S of row) S.values.fill(0);
  for (const x of A.xz) x.fill(0);
  A.xx.fill(0);
  if (A.factors.every((f) => f.k === 1)) scalarRows(wb, X, sqrtW, zeta);
  else generalRows(wb, X, sqrtW, zeta);
  const P = A.p + 1;
  for (let c = 0; c < P; c++) for (let a = c + 1; a < P; a++) A.xx[c + a * P] = A.xx[a + c * P];
}

/** All factor blocks scalar (k = 1): every block is indexed by level alone. */
function scalarRows(wb: WorkingBlocks, X: Float64Array, sqrtW: Float64Array, zeta: Float64Array): void {
  const { A, slots, xrow } = wb;
  const m = A.factors.length, n = A.nobs, p = A.p, P = p + 1, xx = A.xx;
  const refs = A.factors.map((f) => f.refs), zs = A.factors.map((f) => f.z);
  const diag = A.diag.map((d) => d.values), xz = A.xz;
  const offv = A.off.map((row) => row.map((S) => S.values));
  const zw = new Float64Array(m);
  for (let r = 0; r < n; r++) {
    const w = sqrtW[r];
    if (w === 0) continue;
    for (let t = 0; t < p; t++) xrow[t] = X[r + t * n] * w;
    xrow[p] = zeta[r] * w;
    for (let j = 0; j < m; j++) {
      const l = refs[j][r], z = zs[j][r] * w;
      zw[j] = z;
      diag[j][l] += z * z;
      const x = xz[j], o = l * P;
      for (let t = 0; t < P; t++) x[o + t] += xrow[t] * z;
      for (let i = 0; i < j; i++) offv[j][i][slots[j][i][r]] += z * zw[i];
    }
    for (let c = 0; c < P; c++) {
      const xc = xrow[c];
      for (let a = c; a < P; a++) xx[a + c * P] += xrow[a] * xc;
    }
  }
}

function generalRows(wb: WorkingBlocks, X: Float64Array, sqrtW: Float64Array, zeta: Float64Array): void {
  const { A, slots, xrow, zrow } = wb;
  const factors = A.factors, m = factors.length, n = A.nobs, p = A.p, P = p + 1;
  for (let r = 0; r < n; r++) {
    const w = sqrtW[r];
    if (w === 0) continue;
    for (let t = 0; t < p; t++) xrow[t] = X[r + t * n] * w;
    xrow[p] = zeta[r] * w;
    for (let j = 0; j < m; j++) {
      const f = factors[j], k = f.k, z = zrow[j], lev = f.refs[r];
      for (let c = 0; c < k; c++) z[c] = f.z[r * k + c] * w;
      const d = A.diag[j].values, o = lev * k * k;
      for (let c = 0; c < k; c++) for (let a = 0; a < k; a++) d[o + a + c * k] += z[a] * z[c];
      const xzj = A.xz[j];
      for (let c = 0; c < k; c++) {
        const col = (lev * k + c) * P, zc = z[c];
        for (let t = 0; t < P; t++) xzj[col + t] += xrow[t] * zc;
      }
      for (let i = 0; i < j; i++) {
        const v = A.off[j][i].values, o2 = slots[j][i][r], ki = factors[i].k, zi = zrow[i];
        for (let c = 0; c < ki; c++) for (let a = 0; a < k; a++) v[o2 + a + c * k] += z[a] * zi[c];
      }
    }
    for (let c = 0; c < P; c++) {
      const xc = xrow[c];
      for (let a = c; a < P; a++) A.xx[a + c * P] += xrow[a] * xc;
    }
  }
}
