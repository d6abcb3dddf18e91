import { potrf, potrfUnblocked } from '../linalg/potrf.js';
import { gemmNTSub, syrkLowerSub } from '../linalg/rankUpdate.js';
import { trsmRightLowerTrans } from '../linalg/trsm.js';
import type { LmmBlocks, SparseBlock } from './blocks.js';
import { scalarSquareSub } from './pairTiles.js';
import { rowOrder } from './sparseOrder.js';

/**
 * The blocked lower Cholesky factor L of
 *
 *   [ Lambda'A_ZZ Lambda + I   Lambda'A_ZT ]
 *   [ A_TZ Lambda              A_TT        ]
 *
 * with the block layout of LmmBlocks (m factor blocks, then [X y]):
 * - d0:  L_00, block diagonal like A_00 (nl_0 blocks of k_0 x k_0, lower triangles).
 * - sp[i] (1 <= i < m): L_i0, values in A_i0's sparse pattern.
 * - diag[j] (1 <= j < m): L_jj, dense q_j x q_j (lower triangle used).
 * - dn[i][j] (1 <= j < i < m): L_ij, dense q_i x q_j.
 * - xz[j]: L_Tj, dense P x q_j.   xx: L_TT, dense P x P (lower triangle used).
 * L_TT = [L_X 0; l' r]: r^2 is the penalised weighted residual sum of squares.
 */
export interface LFactor {
  m: number;
  P: number;
  /** Columns per level (k_j) and per block (q_j = nl_j k_j). */
  k: Int32Array;
  q: Int32Array;
  d0: Float64Array;
  sp: Float64Array[];
  diag: Float64Array[];
  dn: Float64Array[][];
  xz: Float64Array[];
  xx: Float64Array;
  /** k x k scratch for the small congruences (largest k). */
  scratch: Float64Array;
}

export function allocateL(A: LmmBlocks): LFactor {
  const f = A.factors, m = f.length, P = A.p + 1;
  const q = Int32Array.from(f.map((b) => b.nl * b.k));
  const kmax = Math.max(1, ...f.map((b) => b.k));
  return {
    m,
    P,
    k: Int32Array.from(f.map((b) => b.k)),
    q,
    d0: new Float64Array(m > 0 ? A.diag[0].values.length : 0),
    sp: A.off.map((row) => (row.length > 0 ? new Float64Array(row[0].values.length) : new Float64Array(0))),
    diag: f.map((_, j) => new Float64Array(j === 0 ? 0 : q[j] * q[j])),
    dn: f.map((_, i) => f.slice(0, i).map((__, j) => new Float64Array(j === 0 ? 0 : q[i] * q[j]))),
    xz: f.map((_, j) => new Float64Array(P * q[j])),
    xx: new Float64Array(P * P),
    scratch: new Float64Array(kmax * Math.max(kmax, P)),
  };
}

/**
 * dst[dOff + r + s*ldd] = (Tr' S Tc)[r, s] for the kr x kc block S at src[sOff] (leading dim kr);
 * Tr, Tc lower triangular (kr x kr, kc x kc). `tmp` holds kr*kc.
 */
function congruence(
  kr: number, tr: Float64Array, kc: number, tc: Float64Array,
  src: Float64Array, sOff: number, dst: Float64Array, dOff: number, ldd: number, tmp: Float64Array,
): void {
  if (kr === 1 && kc === 1) {
    dst[dOff] = tr[0] * src[sOff] * tc[0];
    return;
  }
  for (let s = 0; s < kc; s++) {
    for (let a = 0; a < kr; a++) {
      let v = 0;
      for (let c = s; c < kc; c++) v += src[sOff + a + c * kr] * tc[c + s * kc];
      tmp[a + s * kr] = v;
    }
  }
  for (let s = 0; s < kc; s++) {
    for (let r = 0; r < kr; r++) {
      let v = 0;
      for (let a = r; a < kr; a++) v += tr[a + r * kr] * tmp[a + s * kr];
      dst[dOff + r + s * ldd] = v;
    }
  }
}

/** L_Tj = A_Tj Lambda_j: each P x k block times T. */
function scaleXZ(P: number, nl: number, k: number, t: Float64Array, src: Float64Array, dst: Float64Array): void {
  if (k === 1) {
    const t0 = t[0];
    for (let e = 0; e < src.length; e++) dst[e] = src[e] * t0;
    return;
  }
  for (let b = 0; b < nl; b++) {
    const o = b * k * P;
    for (let s = 0; s < k; s++) {
      for (let x = 0; x < P; x++) {
        let v = 0;
        for (let c = s; c < k; c++) v += src[o + x + c * P] * t[c + s * k];
        dst[o + x + s * P] = v;
      }
    }
  }
}

