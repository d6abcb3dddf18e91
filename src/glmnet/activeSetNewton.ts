/**
 * The minimum of the elastic net's quadratic approximation on a given active
 * set with given signs: with the signs s fixed the L1 term is linear, so the
 * minimum over the nonzero coefficients solves a linear system. Coordinate
 * descent finds the active set and signs; this step then lands on the
 * minimum instead of creeping towards it, and is kept only when every sign
 * holds (elnetSolver.ts).
 *
 * Unknowns: the intercept step da, steps dB_q of the f active columns
 * (standardised, x'_q = x_q / s_q), and steps db_l of the active levels of
 * one indicator block (original scale; each row in at most one level). With
 * the row weights v, residuals r, per level H_l = sum v, R_l = sum r,
 * M_lq = sum v x'_q over the level's rows, and the column sums
 * vx_q = sum v x'_q, G_qk = sum v x'_q x'_k, gr_q = sum r x'_q, stationarity is
 *
 *   V da + sum_q vx_q dB_q + sum_l H_l db_l                      = R,
 *   vx_q da + sum_k G_qk dB_k + sum_l M_lq db_l + l2_q (B_q + dB_q) = gr_q - l1_q s_q,
 *   H_l da + sum_q M_lq dB_q + H_l db_l + l2_l (b_l + db_l)         = R_l - l1_l s_l.
 *
 * The last equations give db_l = (e_l - H_l da - sum_q M_lq dB_q) / D_l,
 * e_l = R_l - l1_l s_l - l2_l b_l, D_l = H_l + l2_l; substituted, the first
 * two form a (1 + f)-square symmetric positive definite system, solved by
 * Cholesky. Cost O(levels x f^2 + f^3) on top of the sums.
 */
import { potrfUnblocked } from '../linalg/potrf.js';
import { trsvLower, trsvLowerTrans } from '../linalg/trsv.js';

export interface NewtonSystem {
  f: number;
  /** Active levels of the block. */
  nl: number;
  intercept: boolean;
  V: number;
  Rtot: number;
  /** Per active column: vx, gr, penalties, current coefficient; G f x f column-major. */
  vx: Float64Array;
  gr: Float64Array;
  l1: Float64Array;
  l2: Float64Array;
  b: Float64Array;
  G: Float64Array;
  /** Per active level: H, R, current coefficient, penalties; M nl x f column-major. */
  H: Float64Array;
  R: Float64Array;
  lb: Float64Array;
  l1b: Float64Array;
  l2b: Float64Array;
  M: Float64Array;
}

export interface NewtonStep {
  dA0: number;
  dBeta: Float64Array;
  dLevel: Float64Array;
}

/**
 * A system for f columns and nl levels, zeroed where it is summed into (M). `reuse`: a system
 * whose arrays are large enough is taken again (the solver forms one per polish, thousands over
 * a path with CV); its entries beyond f, nl are never read, as every index here runs to f or nl.
 */
export function newtonSystem(f: number, nl: number, intercept: boolean, reuse: NewtonSystem | null = null): NewtonSystem {
  if (reuse !== null && reuse.vx.length >= f && reuse.G.length >= f * f && reuse.H.length >= nl && reuse.M.length >= nl * f) {
    reuse.M.fill(0, 0, nl * f);
    return Object.assign(reuse, { f, nl, intercept, V: 0, Rtot: 0 });
  }
  const v = (k: number) => new Float64Array(k);
  return { f, nl, intercept, V: 0, Rtot: 0, vx: v(f), gr: v(f), l1: v(f), l2: v(f), b: v(f), G: v(f * f), H: v(nl), R: v(nl), lb: v(nl), l1b: v(nl), l2b: v(nl), M: v(nl * f) };
}

/** The step, or null when the system is singular or a sign would change. */
export function solveNewtonSystem(s: NewtonSystem): NewtonStep | null {
  const { f, nl } = s;
  const o = s.intercept ? 1 : 0, m = o + f;
  if (m === 0 && nl === 0) return null;
  const A = new Float64Array(m * m), rhs = new Float64Array(m), e = new Float64Array(nl), D = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    D[l] = s.H[l] + s.l2b[l];
    if (!(D[l] > 0)) return null;
    e[l] = s.R[l] - s.l1b[l] * Math.sign(s.lb[l]) - s.l2b[l] * s.lb[l];
  }
  if (o === 1) {
    let a = s.V, r = s.Rtot;
    for (let l = 0; l < nl; l++) {
      a -= (s.H[l] * s.H[l]) / D[l];
      r -= (s.H[l] * e[l]) / D[l];
    }
    A[0] = a;
    rhs[0] = r;
  }
  for (let q = 0; q < f; q++) {
    let aq = s.vx[q], r = s.gr[q] - s.l1[q] * Math.sign(s.b[q]) - s.l2[q] * s.b[q];
    for (let l = 0; l < nl; l++) {
      aq -= (s.H[l] * s.M[l + q * nl]) / D[l];
      r -= (s.M[l + q * nl] * e[l]) / D[l];
    }
    if (o === 1) A[o + q] = aq;
    rhs[o + q] = r;
    for (let k = 0; k <= q; k++) {
      let g = s.G[q + k * f] + (q === k ? s.l2[q] : 0);
      for (let l = 0; l < nl; l++) g -= (s.M[l + q * nl] * s.M[l + k * nl]) / D[l];
      A[o + q + (o + k) * m] = g;
    }
  }
  if (m > 0) {
    if (potrfUnblocked(m, A, 0, m) !== 0) return null;
    trsvLower(m, A, 0, m, rhs, 0);
    trsvLowerTrans(m, A, 0, m, rhs, 0);
  }
  const dA0 = o === 1 ? rhs[0] : 0;
  const dBeta = rhs.slice(o);
  const dLevel = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    let t = e[l] - s.H[l] * dA0;
    for (let q = 0; q < f; q++) t -= s.M[l + q * nl] * dBeta[q];
    dLevel[l] = t / D[l];
  }
  for (let q = 0; q < f; q++) if (!(Math.sign(s.b[q] + dBeta[q]) === Math.sign(s.b[q]))) return null;
  for (let l = 0; l < nl; l++) if (!(Math.sign(s.lb[l] + dLevel[l]) === Math.sign(s.lb[l]))) return null;
  return { dA0, dBeta, dLevel };
}
