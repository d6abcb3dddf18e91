import { potriLower } from '../linalg/potri.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import { scalarFirstBlockValues, trailingInverse, type GradientWorkspace } from './gradient.js';
import { levelQuadratics } from './levelQuadratics.js';
import type { LFactor } from './updateL.js';

/**
 * Conditional variances of the random effects (lme4's `condVar`): per factor
 * block j and level, the k_j x k_j block of sigma^2 Lambda (L_Z L_Z')^{-1} Lambda'.
 *
 * With Y = L_Z^{-1}, (L_Z L_Z')^{-1} = Y'Y, so a diagonal block is Y[:, cols]' Y[:, cols].
 * Y is block lower triangular: for the first block Y_00 = L_00^{-1} (block
 * diagonal), and below it Y_R0 = -D^{-1} L_R0 L_00^{-1}, where D = L_RR is the
 * dense lower triangle of the later blocks (R = blocks 1..m-1). With
 * V = D^{-T} D^{-1} = (D D')^{-1}, a later block's level gets V's diagonal block,
 * and a first-block level T^{-T} (I + K'VK) T^{-1} with T its block of L_00 and K
 * its (sparse) columns of L_R0.
 *
 * V (q_R x q_R) comes, with the problem's gradient workspace `ws`, from the
 * workspace (gradient.ts trailingInverse, usually already formed at these Lambda
 * blocks by the optimiser's last gradient): W = (L_T L_T')^{-1} itself without rows
 * of X (ML: L_T = D), else the V that W was formed from, kept in the workspace's X.
 * Without a workspace V is formed directly in new arrays.
 *
 * Returns per block a Float64Array of nl * k * k (level-major, each k x k column-major).
 */
export function condVar(L: LFactor, A: LmmBlocks, lambda: Float64Array[], sigma: number, ws?: GradientWorkspace): Float64Array[] {
  const m = L.m, q = L.q;
  const offs = new Int32Array(m + 1);
  for (let j = 1; j < m; j++) offs[j + 1] = offs[j] + q[j];
  const qR = offs[m] > 0 ? offs[m] : 0;
  const out = A.factors.map((f) => new Float64Array(f.nl * f.k * f.k));
  const V = ws !== undefined ? workspaceV(ws, L, lambda, qR) : denseInverse(L, offs, qR);
  if (ws?.scalar != null && m > 0 && L.k[0] === 1) firstBlockVarScalar(ws, L, A, qR, V, out[0]);
  else firstBlockVar(L, A, offs, qR, V, out[0]);
  for (let j = 1; j < m; j++) laterBlockVar(L.k[j], q[j], offs[j], qR, V, out[j]);
  return out.map((v, j) => scale(v, A.factors[j].k, lambda[j], sigma * sigma));
}

/** V (q_R x q_R, lower triangle, leading dimension q_R) from the workspace at these Lambda blocks (module comment). */
function workspaceV(ws: GradientWorkspace, L: LFactor, lambda: Float64Array[], qR: number): Float64Array {
  if (qR === 0) return new Float64Array(0);
  const withX = ws.nR > qR;
  trailingInverse(ws, L, withX, lambda);
  return withX ? ws.X : ws.W;
}

/** V = (D D')^{-1} = D^{-T} D^{-1} for the dense later blocks (q_R x q_R, lower triangle; potri), in new arrays. */
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
  const V = new Float64Array(qR * qR);
  potriLower(qR, D, 0, qR, V, new Float64Array(qR * qR));
  return V;
}

/** Per level b: T^{-T} (I + K' W K) T^{-1}, T the level's block of L_00, K its columns of L_R0 (sparse). */
function firstBlockVar(L: LFactor, A: LmmBlocks, offs: Int32Array, qR: number, W: Float64Array, out: Float64Array): void {
  const k0 = L.k[0], nl = A.factors[0].nl, kk = k0 * k0;
  const tinv = new Float64Array(kk), qm = new Float64Array(kk);
  const rows: number[] = [], vals: number[] = [];
  for (let b = 0; b < nl; b++) {
    tinv.fill(0);
    for (let c = 0; c < k0; c++) tinv[c * (k0 + 1)] = 1;
    trsmLeftLower(k0, k0, L.d0, b * kk, k0, tinv, 0, k0);
    rows.length = 0;
    vals.length = 0;
    for (let i = 1; i < L.m; i++) {
      const S = A.off[i][0], ki = S.kRow, size = ki * k0, sp = L.sp[i];
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        for (let x = 0; x < ki; x++) {
          rows.push(offs[i] + S.rowidx[e] * ki + x);
          for (let t = 0; t < k0; t++) vals.push(sp[e * size + x + t * ki]);
        }
      }
    }
    // qm = I + K' W K (k0 x k0).
    qm.fill(0);
    for (let c = 0; c < k0; c++) qm[c * (k0 + 1)] = 1;
    for (let e = 0; e < rows.length; e++) {
      for (let f = 0; f < rows.length; f++) {
        const re = rows[e], rf = rows[f];
        const w = re >= rf ? W[re + rf * qR] : W[rf + re * qR];
        if (w === 0) continue;
        for (let s = 0; s < k0; s++) for (let r = 0; r < k0; r++) qm[r + s * k0] += vals[e * k0 + r] * w * vals[f * k0 + s];
      }
    }
    for (let s = 0; s < k0; s++) {
      for (let r = 0; r < k0; r++) {
        let acc = 0;
        for (let x = r; x < k0; x++) for (let y = s; y < k0; y++) acc += tinv[x + r * k0] * qm[x + y * k0] * tinv[y + s * k0];
        out[b * kk + r + s * k0] = acc;
      }
    }
  }
}

/**
 * firstBlockVar for k_0 = 1: per level l, 1 / d_l^2 + K~_l' W K~_l with K~_l = L_R0[:, l] / d_l
 * (the Z part of the workspace's pattern and values, scalarFirstBlockValues: V has no rows
 * of X; levelQuadratics.ts).
 */
function firstBlockVarScalar(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, qR: number, W: Float64Array, out: Float64Array): void {
  const sp = ws.scalar!;
  scalarFirstBlockValues(ws, L, A, ws.nR > ws.offX);
  levelQuadratics(sp, W, qR, qR, 0, null, out);
  for (let b = 0; b < out.length; b++) out[b] += sp.dinv[b] * sp.dinv[b];
}

/** The diagonal k x k blocks of W for the levels of a later block. */
function laterBlockVar(k: number, qj: number, oj: number, qR: number, W: Float64Array, out: Float64Array): void {
  const kk = k * k;
  for (let c0 = 0; c0 < qj; c0 += k) {
    const lev = c0 / k;
    for (let s = 0; s < k; s++) {
      for (let r = 0; r < k; r++) {
        const cr = oj + c0 + r, cs = oj + c0 + s;
        out[lev * kk + r + s * k] = cr >= cs ? W[cr + cs * qR] : W[cs + cr * qR];
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