/** Solves X T_b' = B in place for each k x k lower block T_b of L_00 acting on column level b. */
function solveRightBlock(rows: number, k: number, d0: Float64Array, b: number, x: Float64Array, xOff: number, ldx: number): void {
  const tOff = b * k * k;
  for (let s = 0; s < k; s++) {
    for (let c = 0; c < s; c++) {
      const f = d0[tOff + s + c * k];
      if (f !== 0) for (let r = 0; r < rows; r++) x[xOff + r + s * ldx] -= x[xOff + r + c * ldx] * f;
    }
    const inv = 1 / d0[tOff + s + s * k];
    for (let r = 0; r < rows; r++) x[xOff + r + s * ldx] *= inv;
  }
}

/** Block column 0: L_00, L_i0 (sparse), L_T0. Returns false if a pivot fails. */
function firstColumn(L: LFactor, A: LmmBlocks, lam: Float64Array[]): boolean {
  const f0 = A.factors[0], k0 = f0.k, t0 = lam[0], a0 = A.diag[0].values, d0 = L.d0, kk = k0 * k0;
  if (k0 === 2) {
    if (!firstDiagonal2(f0.nl, t0, a0, d0)) return false;
  } else {
    for (let b = 0; b < f0.nl; b++) {
      congruence(k0, t0, k0, t0, a0, b * kk, d0, b * kk, k0, L.scratch);
      for (let c = 0; c < k0; c++) d0[b * kk + c * (k0 + 1)] += 1;
      if (potrfUnblocked(k0, d0, b * kk, k0) !== 0) return false;
    }
  }
  for (let i = 1; i < L.m; i++) {
    const S = A.off[i][0], ki = S.kRow, size = ki * k0, dst = L.sp[i];
    for (let b = 0; b < f0.nl; b++) {
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        congruence(ki, lam[i], k0, t0, S.values, e * size, dst, e * size, ki, L.scratch);
        solveRightBlock(ki, k0, d0, b, dst, e * size, ki);
      }
    }
  }
  if (k0 === 2) {
    firstXZ2(L.P, f0.nl, t0, d0, A.xz[0], L.xz[0]);
    return true;
  }
  scaleXZ(L.P, f0.nl, k0, t0, A.xz[0], L.xz[0]);
  for (let b = 0; b < f0.nl; b++) solveRightBlock(L.P, k0, d0, b, L.xz[0], b * k0 * L.P, L.P);
  return true;
}

/**
 * L_00 for k_0 = 2 (a random intercept and slope, the common vector term): per
 * level the congruence T'A_b T + I and its 2 x 2 Cholesky, written out with
 * the operations of congruence and potrfUnblocked in the same order (the same
 * bits), without their loops. False if a pivot fails.
 */
function firstDiagonal2(nl: number, t: Float64Array, a: Float64Array, d0: Float64Array): boolean {
  const t0 = t[0], t1 = t[1], t3 = t[3];
  for (let o = 0; o < 4 * nl; o += 4) {
    const a00 = a[o], a10 = a[o + 1], a01 = a[o + 2], a11 = a[o + 3];
    const m00 = a00 * t0 + a01 * t1, m10 = a10 * t0 + a11 * t1, m01 = a01 * t3, m11 = a11 * t3;
    const c00 = t0 * m00 + t1 * m10 + 1, c10 = t3 * m10, c01 = t0 * m01 + t1 * m11, c11 = t3 * m11 + 1;
    if (!(c00 > 0)) return false;
    const s0 = Math.sqrt(c00), l10 = c10 * (1 / s0);
    const r11 = l10 === 0 ? c11 : c11 - l10 * l10;
    if (!(r11 > 0)) return false;
    d0[o] = s0;
    d0[o + 1] = l10;
    d0[o + 2] = c01;
    d0[o + 3] = Math.sqrt(r11);
  }
  return true;
}

/** L_T0 = A_T0 Lambda_0 D^{-T} per level for k_0 = 2: scaleXZ and solveRightBlock fused (same operations, same order). */
function firstXZ2(P: number, nl: number, t: Float64Array, d0: Float64Array, src: Float64Array, dst: Float64Array): void {
  const t0 = t[0], t1 = t[1], t3 = t[3];
  for (let b = 0; b < nl; b++) {
    const o = 2 * b * P, inv0 = 1 / d0[4 * b], f = d0[4 * b + 1], inv1 = 1 / d0[4 * b + 3];
    for (let x = 0; x < P; x++) {
      const s0 = src[o + x], s1 = src[o + x + P];
      const v0 = (s0 * t0 + s1 * t1) * inv0;
      const w = s1 * t3;
      dst[o + x] = v0;
      dst[o + x + P] = (f === 0 ? w : w - v0 * f) * inv1;
    }
  }
}

