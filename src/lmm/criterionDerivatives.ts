import { MixedModelsError } from '../errors.js';
import { symmProductInPlaceWasm } from '../linalg/denseWasm.js';
import { symmLowerNTSub } from '../linalg/rankUpdate.js';
import { trsmLeftLower } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import { sphericalEffects } from './effects.js';
import { SINGULAR_TOL } from './finish.js';
import { gatherFirstBlockLevel, gradientWorkspace, invalidateV, invertLower, scalarFirstBlockValues, trailingInverse, type GradientWorkspace } from './gradient.js';
import { levelQuadratics } from './levelQuadratics.js';
import { devianceParts } from './objective.js';
import { backSolve, blockVector, forwardSolve, type BlockVector } from './omegaSolve.js';
import type { LmmProblem } from './problem.js';
import type { LFactor } from './updateL.js';

/**
 * Exact first and second derivatives in theta of the two parts of the
 * profiled criterion, and the first derivatives of the fixed effects'
 * unscaled covariance, as Satterthwaite's df need them (varpar.ts):
 *
 *   a(theta) = log|M| (ML) or log|Omega| (REML)   (ldL2, + ldRX2)
 *   r(theta) = r^2 = y'Py                          (pwrss)
 *   M_X(theta) = (X'V^{-1}X)^{-1} = (L_X L_X')^{-1}
 *
 * with V = W^{-1} + Z Lambda Lambda' Z' (relative marginal covariance), P =
 * V^{-1} - V^{-1}X M_X X'V^{-1} and Q = P (REML) or V^{-1} (ML). For theta_i in
 * factor block j, dV/dtheta_i = Z D_i Z' with D_i = I (x) (dT_i T' + T dT_i'),
 * dT_i = dT/dtheta_i; written through Lambda, D_i = Lambda (I (x) E_i) Lambda'
 * with E_i = F_i + F_i', F_i = T^{-1} dT_i, and the second derivative of V
 * likewise with E_ij = F_i F_j' + F_j F_i' (same block, else 0). Standard
 * (RE)ML calculus (e.g. Searle, Casella, McCulloch 1992, ch. 6) gives
 *
 *   a_i  = tr(Q V_i),      a_ij = tr(Q V_ij) - tr(Q V_i Q V_j)
 *   r_i  = -y'P V_i P y,   r_ij = 2 y'P V_i P V_j P y - y'P V_ij P y
 *   dM_X/dtheta_i = M_X X'V^{-1} V_i V^{-1} X M_X
 *
 * and everything reduces to q-dimensional quantities through three identities
 * of the blocked factor (Omega = L L', M = L_Z L_Z'):
 *
 *   Lambda'Z'Q Z Lambda = I - S,  S = (Omega^{-1})_ZZ (REML) or M^{-1} (ML)
 *     (for Q = P, in r_ij, S = (Omega^{-1})_ZZ in both);
 *   Lambda'Z'P y = u (the spherical conditional modes);
 *   Lambda'Z'V^{-1}X = R = L_Z^{-T} L_XZ'.
 *
 * Hence, with S_ll' the k x k blocks of S between levels l and l', per block
 * G = sum_l (I - S_ll) and U = sum_l u_l u_l', and v_i = (I (x) E_i) u:
 *
 *   a_i = tr(G E_i),  r_i = -tr(E_i U),  dM_X/dtheta_i = M_X R'(I (x) E_i)R M_X
 *   a_ij = [same block] (tr(G E_ij) + nl tr(E_i E_j) - tr(G (E_i E_j + E_j E_i))) - X_ij
 *   r_ij = 2 ([same block] tr(E_i E_j U) - v_i' S_P v_j) - [same block] tr(E_ij U),  S_P = (Omega^{-1})_ZZ
 *   X_ij = sum over levels l of i's block, l' of j's: tr(S_ll' E_j S_l'l E_i)
 *
 * v_i' S_P v_j = w_i'w_j with w_i = L^{-1}(v_i; 0), a forward solve with the whole
 * factor L (omegaSolve.ts). X_ij needs every block of S between
 * the two factors. With L_R the dense trailing factor (blocks 1..m-1, and for
 * REML the rows of X), W = (L_R L_R')^{-1} (as the gradient's), D_l the block of
 * L_00 for level l and K~_l = K_l D_l^{-1} (K_l its sparse column of L_R0):
 *
 *   S_ll' = W_ll' for blocks >= 1,   S_ll' = -K~_l' W_.l' (block 0 with block >= 1),
 *   S_ll' = delta_ll' N_l + K~_l' W K~_l'  (block 0),  N_l = D_l^{-T} D_l^{-1},
 *
 * so that, with K_i = sum_l K~_l E_i K~_l' (dense, size of L_R) and Y_i = W K_i,
 *
 *   X_ij (block 0, block 0) = sum_l tr(N_l E_j N_l E_i) + tr(N_l E_j B_l E_i) + tr(B_l E_j N_l E_i) + tr(Y_j Y_i)
 *   X_ij (block 0, block b) = sum over l' in b of tr(E_j (Y_i W)_l'l'),  B_l = K~_l' W K~_l
 *
 * One potri and one product of the trailing size per parameter of block 0
 * (the factor with most levels): InstEval's whole Hessian costs about as
 * much as three evaluations of the criterion.
 *
 * A variance parameter of a scalar term at its bound (phi = s theta below
 * SINGULAR_TOL) has V_i = 0 (V is even in it): it is held fixed, all its
 * derivatives 0 (`fixed`). A vector-valued term with a pivot there has no
 * Lambda^{-1} and gives null (the caller differentiates numerically).
 */
