import { trsvLower, trsvLowerTrans } from '../linalg/trsv.js';
import type { LmmBlocks } from './blocks.js';
import type { LFactor } from './updateL.js';

/**
 * Triangular solves with the blocked factor of updateL.ts, without the
 * response row:
 *
 *   Omega = [ M             Lambda'A_ZX ] = L L',   M = Lambda'A_ZZ Lambda + I = L_Z L_Z'.
 *           [ A_XZ Lambda   A_XX        ]
 *
 * Vectors are split by block: z[j] (length q_j, level-major like u) for the
 * factor blocks and x (length p) for the fixed effects. `withX` false works
 * with L_Z (M) alone. Costs one pass over L's non-zeros each way.
 */
export interface BlockVector {
  z: Float64Array[];
  x: Float64Array;
}

/** In place: v <- L^{-1} v (lower, forward substitution). */
export function forwardSolve(L: LFactor, A: LmmBlocks, v: BlockVector, withX: boolean): void {
  const m = L.m, P = L.P, p = P - 1;
  if (m > 0) {
    const k0 = L.k[0], kk = k0 * k0, z0 = v.z[0];
    for (let b = 0; b < A.factors[0].nl; b++) trsvLower(k0, L.d0, b * kk, k0, z0, b * k0);
  }
  for (let i = 1; i < m; i++) {
    const zi = v.z[i], S = A.off[i][0], ki = S.kRow, k0 = S.kCol, size = ki * k0, sp = L.sp[i], z0 = v.z[0];
    for (let b = 0; b < S.nlCol; b++) {
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        const r0 = S.rowidx[e] * ki;
        for (let t = 0; t < k0; t++) {
          const y = z0[b * k0 + t];
          for (let r = 0; r < ki; r++) zi[r0 + r] -= sp[e * size + r + t * ki] * y;
        }
      }
    }
    for (let j = 1; j < i; j++) {
      const d = L.dn[i][j], qi = L.q[i], zj = v.z[j];
      for (let c = 0; c < L.q[j]; c++) {
        const y = zj[c];
        if (y !== 0) for (let r = 0; r < qi; r++) zi[r] -= d[r + c * qi] * y;
      }
    }
    trsvLower(L.q[i], L.diag[i], 0, L.q[i], zi, 0);
  }
  if (!withX) return;
  for (let j = 0; j < m; j++) {
    const xz = L.xz[j], zj = v.z[j];
    for (let c = 0; c < L.q[j]; c++) {
      const y = zj[c];
      if (y !== 0) for (let t = 0; t < p; t++) v.x[t] -= xz[t + c * P] * y;
    }
  }
  trsvLower(p, L.xx, 0, P, v.x, 0);
}

/** In place: v <- L^{-T} v (back substitution). */
export function backSolve(L: LFactor, A: LmmBlocks, v: BlockVector, withX: boolean): void {
  const m = L.m, P = L.P, p = P - 1;
  if (withX) {
    trsvLowerTrans(p, L.xx, 0, P, v.x, 0);
    for (let j = 0; j < m; j++) {
      const xz = L.xz[j], zj = v.z[j];
      for (let c = 0; c < L.q[j]; c++) {
        let s = 0;
        for (let t = 0; t < p; t++) s += xz[t + c * P] * v.x[t];
        zj[c] -= s;
      }
    }
  }
  for (let i = m - 1; i >= 1; i--) {
    const zi = v.z[i], qi = L.q[i];
    trsvLowerTrans(qi, L.diag[i], 0, qi, zi, 0);
    for (let j = 1; j < i; j++) {
      const d = L.dn[i][j], zj = v.z[j];
      for (let c = 0; c < L.q[j]; c++) {
        let s = 0;
        for (let r = 0; r < qi; r++) s += d[r + c * qi] * zi[r];
        zj[c] -= s;
      }
    }
    const S = A.off[i][0], ki = S.kRow, k0 = S.kCol, size = ki * k0, sp = L.sp[i], z0 = v.z[0];
    for (let b = 0; b < S.nlCol; b++) {
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        const r0 = S.rowidx[e] * ki;
        for (let t = 0; t < k0; t++) {
          let s = 0;
          for (let r = 0; r < ki; r++) s += sp[e * size + r + t * ki] * zi[r0 + r];
          z0[b * k0 + t] -= s;
        }
      }
    }
  }
  if (m > 0) {
    const k0 = L.k[0], kk = k0 * k0, z0 = v.z[0];
    for (let b = 0; b < A.factors[0].nl; b++) trsvLowerTrans(k0, L.d0, b * kk, k0, z0, b * k0);
  }
}

/** A zero BlockVector shaped like L. */
export function blockVector(L: LFactor): BlockVector {
  return { z: Array.from(L.q, (q) => new Float64Array(q)), x: new Float64Array(L.P - 1) };
}