/** dst (q_i x q_j dense, ld) = Lambda_i' S Lambda_j scattered from a sparse A_ij (dst zeroed first). */
function scatterSparse(S: SparseBlock, ti: Float64Array, tj: Float64Array, dst: Float64Array, ld: number, tmp: Float64Array): void {
  dst.fill(0);
  const ki = S.kRow, kj = S.kCol, size = ki * kj;
  for (let b = 0; b < S.nlCol; b++) {
    for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
      congruence(ki, ti, kj, tj, S.values, e * size, dst, S.rowidx[e] * ki + b * kj * ld, ld, tmp);
    }
  }
}

/**
 * dst (ld) -= L_i0 L_j0' for sparse L_i0 (pattern Si, values vi) and L_j0 (Sj, vj),
 * both with column factor 0. `lower`: dst is the diagonal block (i == j), only row level >= column level.
 */
function sparseProduct(Si: SparseBlock, vi: Float64Array, Sj: SparseBlock, vj: Float64Array, dst: Float64Array, ld: number, lower: boolean): void {
  const ki = Si.kRow, kj = Sj.kRow, k0 = Si.kCol, si = ki * k0, sj = kj * k0;
  if (ki === 1 && kj === 1 && k0 === 1 && lower && Si === Sj && vi === vj) {
    scalarSquareSub(Si, vi, dst, ld);
    return;
  }
  if (ki === 1 && kj === 1 && k0 === 1 && !lower) {
    scalarSparseProduct(Si, vi, Sj, vj, dst, ld);
    return;
  }
  for (let b = 0; b < Si.nlCol; b++) {
    const ej0 = Sj.colptr[b], ej1 = Sj.colptr[b + 1];
    for (let ei = Si.colptr[b]; ei < Si.colptr[b + 1]; ei++) {
      const rowBase = Si.rowidx[ei] * ki, oi = ei * si;
      for (let ej = ej0; ej < ej1; ej++) {
        if (lower && Sj.rowidx[ej] > Si.rowidx[ei]) break;
        const colBase = Sj.rowidx[ej] * kj, oj = ej * sj;
        if (ki === 1 && kj === 1 && k0 === 1) {
          dst[rowBase + colBase * ld] -= vi[oi] * vj[oj];
          continue;
        }
        for (let s = 0; s < kj; s++) {
          for (let r = 0; r < ki; r++) {
            let v = 0;
            for (let t = 0; t < k0; t++) v += vi[oi + r + t * ki] * vj[oj + s + t * kj];
            dst[rowBase + r + (colBase + s) * ld] -= v;
          }
        }
      }
    }
  }
}

/**
 * sparseProduct for scalar blocks i != j, by row level of Sj (sparseOrder.ts): each
 * entry of Sj at row level c meets the entries of Si in the same column level,
 * all of which write into column c of dst. (The diagonal block's product,
 * Si = Sj, walks tiles instead: pairTiles.ts.)
 */
function scalarSparseProduct(Si: SparseBlock, vi: Float64Array, Sj: SparseBlock, vj: Float64Array, dst: Float64Array, ld: number): void {
  const ri = Si.rowidx, cpi = Si.colptr, { rowptr, entry, colOf } = rowOrder(Sj);
  for (let c = 0; c < Sj.nlRow; c++) {
    const col = c * ld;
    for (let x = rowptr[c]; x < rowptr[c + 1]; x++) {
      const ej = entry[x], v = vj[ej], b = colOf[ej];
      for (let ei = cpi[b]; ei < cpi[b + 1]; ei++) dst[ri[ei] + col] -= vi[ei] * v;
    }
  }
}

/** L_Tj -= L_T0 L_j0' (dense P x q_0 times the transpose of sparse L_j0). */
function denseSparseProduct(P: number, xz0: Float64Array, Sj: SparseBlock, vj: Float64Array, dst: Float64Array): void {
  const kj = Sj.kRow, k0 = Sj.kCol, size = kj * k0;
  for (let b = 0; b < Sj.nlCol; b++) {
    for (let e = Sj.colptr[b]; e < Sj.colptr[b + 1]; e++) {
      const colBase = Sj.rowidx[e] * kj, o = e * size;
      for (let s = 0; s < kj; s++) {
        const d = (colBase + s) * P;
        for (let t = 0; t < k0; t++) {
          const v = vj[o + s + t * kj];
          if (v === 0) continue;
          const src = (b * k0 + t) * P;
          for (let x = 0; x < P; x++) dst[d + x] -= xz0[src + x] * v;
        }
      }
    }
  }
}