export interface CriterionDerivatives {
  a: number;
  r: number;
  da: Float64Array;
  dr: Float64Array;
  /** m x m, column-major. */
  d2a: Float64Array;
  d2r: Float64Array;
  /** M_X, p x p. */
  M: Float64Array;
  /** dM_X/dtheta_i, p x p each. */
  dM: Float64Array[];
  /** 1 for the theta elements held at their bound. */
  fixed: Uint8Array;
}

/** Per theta element: its factor block, and F_i = T^{-1} dT_i (k x k; zero when fixed). */
interface Parameters {
  block: Int32Array;
  F: Float64Array[];
  fixed: Uint8Array;
}

/** F_i for every theta element, or null when a vector-valued term is singular. */
function parameters(prob: LmmProblem, theta: ArrayLike<number>): Parameters | null {
  const { map, factors, lambda } = prob, m = map.ntheta;
  const block = new Int32Array(m), fixed = new Uint8Array(m);
  const F = Array.from({ length: m }, (_, e) => new Float64Array(factors[map.where[e].block].k ** 2));
  for (let j = 0; j < factors.length; j++) {
    const f = factors[j], K = f.k;
    for (const t of f.terms) {
      const kt = t.k, sub = new Float64Array(kt * kt), inv = new Float64Array(kt * kt);
      for (let c = 0; c < kt; c++) for (let r = c; r < kt; r++) sub[r + c * kt] = lambda[j][t.offset + r + (t.offset + c) * K];
      const e0 = map.index[j][t.offset * (K + 1)];
      const low = Array.from({ length: kt }, (_, c) => map.index[j][t.offset + c + (t.offset + c) * K]).some((e) => theta[e] * prob.thetaScale[e] < SINGULAR_TOL);
      if (low && kt > 1) return null;
      if (low) {
        fixed[e0] = 1;
        block[e0] = j;
        continue;
      }
      invertLower(kt, sub, 0, inv);
      for (let c = 0; c < kt; c++) {
        for (let r = c; r < kt; r++) {
          const e = map.index[j][t.offset + r + (t.offset + c) * K];
          block[e] = j;
          // F = T^{-1} e_r e_c' within the term: column c of F is column r of T^{-1}.
          for (let x = 0; x < kt; x++) F[e][t.offset + x + (t.offset + c) * K] = inv[x + r * kt];
        }
      }
    }
  }
  return { block, F, fixed };
}

/** k x k helpers (column-major). */
const sym = (k: number, F: Float64Array): Float64Array => F.map((_, e) => F[e] + F[Math.floor(e / k) + (e % k) * k]);
function mul(k: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(k * k);
  for (let c = 0; c < k; c++) for (let x = 0; x < k; x++) {
    const b = B[x + c * k];
    if (b !== 0) for (let r = 0; r < k; r++) C[r + c * k] += A[r + x * k] * b;
  }
  return C;
}
function trMul(k: number, A: Float64Array, B: Float64Array): number {
  let s = 0;
  for (let r = 0; r < k; r++) for (let c = 0; c < k; c++) s += A[r + c * k] * B[c + r * k];
  return s;
}
const transpose = (k: number, A: Float64Array): Float64Array => A.map((_, e) => A[Math.floor(e / k) + (e % k) * k]);

/**
 * What X_ij and G need of block 0's diagonal blocks S_ll = N_l + B_l: their sum,
 * and the per-level part of X_ij for two of its parameters.
 */
interface FirstBlock {
  sum: Float64Array;
  pair(Ei: Float64Array, Ej: Float64Array): number;
}

