import { trsmLeftLower } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import type { LFactor } from './updateL.js';

/**
 * Conditional variances of the random effects (lme4's `condVar`): per factor
 * block j and level, the k_j x k_j block of sigma^2 Lambda (L_Z L_Z')^{-1} Lambda'.
 *
 * With W = L_Z^{-1}, (L_Z L_Z')^{-1} = W'W, so a diagonal block is W[:, cols]' W[:, cols].
 * W is block lower triangular: for the first block W_00 = L_00^{-1} (block
 * diagonal), and below it W_R0 = -D^{-1} L_R0 L_00^{-1}, where D = L_RR is the
 * dense lower triangle of the later blocks (R = blocks 1..m-1). For a later
 * block only D^{-1} matters. So one dense triangular inverse of D (q_R^3/3
 * flops) and one sparse-times-dense product per level of the first factor.
 *
 * Returns per block a Float64Array of nl * k * k (level-major, each k x k column-major).
 */
export function condVar(L: LFactor, A: LmmBlocks, lambda: Float64Array[], sigma: number): Float64Array[] {
  const m = L.m, q = L.q;
  const offs = new Int32Array(m + 1);
  for (let j = 1; j < m; j++) offs[j + 1] = offs[j] + q[j];
  const qR = offs[m] > 0 ? offs[m] : 0;
  const Dinv = denseInverse(L, offs, qR);
  const V = A.factors.map((f) => new Float64Array(f.nl * f.k * f.k));
  firstBlockVar(L, A, offs, qR, Dinv, V[0]);
  for (let j = 1; j < m; j++) laterBlockVar(L.k[j], q[j], offs[j], qR, Dinv, V[j]);
  return V.map((v, j) => scale(v, A.factors[j].k, lambda[j], sigma * sigma));
}

/** D^{-1} for the dense later blocks (qR x qR, column-major), via L D^{-1} = I. */
function denseInverse(L: LFactor, offs: Int32Array, qR: number): Float64Array {
  const D = new Float64Array(qR * qR);
  for (let j = 1; j < L.m; j++) {
    const qj = L.q[j], oj = offs[j];
    for (let c = 0; c < qj; c++) for (let r = c; r < qj; r++) D[oj + r + (oj + c) * qR] = L.diag[j][r + c * qj];
    for (let i = j + 1; i < L.m; i++) {
      const qi = L.q[i], oi = offs[i];
      for (let c = 0; c < qj; c++) for (let r = 0; r < qi; r++) D[oi + r + (oj + c) * qR] = L.dn[i][j][r + c * qi];
    }
  }
  const inv = new Float64Array(qR * qR);
  for (let c = 0; c < qR; c++) inv[c * (qR + 1)] = 1;
  trsmLeftLower(qR, qR, D, 0, qR, inv, 0, qR);
  return inv;
}

function firstBlockVar(L: LFactor, A: LmmBlocks, offs: Int32Array, qR: number, Dinv: Float64Array, out: Float64Array): void {
  const k0 = L.k[0], nl = A.factors[0].nl, kk = k0 * k0;
  const tinv = new Float64Array(kk);
  const v = new Float64Array(qR * k0);
  const w = new Float64Array(qR * k0);
  for (let b = 0; b < nl; b++) {
    // tinv = T_b^{-1}, T_b the level's k0 x k0 block of L_00.
    tinv.fill(0);
    for (let c = 0; c < k0; c++) tinv[c * (k0 + 1)] = 1;
    trsmLeftLower(k0, k0, L.d0, b * kk, k0, tinv, 0, k0);
    // v = L_R0[:, level b] tinv (qR x k0), w = D^{-1} v.
    v.fill(0);
    const rows: number[] = [];
    for (let i = 1; i < L.m; i++) {
      const S = A.off[i][0], ki = S.kRow, size = ki * k0, vals = L.sp[i];
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        for (let x = 0; x < ki; x++) {
          const row = offs[i] + S.rowidx[e] * ki + x;
          rows.push(row);
          for (let s = 0; s < k0; s++) {
            let acc = 0;
            for (let t = s; t < k0; t++) acc += vals[e * size + x + t * ki] * tinv[t + s * k0];
            v[row + s * qR] = acc;
          }
        }
      }
    }
    w.fill(0);
    for (const row of rows) {
      const lo = row;
      for (let s = 0; s < k0; s++) {
        const vr = v[row + s * qR];
        if (vr === 0) continue;
        for (let r = lo; r < qR; r++) w[r + s * qR] += Dinv[r + row * qR] * vr;
      }
    }
    // block = tinv' tinv + w'w
    for (let s = 0; s < k0; s++) {
      for (let r = 0; r < k0; r++) {
        let acc = 0;
        for (let t = Math.max(r, s); t < k0; t++) acc += tinv[t + r * k0] * tinv[t + s * k0];
        for (let x = 0; x < qR; x++) acc += w[x + r * qR] * w[x + s * qR];
        out[b * kk + r + s * k0] = acc;
      }
    }
  }
}

function laterBlockVar(k: number, qj: number, oj: number, qR: number, Dinv: Float64Array, out: Float64Array): void {
  const kk = k * k;
  for (let c0 = 0; c0 < qj; c0 += k) {
    const lev = c0 / k;
    for (let s = 0; s < k; s++) {
      for (let r = 0; r < k; r++) {
        const cr = oj + c0 + r, cs = oj + c0 + s;
        let acc = 0;
        for (let x = Math.max(cr, cs); x < qR; x++) acc += Dinv[x + cr * qR] * Dinv[x + cs * qR];
        out[lev * kk + r + s * k] = acc;
      }
    }
  }
}

/** sigma^2 T V T' per level. */
function scale(v: Float64Array, k: number, t: Float64Array, s2: number): Float64Array {
  const kk = k * k, out = new Float64Array(v.length);
  for (let o = 0; o < v.length; o += kk) {
    for (let s = 0; s < k; s++) {
      for (let r = 0; r < k; r++) {
        let acc = 0;
        for (let a = 0; a <= r; a++) for (let c = 0; c <= s; c++) acc += t[r + a * k] * v[o + a + c * k] * t[s + c * k];
        out[o + r + s * k] = s2 * acc;
      }
    }
  }
  return out;
}