/**
 * Zeroes the lower triangle of the n x n column-major `a`. The strict upper triangle
 * of a dense diagonal block of L is never read nor written (outside its k x k level
 * blocks), so its pages are never touched: 16 MB of the 32 MB of a 2000 x 2000 block.
 */
function zeroLower(n: number, a: Float64Array): void {
  for (let c = 0; c < n; c++) a.fill(0, c * n + c, (c + 1) * n);
}

/** Block column j >= 1. Returns false if a pivot fails. */
function laterColumn(L: LFactor, A: LmmBlocks, lam: Float64Array[], j: number): boolean {
  const f = A.factors, m = L.m, P = L.P, q = L.q, qj = q[j], kj = f[j].k, kk = kj * kj;
  const Ljj = L.diag[j], Ajj = A.diag[j].values;
  zeroLower(qj, Ljj);
  for (let b = 0; b < f[j].nl; b++) {
    const o = b * kj * (qj + 1);
    congruence(kj, lam[j], kj, lam[j], Ajj, b * kk, Ljj, o, qj, L.scratch);
    for (let c = 0; c < kj; c++) Ljj[o + c * (qj + 1)] += 1;
  }
  for (let i = j + 1; i < m; i++) scatterSparse(A.off[i][j], lam[i], lam[j], L.dn[i][j], q[i], L.scratch);
  scaleXZ(P, f[j].nl, kj, lam[j], A.xz[j], L.xz[j]);

  const S0j = A.off[j][0];
  sparseProduct(S0j, L.sp[j], S0j, L.sp[j], Ljj, qj, true);
  for (let i = j + 1; i < m; i++) sparseProduct(A.off[i][0], L.sp[i], S0j, L.sp[j], L.dn[i][j], q[i], false);
  denseSparseProduct(P, L.xz[0], S0j, L.sp[j], L.xz[j]);

  for (let c = 1; c < j; c++) {
    const Ljc = L.dn[j][c];
    syrkLowerSub(qj, q[c], Ljc, 0, qj, Ljj, 0, qj);
    for (let i = j + 1; i < m; i++) gemmNTSub(q[i], qj, q[c], L.dn[i][c], 0, q[i], Ljc, 0, qj, L.dn[i][j], 0, q[i]);
    gemmNTSub(P, qj, q[c], L.xz[c], 0, P, Ljc, 0, qj, L.xz[j], 0, P);
  }
  if (potrf(qj, Ljj, 0, qj) !== 0) return false;
  for (let i = j + 1; i < m; i++) trsmRightLowerTrans(q[i], qj, Ljj, 0, qj, L.dn[i][j], 0, q[i]);
  trsmRightLowerTrans(P, qj, Ljj, 0, qj, L.xz[j], 0, P);
  return true;
}

/**
 * A fixed-effects pivot below sqrt(RANK_TOL) times its column's norm means X is
 * rank deficient (given Z): R's lm uses 1e-7 on |R_tt| / |x_t| in its QR.
 */
const RANK_TOL = 1e-14;

/**
 * Fills L for the Lambda blocks `lam` (lambda.ts): scale A's blocks by Lambda,
 * add I to the random-effects diagonal, then a blocked Cholesky by block
 * columns. Allocation-free; the work depends on the block sizes, not on nobs.
 * Returns false when a pivot is not positive (then L is incomplete) or a
 * fixed-effects pivot shows X to be rank deficient; with `exactResponse` the
 * response's own pivot may be 0 (r = 0, an exact fit of the working response).
 */
export function updateL(L: LFactor, A: LmmBlocks, lam: Float64Array[], exactResponse = false): boolean {
  if (L.m > 0 && !firstColumn(L, A, lam)) return false;
  for (let j = 1; j < L.m; j++) if (!laterColumn(L, A, lam, j)) return false;
  const P = L.P;
  L.xx.set(A.xx);
  for (let c = 0; c < L.m; c++) syrkLowerSub(P, L.q[c], L.xz[c], 0, P, L.xx, 0, P);
  const info = potrf(P, L.xx, 0, P);
  // The last pivot is the residual r: 0 when the effects reproduce the response exactly (rounding
  // can make it negative). Accepted as r = 0 when asked (PIRLS: a working response the modes fit exactly).
  if (info === P && exactResponse) L.xx[P * P - 1] = 0;
  else if (info !== 0) return false;
  for (let t = 0; t < P - 1; t++) {
    const d = L.xx[t * (P + 1)];
    if (d * d <= RANK_TOL * A.xx[t * (P + 1)]) return false;
  }
  return true;
}