/** FirstBlock and K_i for block 0's free parameters (into `Ks`), level by level. */
function firstBlock(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, E0: { e: number; E: Float64Array }[], Ks: Map<number, Float64Array>): FirstBlock {
  const k0 = L.k[0], kk = k0 * k0, nl = A.factors[0].nl, nR = ws.nR, W = ws.W;
  const N = new Float64Array(nl * kk), B = new Float64Array(nl * kk), dinv = new Float64Array(kk);
  const kt = new Float64Array(ws.vals.length), ke = new Float64Array(ws.vals.length);
  for (const { e } of E0) if (nR > 0) Ks.set(e, new Float64Array(nR * nR));
  if (k0 === 2) {
    const params = E0.map(({ e, E }) => ({ E, K: Ks.get(e) ?? null }));
    for (let b = 0; b < nl; b++) firstBlockLevel2(ws, L, A, REML, b, N, B, kt, ke, params);
  }
  for (let b = 0; b < (k0 === 2 ? 0 : nl); b++) {
    invertLower(k0, L.d0, b * kk, dinv);
    for (let c = 0; c < k0; c++) for (let r = 0; r < k0; r++) {
      let s = 0;
      for (let x = Math.max(r, c); x < k0; x++) s += dinv[x + r * k0] * dinv[x + c * k0];
      N[b * kk + r + c * k0] = s;
    }
    if (nR === 0) continue;
    const nz = gatherFirstBlockLevel(ws, L, A, REML, b), rows = ws.rows, vals = ws.vals;
    // K~ = K D^{-1} (nz x k0, row-major).
    for (let x = 0; x < nz; x++) for (let t = 0; t < k0; t++) {
      let s = 0;
      for (let y = t; y < k0; y++) s += vals[x * k0 + y] * dinv[y + t * k0];
      kt[x * k0 + t] = s;
    }
    for (let y = 0; y < nz; y++) {
      const ry = rows[y];
      for (let x = 0; x < nz; x++) {
        const w = lowerEntry(W, nR, rows[x], ry);
        for (let c = 0; c < k0; c++) for (let r = 0; r < k0; r++) B[b * kk + r + c * k0] += kt[x * k0 + r] * w * kt[y * k0 + c];
      }
    }
    for (const { e, E } of E0) {
      const K = Ks.get(e)!;
      for (let x = 0; x < nz; x++) for (let t = 0; t < k0; t++) {
        let s = 0;
        for (let y = 0; y < k0; y++) s += kt[x * k0 + y] * E[y + t * k0];
        ke[x * k0 + t] = s;
      }
      for (let y = 0; y < nz; y++) {
        const col = rows[y] * nR;
        for (let x = 0; x < nz; x++) {
          let s = 0;
          for (let t = 0; t < k0; t++) s += ke[x * k0 + t] * kt[y * k0 + t];
          K[rows[x] + col] += s;
        }
      }
    }
  }
  const sum = new Float64Array(kk);
  for (let e = 0; e < N.length; e++) sum[e % kk] += N[e] + B[e];
  const pairs = levelPairs(k0, nl, N, B, E0.map((x) => x.E));
  const at = new Map(E0.map((x, i) => [x.E, i]));
  return { sum, pair: (Ei, Ej) => pairs[at.get(Ei)! + at.get(Ej)! * E0.length] };
}

/**
 * For every pair (i, j) of block 0's parameters: sum over levels l of
 * tr(N_l E_j N_l E_i) + tr(N_l E_j B_l E_i) + tr(B_l E_j N_l E_i), in one pass
 * over the levels (each level's products N_l E_i and B_l E_i formed once).
 */
function levelPairs(k: number, nl: number, N: Float64Array, B: Float64Array, E: Float64Array[]): Float64Array {
  const np = E.length, kk = k * k, out = new Float64Array(np * np);
  if (k === 2) return levelPairs2(nl, N, B, E, out);
  const NE = E.map(() => new Float64Array(kk)), BE = E.map(() => new Float64Array(kk));
  for (let l = 0; l < nl; l++) {
    for (let i = 0; i < np; i++) {
      mulAt(k, N, l * kk, E[i], NE[i]);
      mulAt(k, B, l * kk, E[i], BE[i]);
    }
    for (let j = 0; j < np; j++) {
      for (let i = 0; i < np; i++) out[i + j * np] += trMul(k, NE[j], NE[i]) + trMul(k, NE[j], BE[i]) + trMul(k, BE[j], NE[i]);
    }
  }
  return out;
}

