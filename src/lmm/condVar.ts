import { potriLower } from '../linalg/potri.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import { scalarFirstBlockValues, type GradientWorkspace } from './gradient.js';
import type { LFactor } from './updateL.js';

/**
 * Conditional variances of the random effects (lme4's `condVar`): per factor
 * block j and level, the k_j x k_j block of sigma^2 Lambda (L_Z L_Z')^{-1} Lambda'.
 *
 * With Y = L_Z^{-1}, (L_Z L_Z')^{-1} = Y'Y, so a diagonal block is Y[:, cols]' Y[:, cols].
 * Y is block lower triangular: for the first block Y_00 = L_00^{-1} (block
 * diagonal), and below it Y_R0 = -D^{-1} L_R0 L_00^{-1}, where D = L_RR is the
 * dense lower triangle of the later blocks (R = blocks 1..m-1). With
 * W = D^{-T} D^{-1} = (D D')^{-1} (potri, 2 q_R^3 / 3 flops), a later block's
 * level gets W's diagonal block, and a first-block level T^{-T} (I + K'WK) T^{-1}
 * with T its block of L_00 and K its (sparse) columns of L_R0.
 *
 * Returns per block a Float64Array of nl * k * k (level-major, each k x k column-major).
 * `scratch`: arrays of at least q_R^2 doubles to work in (the gradient's
 * workspace, so that a large fit does not hold more dense matrices; R and W
 * may be one array, as potri reads D before it writes W); else allocated. With
 * the problem's own gradient workspace and a scalar first block, that block's
 * variances are summed by columns of W over the workspace's pattern of L_R0
 * (firstBlockVarScalar), as the gradient sums its trace.
 */
export function condVar(L: LFactor, A: LmmBlocks, lambda: Float64Array[], sigma: number, scratch?: Pick<GradientWorkspace, 'R' | 'W' | 'X'> & Partial<GradientWorkspace>): Float64Array[] {
  const m = L.m, q = L.q;
  const offs = new Int32Array(m + 1);
  for (let j = 1; j < m; j++) offs[j + 1] = offs[j] + q[j];
  const qR = offs[m] > 0 ? offs[m] : 0;
  const room = scratch !== undefined && scratch.R.length >= qR * qR && scratch.W.length >= qR * qR && scratch.X.length >= qR * qR;
  const W = denseInverse(L, offs, qR, room ? scratch : undefined);
  const V = A.factors.map((f) => new Float64Array(f.nl * f.k * f.k));
  const ws = room ? scratch : undefined;
  if (ws?.scalar && ws.nR !== undefined && ws.offX !== undefined && L.k[0] === 1 && qR === ws.offX) firstBlockVarScalar(ws as GradientWorkspace, L, A, qR, W, V[0]);
  else firstBlockVar(L, A, offs, qR, W, V[0]);
  for (let j = 1; j < m; j++) laterBlockVar(L.k[j], q[j], offs[j], qR, W, V[j]);
  return V.map((v, j) => scale(v, A.factors[j].k, lambda[j], sigma * sigma));
}

/** W = (D D')^{-1} = D^{-T} D^{-1} for the dense later blocks (qR x qR, lower triangle; potri). */
function denseInverse(L: LFactor, offs: Int32Array, qR: number, scratch?: { R: Float64Array; W: Float64Array; X: Float64Array }): Float64Array {
  const D = scratch ? scratch.R.subarray(0, qR * qR).fill(0) : new Float64Array(qR * qR);
  for (let j = 1; j < L.m; j++) {
    const qj = L.q[j], oj = offs[j];
    for (let c = 0; c < qj; c++) for (let r = c; r < qj; r++) D[oj + r + (oj + c) * qR] = L.diag[j][r + c * qj];
    for (let i = j + 1; i < L.m; i++) {
      const qi = L.q[i], oi = offs[i];
      for (let c = 0; c < qj; c++) for (let r = 0; r < qi; r++) D[oi + r + (oj + c) * qR] = L.dn[i][j][r + c * qi];
    }
  }
  const W = scratch ? scratch.W.subarray(0, qR * qR) : new Float64Array(qR * qR);
  potriLower(qR, D, 0, qR, W, scratch ? scratch.X.subarray(0, qR * qR) : new Float64Array(qR * qR));
  return W;
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
 * (the workspace's pattern and values, scalarFirstBlockValues; its rows of X, present for
 * REML, are past W's qR columns and skipped), walked by columns of W (RowOrder).
 */
function firstBlockVarScalar(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, qR: number, W: Float64Array, out: Float64Array): void {
  const { krow, kval, order } = ws.scalar!, { rowptr, entry, stop, colOf } = order;
  scalarFirstBlockValues(ws, L, A, ws.nR > ws.offX);
  const nl = A.factors[0].nl;
  for (let b = 0; b < nl; b++) {
    const inv = 1 / L.d0[b];
    out[b] = inv * inv;
  }
  for (let c = 0; c < qR; c++) {
    const col = c * qR, wcc = W[col + c];
    for (let x = rowptr[c]; x < rowptr[c + 1]; x++) {
      const f = entry[x], vf = kval[f], end = stop[x];
      let v = 0;
      for (let e = f + 1; e < end; e++) {
        const r = krow[e];
        if (r >= qR) break;
        v += W[col + r] * kval[e];
      }
      out[colOf[f]] += vf * (2 * v + wcc * vf);
    }
  }
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
