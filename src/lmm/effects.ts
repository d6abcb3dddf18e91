import { trsvLowerTrans } from '../linalg/trsv.js';
import type { LmmBlocks } from './blocks.js';
import type { LFactor } from './updateL.js';

/**
 * beta and the spherical random effects u from a filled L, by back-substitution
 * through the blocks: L' [u; beta] = l, where l is the last row of L without r
 * (Bates et al. 2015, section 3.5):
 *
 *   L_X' beta = l_X
 *   L_jj' u_j = l_j - L_Tj[0:p]' beta - sum_{i > j} L_ij' u_i,   j = m-1 .. 0
 *
 * b = Lambda u. u and b are stacked by factor block, level-major (lev*k + c).
 */
export interface Effects {
  beta: Float64Array;
  /** Per factor block: u_j (length q_j). */
  u: Float64Array[];
  /** Per factor block: b_j = Lambda_j u_j. */
  b: Float64Array[];
}

/** l_j - L_Tj[0:p]' beta into `out` (length q_j). */
function rhs(L: LFactor, j: number, beta: Float64Array, out: Float64Array): Float64Array {
  const P = L.P, p = P - 1, xz = L.xz[j];
  for (let c = 0; c < out.length; c++) {
    let s = xz[p + c * P];
    for (let t = 0; t < p; t++) s -= xz[t + c * P] * beta[t];
    out[c] = s;
  }
  return out;
}

/** beta~ from L_X' beta~ = l_X: the fixed effects of A's response column. */
function shiftedBeta(L: LFactor): Float64Array {
  const P = L.P, p = P - 1;
  const beta = new Float64Array(p);
  for (let t = 0; t < p; t++) beta[t] = L.xx[p + t * P];
  trsvLowerTrans(p, L.xx, 0, P, beta, 0);
  return beta;
}

/** beta~ plus A's response shift (conditioning/responseShift.ts, beta = beta~ + c): the fixed effects of the user's y. */
function unshift(A: LmmBlocks, beta: Float64Array): Float64Array {
  return A.yShift === null ? beta : beta.map((b, t) => b + A.yShift![t]);
}

/** The fixed effects from a filled L (see unshift). */
export function fixedEffects(L: LFactor, A: LmmBlocks): Float64Array {
  return unshift(A, shiftedBeta(L));
}

export function solveEffects(L: LFactor, A: LmmBlocks, lambda: Float64Array[]): Effects {
  const { beta, u } = sphericalEffects(L, A);
  const b = u.map((uj, j) => lambdaTimes(A.factors[j].k, lambda[j], uj));
  return { beta: unshift(A, beta), u, b };
}

/**
 * beta~ (the fixed effects of A's response column, before unshift) and the spherical u: what the
 * criterion's derivatives need, without b. u is written into `into` when given (one array of
 * length q_j per block: a workspace reused across evaluations), else into new arrays.
 */
export function sphericalEffects(L: LFactor, A: LmmBlocks, into?: Float64Array[]): { beta: Float64Array; u: Float64Array[] } {
  const m = L.m;
  const beta = shiftedBeta(L);
  const u: Float64Array[] = new Array<Float64Array>(m);
  for (let j = m - 1; j >= 1; j--) {
    const r = rhs(L, j, beta, into?.[j] ?? new Float64Array(L.q[j])), qj = L.q[j];
    for (let i = j + 1; i < m; i++) {
      const d = L.dn[i][j], qi = L.q[i], ui = u[i];
      for (let c = 0; c < qj; c++) {
        let s = 0;
        for (let a = 0; a < qi; a++) s += d[a + c * qi] * ui[a];
        r[c] -= s;
      }
    }
    trsvLowerTrans(qj, L.diag[j], 0, qj, r, 0);
    u[j] = r;
  }
  if (m > 0) u[0] = firstBlock(L, A, beta, u, into?.[0] ?? new Float64Array(L.q[0]));
  return { beta, u };
}

function firstBlock(L: LFactor, A: LmmBlocks, beta: Float64Array, u: Float64Array[], out: Float64Array): Float64Array {
  const r = rhs(L, 0, beta, out), k0 = L.k[0], nl = A.factors[0].nl;
  for (let i = 1; i < L.m; i++) {
    const S = A.off[i][0], v = L.sp[i], ki = S.kRow, size = ki * k0, ui = u[i];
    for (let b = 0; b < nl; b++) {
      for (let e = S.colptr[b]; e < S.colptr[b + 1]; e++) {
        const a = S.rowidx[e];
        for (let t = 0; t < k0; t++) {
          let s = 0;
          for (let x = 0; x < ki; x++) s += v[e * size + x + t * ki] * ui[a * ki + x];
          r[b * k0 + t] -= s;
        }
      }
    }
  }
  for (let b = 0; b < nl; b++) trsvLowerTrans(k0, L.d0, b * k0 * k0, k0, r, b * k0);
  return r;
}

/** Lambda_j u_j per level: T (k x k lower) times each k-vector. */
export function lambdaTimes(k: number, t: Float64Array, u: Float64Array): Float64Array {
  const out = new Float64Array(u.length);
  for (let o = 0; o < u.length; o += k) {
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let c = 0; c <= r; c++) s += t[r + c * k] * u[o + c];
      out[o + r] = s;
    }
  }
  return out;
}