/**
 * One level b of firstBlock for k_0 = 2, its small loops written out with the
 * general path's operations in the same order (the same bits): N_b, B_b and
 * each parameter's K_i += K~_b E_i K~_b'.
 */
function firstBlockLevel2(
  ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, b: number,
  N: Float64Array, B: Float64Array, kt: Float64Array, ke: Float64Array, E0: { E: Float64Array; K: Float64Array | null }[],
): void {
  const d0 = L.d0, o = 4 * b, nR = ws.nR, W = ws.W;
  const i00 = 1 / d0[o], i10 = -(d0[o + 1] * i00) / d0[o + 3], i11 = 1 / d0[o + 3];
  N[o] = i00 * i00 + i10 * i10;
  N[o + 1] = i10 * i11;
  N[o + 2] = i10 * i11;
  N[o + 3] = i11 * i11;
  if (nR === 0) return;
  const nz = gatherFirstBlockLevel(ws, L, A, REML, b), rows = ws.rows, vals = ws.vals;
  for (let x = 0; x < nz; x++) {
    kt[2 * x] = vals[2 * x] * i00 + vals[2 * x + 1] * i10;
    kt[2 * x + 1] = vals[2 * x + 1] * i11;
  }
  let b00 = 0, b10 = 0, b01 = 0, b11 = 0;
  for (let y = 0; y < nz; y++) {
    const ry = rows[y], ky0 = kt[2 * y], ky1 = kt[2 * y + 1];
    for (let x = 0; x < nz; x++) {
      const w = lowerEntry(W, nR, rows[x], ry), kx0 = kt[2 * x], kx1 = kt[2 * x + 1];
      b00 += kx0 * w * ky0;
      b10 += kx1 * w * ky0;
      b01 += kx0 * w * ky1;
      b11 += kx1 * w * ky1;
    }
  }
  B[o] += b00;
  B[o + 1] += b10;
  B[o + 2] += b01;
  B[o + 3] += b11;
  for (const { E, K } of E0) {
    const e0 = E[0], e1 = E[1], e2 = E[2], e3 = E[3];
    // K~ E once per row, then each pair of rows.
    for (let x = 0; x < nz; x++) {
      const kx0 = kt[2 * x], kx1 = kt[2 * x + 1];
      ke[2 * x] = kx0 * e0 + kx1 * e1;
      ke[2 * x + 1] = kx0 * e2 + kx1 * e3;
    }
    for (let y = 0; y < nz; y++) {
      const col = rows[y] * nR, ky0 = kt[2 * y], ky1 = kt[2 * y + 1];
      for (let x = 0; x < nz; x++) K![rows[x] + col] += ke[2 * x] * ky0 + ke[2 * x + 1] * ky1;
    }
  }
}

/** levelPairs for k = 2, mulAt and trMul written out (same operations, same order). */
function levelPairs2(nl: number, N: Float64Array, B: Float64Array, E: Float64Array[], out: Float64Array): Float64Array {
  const np = E.length, NE = new Float64Array(4 * np), BE = new Float64Array(4 * np);
  const tr = (X: Float64Array, x: number, Y: Float64Array, y: number): number => X[x] * Y[y] + X[x + 2] * Y[y + 1] + X[x + 1] * Y[y + 2] + X[x + 3] * Y[y + 3];
  for (let l = 0; l < nl; l++) {
    const o = 4 * l;
    const n0 = N[o], n1 = N[o + 1], n2 = N[o + 2], n3 = N[o + 3], m0 = B[o], m1 = B[o + 1], m2 = B[o + 2], m3 = B[o + 3];
    for (let i = 0; i < np; i++) {
      const e = E[i], e0 = e[0], e1 = e[1], e2 = e[2], e3 = e[3], x = 4 * i;
      NE[x] = n0 * e0 + n2 * e1;
      NE[x + 1] = n1 * e0 + n3 * e1;
      NE[x + 2] = n0 * e2 + n2 * e3;
      NE[x + 3] = n1 * e2 + n3 * e3;
      BE[x] = m0 * e0 + m2 * e1;
      BE[x + 1] = m1 * e0 + m3 * e1;
      BE[x + 2] = m0 * e2 + m2 * e3;
      BE[x + 3] = m1 * e2 + m3 * e3;
    }
    for (let j = 0; j < np; j++) {
      for (let i = 0; i < np; i++) out[i + j * np] += tr(NE, 4 * j, NE, 4 * i) + tr(NE, 4 * j, BE, 4 * i) + tr(BE, 4 * j, NE, 4 * i);
    }
  }
  return out;
}

