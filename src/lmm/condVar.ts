import { denseWasm, potriLowerWasm } from '../linalg/denseWasm.js';
import { potriLower } from '../linalg/potri.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import { invalidateInverse, scalarFirstBlockValues, trailingInverse, type GradientWorkspace } from './gradient.js';
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
 * workspace's W = (L_T L_T')^{-1} (gradient.ts trailingInverse, usually already
 * formed at these Lambda blocks by the optimiser's last gradient), L_T = [D 0; K_X L_X]
 * the trailing factor, which for REML also has the rows of X. By the inverse of a
 * partitioned matrix (Schur complement of D D' in L_T L_T' is L_X L_X'),
 *
 *   V = W_ZZ - W_ZX (L_X L_X') W_XZ = W_ZZ - G G',  G = W_ZX L_X  (q_R x p),
 *
 * a rank-p correction (V = W for ML: L_T = D), written into the workspace's X.
 * The difference can lose digits (W carries the conditioning of the fixed effects,
 * V does not), so it is checked: D D' >= I (it is the Schur complement of
 * Lambda'Z'Z Lambda + I >= I), hence for the error E of V and any z,
 * |E z| <= |D D' V z - z|. Two probes z of random signs estimate |E|_F (which bounds
 * every entry of E and its 2-norm), with a margin of 10; the variances are kept only
 * when each one's bound, |E| for a later block's, |E| |K~_l|^2 for a first-block
 * level's (K~_l = K_l / d_l), is below 1e-9 of it (ACCURACY: half that on a standard
 * error, far below the digits printed or compared with lme4's; the probe's own rounding,
 * about eps |D D'| |V z|, keeps a tighter bound from certifying). Otherwise V is formed
 * directly, V = (D D')^{-1} by potri in the workspace's arrays (keeping W where it can:
 * denseInverse), and the variances again.
 * The shortcut is taken for a scalar first block (or ML, where V = W exactly); without
 * a workspace V is formed directly in new arrays.
 *
 * Returns per block a Float64Array of nl * k * k (level-major, each k x k column-major).
 */
export function condVar(L: LFactor, A: LmmBlocks, lambda: Float64Array[], sigma: number, ws?: GradientWorkspace): Float64Array[] {
  const m = L.m, q = L.q;
  const offs = new Int32Array(m + 1);
  for (let j = 1; j < m; j++) offs[j + 1] = offs[j] + q[j];
  const qR = offs[m] > 0 ? offs[m] : 0;
  const scalarFirst = ws?.scalar != null && m > 0 && L.k[0] === 1;
  const out = A.factors.map((f) => new Float64Array(f.nl * f.k * f.k));
  const fill = (V: Float64Array): void => {
    if (scalarFirst) firstBlockVarScalar(ws!, L, A, qR, V, out[0]);
    else firstBlockVar(L, A, offs, qR, V, out[0]);
    for (let j = 1; j < m; j++) laterBlockVar(L.k[j], q[j], offs[j], qR, V, out[j]);
  };
  const fast = ws !== undefined && (scalarFirst || ws.nR === qR) ? fromTrailingInverse(ws, L, lambda, qR, offs) : null;
  let done = false;
  if (fast !== null && fast.exact) {
    fill(fast.V);
    done = true;
  } else if (fast !== null) {
    // The later blocks' variances are V's diagonal: checked before the first block's are formed.
    const e = errorBound(L, offs, qR, fast.V);
    if (laterAccurate(L, offs, (c) => fast.V[c * (qR + 1)], e)) {
      fill(fast.V);
      done = firstAccurate(ws!, A, out[0], e);
    }
  }
  if (!done) fill(denseInverse(L, offs, qR, ws));
  return out.map((v, j) => scale(v, A.factors[j].k, lambda[j], sigma * sigma));
}

/** The largest relative error bound (module comment) that the variances accept. */
const ACCURACY = 1e-9;

/**
 * V = W_ZZ - G G' (module comment) into ws.X (q_R x q_R, lower triangle); `exact` when V is W itself (no rows of X).
 * Null when, before V is formed, its diagonal (the later blocks' variances) fails the accuracy check against one
 * probe of its error taken without V (W_ZZ z - G G'z): the check on V itself would then fail too but for the
 * last bits of its rounding, and the caller forms V directly, which is always valid (only the work differs;
 * lmm_crossed_1e6: item variances of 4e-5 against a bound of 3e-12 / 1e-9).
 */
function fromTrailingInverse(ws: GradientWorkspace, L: LFactor, lambda: Float64Array[], qR: number, offs: Int32Array): { V: Float64Array; exact: boolean } | null {
  if (qR === 0) return { V: new Float64Array(0), exact: true };
  const nR = ws.nR, p = nR - qR;
  trailingInverse(ws, L, p > 0, lambda);
  const W = ws.W;
  if (p === 0) return { V: W, exact: true };
  const P = L.P, G = new Float64Array(qR * p);
  // G[i, t] = sum_{s >= t} W[qR + s, i] L_X[s, t]  (L_X = L.xx's leading p x p, lower; W's rows of X follow Z's).
  for (let t = 0; t < p; t++) {
    for (let s = t; s < p; s++) {
      const l = L.xx[s + t * P], col = qR + s;
      if (l === 0) continue;
      for (let i = 0; i < qR; i++) G[i + t * qR] += W[col + i * nR] * l;
    }
  }
  if (!plausible(L, offs, qR, W, nR, G, p)) return null;
  const V = ws.X;
  for (let c = 0; c < qR; c++) {
    const wc = c * nR, vc = c * qR;
    for (let r = c; r < qR; r++) {
      let x = 0;
      for (let t = 0; t < p; t++) x += G[r + t * qR] * G[c + t * qR];
      V[vc + r] = W[wc + r] - x;
    }
  }
  return { V, exact: false };
}

/** The probes z: random signs, the same sequence in every call. */
function probes(qR: number, count: number): Float64Array[] {
  let seed = 0x9e3779b9;
  return Array.from({ length: count }, () => {
    const z = new Float64Array(qR);
    for (let i = 0; i < qR; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      z[i] = seed & 0x80000000 ? 1 : -1;
    }
    return z;
  });
}

/** 10 |E z| over two probes z of random signs: the bound on V's error |E|_F of the module comment. */
function errorBound(L: LFactor, offs: Int32Array, qR: number, V: Float64Array): number {
  return Math.max(...probes(qR, 2).map((z) => 10 * residualNorm(L, offs, qR, symmetricTimes(qR, V, qR, z), z)));
}

/** fromTrailingInverse's check before V is formed: V's diagonal and the first probe, from W and G. */
function plausible(L: LFactor, offs: Int32Array, qR: number, W: Float64Array, nR: number, G: Float64Array, p: number): boolean {
  const [z] = probes(qR, 1), y = symmetricTimes(qR, W, nR, z);
  for (let t = 0; t < p; t++) {
    let gz = 0;
    for (let i = 0; i < qR; i++) gz += G[i + t * qR] * z[i];
    for (let i = 0; i < qR; i++) y[i] -= G[i + t * qR] * gz;
  }
  const e = 10 * residualNorm(L, offs, qR, y, z);
  return laterAccurate(L, offs, (c) => {
    let x = 0;
    for (let t = 0; t < p; t++) x += G[c + t * qR] * G[c + t * qR];
    return W[c * (nR + 1)] - x;
  }, e);
}

/** Whether each later block's variance (unscaled: V's diagonal element c, `diagonal(c)`) is within ACCURACY of the error bound e. */
function laterAccurate(L: LFactor, offs: Int32Array, diagonal: (c: number) => number, e: number): boolean {
  for (let j = 1; j < L.m; j++) {
    for (let c = offs[j]; c < offs[j] + L.q[j]; c++) if (!(e <= ACCURACY * diagonal(c))) return false;
  }
  return true;
}

/** y = S z for the leading n x n of a symmetric S stored by its lower triangle (leading dimension ld). */
function symmetricTimes(n: number, S: Float64Array, ld: number, z: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    const col = c * ld, zc = z[c];
    let s = S[col + c] * zc;
    for (let r = c + 1; r < n; r++) {
      y[r] += S[col + r] * zc;
      s += S[col + r] * z[r];
    }
    y[c] += s;
  }
  return y;
}

/** Whether each first-block level's variance (unscaled, `first`) is within ACCURACY of its bound e |K~_l|^2. */
function firstAccurate(ws: GradientWorkspace, A: LmmBlocks, first: Float64Array, e: number): boolean {
  const { kptr, kval, dinv } = ws.scalar!, nl = A.factors[0].nl;
  for (let b = 0; b < nl; b++) {
    let s = 0;
    for (let x = kptr[b]; x < kptr[b + 1]; x++) {
      const k = kval[x] * dinv[b];
      s += k * k;
    }
    if (!(e * s <= ACCURACY * first[b])) return false;
  }
  return true;
}

/** |D D' y - z| for y = V z and D the later blocks' factor in L. */
function residualNorm(L: LFactor, offs: Int32Array, qR: number, y: Float64Array, z: Float64Array): number {
  // w = D' y, then D w, by the blocks of D: diag[j] (q_j x q_j, lower) and dn[i][j] (q_i x q_j).
  const w = new Float64Array(qR);
  for (let j = 1; j < L.m; j++) {
    const qj = L.q[j], oj = offs[j];
    for (let c = 0; c < qj; c++) {
      let s = 0;
      const dc = L.diag[j], col = c * qj;
      for (let r = c; r < qj; r++) s += dc[col + r] * y[oj + r];
      for (let i = j + 1; i < L.m; i++) {
        const qi = L.q[i], oi = offs[i], dn = L.dn[i][j], col2 = c * qi;
        for (let r = 0; r < qi; r++) s += dn[col2 + r] * y[oi + r];
      }
      w[oj + c] = s;
    }
  }
  const d = new Float64Array(qR);
  for (let j = 1; j < L.m; j++) {
    const qj = L.q[j], oj = offs[j];
    for (let c = 0; c < qj; c++) {
      const wc = w[oj + c];
      const dc = L.diag[j], col = c * qj;
      for (let r = c; r < qj; r++) d[oj + r] += dc[col + r] * wc;
      for (let i = j + 1; i < L.m; i++) {
        const qi = L.q[i], oi = offs[i], dn = L.dn[i][j], col2 = c * qi;
        for (let r = 0; r < qi; r++) d[oi + r] += dn[col2 + r] * wc;
      }
    }
  }
  let s = 0;
  for (let i = 0; i < qR; i++) s += (d[i] - z[i]) ** 2;
  return Math.sqrt(s);
}

/**
 * V = (D D')^{-1} = D^{-T} D^{-1} for the dense later blocks (qR x qR, lower triangle; potri), in
 * ws's arrays when given. Where the WebAssembly module takes order qR, its potri reads D whole
 * before it writes V, so both live in ws.X and the workspace's W, the trailing inverse at these
 * Lambda blocks that Satterthwaite's derivatives use next, is kept (lmm_crossed_1e6: one potri
 * of order 2000, 0.35 s, not repeated); otherwise D and V take W's array and W is marked stale.
 */
function denseInverse(L: LFactor, offs: Int32Array, qR: number, ws?: GradientWorkspace): Float64Array {
  const wasm = ws !== undefined ? denseWasm(qR) : null;
  if (ws !== undefined && wasm === null) invalidateInverse(ws);
  // The module reads D's lower triangle only, which the loops below write whole: ws.X needs no zeroing.
  const D = !ws ? new Float64Array(qR * qR) : wasm !== null ? ws.X.subarray(0, qR * qR) : ws.R.subarray(0, qR * qR).fill(0);
  for (let j = 1; j < L.m; j++) {
    const qj = L.q[j], oj = offs[j];
    for (let c = 0; c < qj; c++) for (let r = c; r < qj; r++) D[oj + r + (oj + c) * qR] = L.diag[j][r + c * qj];
    for (let i = j + 1; i < L.m; i++) {
      const qi = L.q[i], oi = offs[i];
      for (let c = 0; c < qj; c++) for (let r = 0; r < qi; r++) D[oi + r + (oj + c) * qR] = L.dn[i][j][r + c * qi];
    }
  }
  if (wasm !== null) {
    potriLowerWasm(wasm, qR, D, 0, qR, D);
    return D;
  }
  const V = ws ? ws.W.subarray(0, qR * qR) : new Float64Array(qR * qR);
  potriLower(qR, D, 0, qR, V, ws ? ws.X.subarray(0, qR * qR) : new Float64Array(qR * qR));
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