/** out = A B for the k x k A at a[aOff] and B (column-major). */
function mulAt(k: number, a: Float64Array, aOff: number, B: Float64Array, out: Float64Array): void {
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let x = 0; x < k; x++) s += a[aOff + r + x * k] * B[x + c * k];
      out[r + c * k] = s;
    }
  }
}

/**
 * firstBlock for a scalar block 0 (k_0 = 1): N_l = 1 / d_l^2, and the sums over
 * levels of B_l = K~_l' W K~_l, N_l B_l and K = sum_l K~_l K~_l', in one pass
 * (levelQuadratics.ts, as the gradient's). K_i = E_i K for the one parameter.
 */
function scalarFirstBlock(ws: GradientWorkspace, L: LFactor, A: LmmBlocks, REML: boolean, E0: { e: number; E: Float64Array }[], Ks: Map<number, Float64Array>): FirstBlock {
  const nl = A.factors[0].nl, nR = ws.nR, W = ws.W;
  let sumN = 0, sumN2 = 0, sumB = 0, sumNB = 0;
  const N = new Float64Array(nl);
  for (let b = 0; b < nl; b++) {
    N[b] = 1 / (L.d0[b] * L.d0[b]);
    sumN += N[b];
    sumN2 += N[b] * N[b];
  }
  // K in the workspace's X (potri's scratch, free once W is formed: trailingInverse; the V kept there is given up).
  if (E0.length > 0 && nR > 0) invalidateV(ws);
  const K = E0.length > 0 && nR > 0 ? ws.X.fill(0) : null;
  if (nR > 0) {
    scalarFirstBlockValues(ws, L, A, REML);
    const sp = ws.scalar!, quad = sp.quad;
    // q_l = K~_l' W K~_l per level, and K = sum_l K~_l K~_l' in the same pass; q is the
    // optimiser's last gradient's when that was at this W (lmm_crossed_1e6: 50,000 levels).
    levelQuadratics(sp, W, nR, ws.offX, REML ? L.P - 1 : 0, K, quad, sp.quadVersion === ws.inverseVersion);
    sp.quadVersion = ws.inverseVersion;
    for (let b = 0; b < nl; b++) {
      sumB += quad[b];
      sumNB += N[b] * quad[b];
    }
  }
  if (K !== null) {
    // One parameter (k_0 = 1): K_i = E_i K, scaled in place, then made symmetric by blocks of columns.
    const { e, E } = E0[0];
    for (let c = 0; c < nR; c++) for (let r = c; r < nR; r++) K[r + c * nR] *= E[0];
    symmetrizeLower(nR, K);
    Ks.set(e, K);
  }
  return { sum: Float64Array.of(sumN + sumB), pair: (Ei, Ej) => Ei[0] * Ej[0] * (sumN2 + 2 * sumNB) };
}

/** S_ll summed over the levels of block j >= 1 (k x k). */
function diagonalSum(ws: GradientWorkspace, L: LFactor, j: number): Float64Array {
  const k = L.k[j], kk = k * k, out = new Float64Array(kk);
  const o = ws.offset[j], nR = ws.nR;
  for (let l = 0; l < L.q[j] / k; l++) {
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) out[r + c * k] += lowerEntry(ws.W, nR, o + l * k + r, o + l * k + c);
  }
  return out;
}

/** sum over level pairs of blocks a, b >= 1 of tr(W_ll' Ej W_l'l Ei), W read by columns. */
function laterPair(ws: GradientWorkspace, L: LFactor, a: number, Ei: Float64Array, b: number, Ej: Float64Array): number {
  const ka = L.k[a], kb = L.k[b], oa = ws.offset[a], ob = ws.offset[b], nR = ws.nR, W = ws.W;
  const nla = L.q[a] / ka, nlb = L.q[b] / kb;
  if (ka === 1 && kb === 1) {
    // |W_ab|_F^2 = |W_ba|_F^2: read the block below the diagonal, column by column.
    const [lo, nlo, hi, nhi] = oa >= ob ? [oa, nla, ob, nlb] : [ob, nlb, oa, nla];
    let s = 0;
    for (let lp = 0; lp < nhi; lp++) {
      for (let l = 0; l < nlo; l++) {
        const w = lowerEntry(W, nR, lo + l, hi + lp);
        s += w * w;
      }
    }
    return Ei[0] * Ej[0] * s;
  }
  const blk = new Float64Array(ka * kb);
  let s = 0;
  for (let lp = 0; lp < nlb; lp++) {
    for (let l = 0; l < nla; l++) {
      for (let c = 0; c < kb; c++) for (let r = 0; r < ka; r++) blk[r + c * ka] = lowerEntry(W, nR, oa + l * ka + r, ob + lp * kb + c);
      // tr(B Ej B' Ei) for B = W_ll' (ka x kb).
      for (let al = 0; al < ka; al++) for (let be = 0; be < kb; be++) {
        const x = blk[al + be * ka];
        if (x === 0) continue;
        for (let ga = 0; ga < kb; ga++) {
          const ej = Ej[be + ga * kb];
          if (ej === 0) continue;
          for (let de = 0; de < ka; de++) s += x * ej * blk[de + ga * ka] * Ei[de + al * ka];
        }
      }
    }
  }
  return s;
}

/**
 * Columns of K per panel of productInPlace. Each panel packs W anew for the kernels, so wider
 * panels pack it fewer times (lmm_crossed_1e6, nR = 2000: 128 -> 256 columns, 0.15 s less);
 * the panel's copy is PANEL x nR (4 MB there; 512 columns saved another 0.1 s for 4 MB more,
 * too close to the 300 MiB that run must stay under).
 */
const PANEL = 256;
/**
 * PANEL for the module's product (denseWasm.ts), which holds W there once and packs it per panel
 * in the module: 128 columns keep its memory near what the Cholesky needs anyway. With 256 the
 * peak of lmm_crossed_1e6 went from 292 to 299 MiB (medians of 5) and its time was no better
 * (whole CLI against the JavaScript product: 0.969 with 256, 0.966 with 128).
 */
const PANEL_WASM = 128;

/**
 * Y = W K (nR x nR), W symmetric by its lower triangle (its upper one is never read nor
 * written, so those 16 MB for nR = 2000 are never touched) and K symmetric and full, written
 * over K: panel by panel of PANEL columns, the panel is copied out (transposed, the layout
 * symmLowerNTSub reads B in)
 * and its columns replaced by W times the copy. A later panel reads only its own
 * columns, so no other dense nR x nR matrix is needed (32 MB for nR = 2000). In the
 * WebAssembly module where it takes the order (denseWasm.ts's symmProductInPlaceWasm).
 */
function productInPlace(nR: number, W: Float64Array, K: Float64Array): Float64Array {
  if (symmProductInPlaceWasm(nR, W, K, PANEL_WASM)) return K;
  const T = new Float64Array(Math.min(PANEL, nR) * nR);
  for (let j0 = 0; j0 < nR; j0 += PANEL) {
    const nb = Math.min(PANEL, nR - j0);
    for (let j = 0; j < nb; j++) {
      const src = (j0 + j) * nR;
      for (let l = 0; l < nR; l++) T[j + l * nb] = K[src + l];
    }
    K.fill(0, j0 * nR, (j0 + nb) * nR);
    symmLowerNTSub(nR, nb, W, nR, T, 0, nb, K, j0 * nR, nR);
  }
  for (let e = 0; e < nR * nR; e++) K[e] = -K[e];
  return K;
}

/**
 * sum over levels l' of block b of (Y W)_l'l' (k_b x k_b): (Y W)[r, s] = sum_x Y[r, x] W[s, x]
 * (W symmetric, by its lower triangle), taken column x by column x: W[s, x] for s >= x from
 * W's column x, and for s < x from its row x, which W's column s holds; that part is read by
 * tiles of TILE x TILE so that both Y and W stay in cache.
 */
function productDiagonal(ws: GradientWorkspace, L: LFactor, Y: Float64Array, b: number): Float64Array {
  const k = L.k[b], o = ws.offset[b], nR = ws.nR, W = ws.W, out = new Float64Array(k * k), q = L.q[b];
  const TILE = 32;
  for (let x0 = 0; x0 < nR; x0 += TILE) {
    const x1 = Math.min(nR, x0 + TILE);
    for (let s0 = o; s0 < o + q; s0 += TILE) {
      const s1 = Math.min(o + q, s0 + TILE);
      for (let x = x0; x < x1; x++) {
        const col = x * nR;
        for (let sIdx = s0; sIdx < s1; sIdx++) {
          // Level of row sIdx within block b, and its k x k position.
          const w = lowerEntry(W, nR, sIdx, x);
          if (w === 0) continue;
          const rel = sIdx - o, c = rel % k, l = rel - c;
          for (let r = 0; r < k; r++) out[r + c * k] += Y[col + o + l + r] * w;
        }
      }
    }
  }
  return out;
}

/** Element [i, j] of the symmetric n x n matrix stored by its lower triangle in a. */
function lowerEntry(a: Float64Array, n: number, i: number, j: number): number {
  return i >= j ? a[i + j * n] : a[j + i * n];
}

/** (I (x) E) u on block j as a BlockVector. */
function spread(L: LFactor, j: number, E: Float64Array, u: Float64Array): BlockVector {
  const v = blockVector(L);
  spreadInto(L.k[j], E, u, v.z[j]);
  return v;
}

/** out = (I (x) E) u for k x k E. */
function spreadInto(k: number, E: Float64Array, u: Float64Array, out: Float64Array): void {
  for (let o = 0; o < u.length; o += k) for (let r = 0; r < k; r++) {
    let s = 0;
    for (let c = 0; c < k; c++) s += E[r + c * k] * u[o + c];
    out[o + r] = s;
  }
}

/** a'b over every block of z and x. */
function dotAll(a: BlockVector, b: BlockVector): number {
  let s = 0;
  for (let j = 0; j < a.z.length; j++) s += dot(a.z[j], b.z[j]);
  return s + dot(a.x, b.x);
}

/** x'y over the first x.length elements. */
function dot(x: Float64Array, y: Float64Array): number {
  let t = 0;
  for (let e = 0; e < x.length; e++) t += x[e] * y[e];
  return t;
}

/** M_X and R = L_Z^{-T} L_XZ' (per fixed effect t, a BlockVector). */
function fixedEffectsParts(L: LFactor, A: LmmBlocks): { M: Float64Array; R: BlockVector[] } {
  const P = L.P, p = P - 1;
  const inv = new Float64Array(p * p);
  for (let c = 0; c < p; c++) inv[c * (p + 1)] = 1;
  trsmLeftLower(p, p, L.xx, 0, P, inv, 0, p);
  const M = new Float64Array(p * p);
  for (let s = 0; s < p; s++) for (let r = 0; r < p; r++) {
    let acc = 0;
    for (let x = Math.max(r, s); x < p; x++) acc += inv[x + r * p] * inv[x + s * p];
    M[r + s * p] = acc;
  }
  const R = Array.from({ length: p }, (_, t) => {
    const v = blockVector(L);
    v.z.forEach((z, j) => { for (let c = 0; c < z.length; c++) z[c] = L.xz[j][t + c * P]; });
    backSolve(L, A, v, false);
    return v;
  });
  return { M, R };
}

/**
 * The derivatives at theta (module comment); L and Lambda are left at theta. `reuse`: take
 * the problem's last evaluation when it was at theta (A unchanged since, as for the
 * problem a fit just finished at theta), sparing a factorisation (a 2000 x 2000 potrf for
 * lmm_crossed_1e6).
 */
export function criterionDerivatives(prob: LmmProblem, theta: ArrayLike<number>, reuse = false): CriterionDerivatives | null {
  if (!Number.isFinite((reuse ? prob.lastValue?.(theta) : null) ?? prob.evaluate(theta))) {
    throw new MixedModelsError('the variance parameters cannot be differentiated here: the Cholesky factorisation failed at the estimates');
  }
  const pars = parameters(prob, theta);
  if (pars === null) return null;
  const { L, A, REML } = prob, m = prob.map.ntheta, nb = L.m, p = L.P - 1;
  const parts = devianceParts(L);
  const ws = prob.workspace?.() ?? gradientWorkspace(A, L, REML);
  trailingInverse(ws, L, REML, prob.lambda);
  const nR = ws.nR, W = ws.W;
  const E = pars.F.map((F, e) => sym(L.k[pars.block[e]], F));
  const free = Array.from({ length: m }, (_, e) => e).filter((e) => !pars.fixed[e]);
  const E0 = free.filter((e) => pars.block[e] === 0).map((e) => ({ e, E: E[e] }));
  const Ks = new Map<number, Float64Array>();
  const fb = ws.scalar ? scalarFirstBlock(ws, L, A, REML, E0, Ks) : firstBlock(ws, L, A, REML, E0, Ks);
  const Y = new Map(Array.from(Ks, ([e, K]) => [e, productInPlace(nR, W, K)]));
  const u = sphericalEffects(L, A).u;
  const G = Array.from({ length: nb }, (_, j) => {
    const k = L.k[j], nl = L.q[j] / k, Sd = j === 0 ? fb.sum : diagonalSum(ws, L, j);
    return Sd.map((v, e) => (e % (k + 1) === 0 ? nl : 0) - v);
  });
  const U = u.map((uj, j) => {
    const k = L.k[j], out = new Float64Array(k * k);
    for (let o = 0; o < uj.length; o += k) for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) out[r + c * k] += uj[o + r] * uj[o + c];
    return out;
  });
  const da = new Float64Array(m), dr = new Float64Array(m), d2a = new Float64Array(m * m), d2r = new Float64Array(m * m);
  for (const i of free) {
    const k = L.k[pars.block[i]];
    da[i] = trMul(k, G[pars.block[i]], E[i]);
    dr[i] = -trMul(k, E[i], U[pars.block[i]]);
  }
  // v_i' S_P v_j = w_i'w_j with w = L^{-1} (v; 0), L the whole factor (Z and X): one forward solve per parameter.
  const w = new Map(free.map((i) => {
    const x = spread(L, pars.block[i], E[i], u[pars.block[i]]);
    forwardSolve(L, A, x, true);
    return [i, x];
  }));
  const productDiagonals = new Map<string, Float64Array>();
  for (const i of free) {
    for (const j of free) {
      if (j < i) continue;
      const a = pars.block[i], b = pars.block[j], k = L.k[a];
      let X: number;
      if (a === 0 && b === 0) X = fb.pair(E[i], E[j]) + (nR > 0 ? traceProduct(nR, Y.get(i)!, Y.get(j)!) : 0);
      else if (a === 0 || b === 0) {
        const [i0, jb, bb] = a === 0 ? [i, j, b] : [j, i, a];
        const key = `${i0},${bb}`;
        if (!productDiagonals.has(key)) productDiagonals.set(key, productDiagonal(ws, L, Y.get(i0)!, bb));
        X = trMul(L.k[bb], E[jb], productDiagonals.get(key)!);
      } else X = laterPair(ws, L, a, E[i], b, E[j]);
      let aij = -X, rij = -2 * dotAll(w.get(i)!, w.get(j)!);
      if (a === b) {
        const nl = L.q[a] / k, Eij = sym(k, mul(k, pars.F[i], transpose(k, pars.F[j])));
        const EiEj = mul(k, E[i], E[j]), both = EiEj.map((x, e) => x + mul(k, E[j], E[i])[e]);
        aij += trMul(k, G[a], Eij) + nl * trMul(k, E[i], E[j]) - trMul(k, G[a], both);
        rij += 2 * trMul(k, EiEj, U[a]) - trMul(k, Eij, U[a]);
      }
      d2a[i + j * m] = d2a[j + i * m] = aij;
      d2r[i + j * m] = d2r[j + i * m] = rij;
    }
  }
  const { M, R } = fixedEffectsParts(L, A);
  const dM = Array.from({ length: m }, (_, i) => {
    const out = new Float64Array(p * p);
    if (pars.fixed[i]) return out;
    const Q = new Float64Array(p * p), j = pars.block[i], ER = new Float64Array(L.q[j]);
    for (let t = 0; t < p; t++) {
      spreadInto(L.k[j], E[i], R[t].z[j], ER);
      for (let s = 0; s < p; s++) Q[s + t * p] = dot(R[s].z[j], ER);
    }
    const MQ = new Float64Array(p * p);
    for (let t = 0; t < p; t++) for (let x = 0; x < p; x++) for (let s = 0; s < p; s++) MQ[s + t * p] += M[s + x * p] * Q[x + t * p];
    for (let t = 0; t < p; t++) for (let x = 0; x < p; x++) for (let s = 0; s < p; s++) out[s + t * p] += MQ[s + x * p] * M[x + t * p];
    return out;
  });
  return { a: parts.ldL2 + (REML ? parts.ldRX2 : 0), r: parts.pwrss, da, dr, d2a, d2r, M, dM, fixed: pars.fixed };
}

/** Copies the lower triangle of the n x n A onto its upper triangle, by 32 x 32 tiles (the transposed reads stay in cache). */
function symmetrizeLower(n: number, A: Float64Array): void {
  const T = 32;
  for (let c0 = 0; c0 < n; c0 += T) {
    for (let r0 = c0; r0 < n; r0 += T) {
      for (let c = c0; c < Math.min(c0 + T, n); c++) {
        for (let r = Math.max(r0, c + 1); r < Math.min(r0 + T, n); r++) A[c + r * n] = A[r + c * n];
      }
    }
  }
}

/** tr(A B) for n x n A, B, by 32 x 32 tiles (B is read transposed). */
function traceProduct(n: number, A: Float64Array, B: Float64Array): number {
  const T = 32;
  let s = 0;
  for (let c0 = 0; c0 < n; c0 += T) {
    for (let r0 = 0; r0 < n; r0 += T) {
      for (let c = c0; c < Math.min(c0 + T, n); c++) {
        for (let r = r0; r < Math.min(r0 + T, n); r++) s += A[r + c * n] * B[c + r * n];
      }
    }
  }
  return s;
}
