import { trsmLeftLower, trsmLeftLowerTrans } from '../linalg/trsm.js';
import type { LmmBlocks } from './blocks.js';
import type { LambdaMap } from './lambda.js';

export interface VectorStart {
  /** The block's theta elements, T's lower triangle by columns. */
  elements: Int32Array;
  /** The expected information of the criterion (the deviance) in psi about them (m x m, symmetric), at the start. */
  info: Float64Array;
}

/**
 * The moment start of a factor block with one vector-valued term (k > 1, e.g.
 * `(1 + Days | Subject)`), from the blocks of A alone, for start.ts.
 *
 * Per level g, with C_g = Z_g'Z_g (A_jj's k x k block) and s_g = Z_g'r (r the OLS
 * residuals of y on X, from A_Tj and beta), the level's own regression of r on
 * its z is b_g = C_g^{-1} s_g; to first order b_g = (random effect) + (noise of
 * covariance sigma^2 C_g^{-1}), so that over the G levels with C_g positive definite
 *
 *   Sigma_b ~ cov(b_g) - sigma^2 mean(C_g^{-1}),
 *   sigma^2 ~ (r'r - sum_g s_g'b_g) / (n - p - G k)   (the within-level residual),
 *
 * the estimator of Swamy's random-coefficient regression. Its relative
 * covariance Sigma_b / sigma^2 is taken in phi (rows scaled by thetaScale's s:
 * Phi = S R S), its standard deviations kept in [0.05, 10] as for the scalar
 * terms, its correlations within 0.9 and halved until Phi is positive definite;
 * the start is the lower Cholesky factor of Phi, back in theta. Written into
 * `theta`, with the information about it that BFGS's first inverse Hessian is
 * made of (`information`); null (theta untouched) when fewer than k + 2 levels
 * have a positive definite C_g or the residual variance is not positive.
 */
export function vectorTermStart(A: LmmBlocks, map: LambdaMap, scale: Float64Array, j: number, beta: Float64Array, rr: number, theta: Float64Array): VectorStart | null {
  const f = A.factors[j], k = f.k, p = A.p, P = p + 1, n = A.nobs;
  const C = A.diag[j].values, xz = A.xz[j];
  const L = new Float64Array(k * k), s = new Float64Array(k), b = new Float64Array(k), inv = new Float64Array(k * k);
  const sumB = new Float64Array(k), sumBB = new Float64Array(k * k), sumInv = new Float64Array(k * k);
  let used = 0, within = 0;
  for (let g = 0; g < f.nl; g++) {
    if (!cholesky(k, C, g * k * k, L)) continue;
    for (let c = 0; c < k; c++) {
      const col = (g * k + c) * P;
      let v = xz[p + col];
      for (let t = 0; t < p; t++) v -= beta[t] * xz[t + col];
      s[c] = v;
    }
    b.set(s);
    cholSolve(k, L, b, 1);
    let sb = 0;
    for (let c = 0; c < k; c++) sb += s[c] * b[c];
    within += sb;
    identity(k, inv);
    cholSolve(k, L, inv, k);
    for (let c = 0; c < k; c++) {
      sumB[c] += b[c];
      for (let r = 0; r < k; r++) {
        sumBB[r + c * k] += b[r] * b[c];
        sumInv[r + c * k] += inv[r + c * k];
      }
    }
    used++;
  }
  const df = n - p - used * k;
  if (used < k + 2 || !(df > 0)) return null;
  const sigma2 = (rr - within) / df;
  if (!(sigma2 > 0) || !Number.isFinite(sigma2)) return null;
  // Phi = S (cov(b) / sigma^2 - mean(C^{-1})) S, S = diag(s_r).
  const s0 = Float64Array.from({ length: k }, (_, r) => scale[map.index[j][r + r * k]]);
  const phi = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      const cov = (sumBB[r + c * k] - (sumB[r] * sumB[c]) / used) / (used - 1);
      phi[r + c * k] = (cov / sigma2 - sumInv[r + c * k] / used) * s0[r] * s0[c];
    }
  }
  const sd = Float64Array.from({ length: k }, (_, r) => Math.min(10, Math.max(0.05, Math.sqrt(Math.max(phi[r * (k + 1)], 0)))));
  const corr = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      const d = Math.sqrt(Math.max(phi[r * (k + 1)], 0) * Math.max(phi[c * (k + 1)], 0));
      corr[r + c * k] = r === c ? 1 : d > 0 ? Math.max(-0.9, Math.min(0.9, phi[r + c * k] / d)) : 0;
    }
  }
  const target = new Float64Array(k * k);
  let pd = false;
  for (let shrink = 1; !pd && shrink > 1e-3; shrink /= 2) {
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) target[r + c * k] = sd[r] * sd[c] * (r === c ? 1 : shrink * corr[r + c * k]);
    pd = cholesky(k, target, 0, L);
  }
  if (!pd) for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) L[r + c * k] = r === c ? sd[r] : 0;
  const elements: number[] = [];
  for (let c = 0; c < k; c++) {
    for (let r = c; r < k; r++) {
      const el = map.index[j][r + c * k];
      theta[el] = L[r + c * k] / scale[el];
      elements.push(el);
    }
  }
  return { elements: Int32Array.from(elements), info: information(C, f.nl, k, L, s0) };
}

/** Levels beyond which `information` takes every stride-th. */
const INFORMATION_LEVELS = 2000;

/**
 * The expected information of the deviance (-2 log L, whose Hessian BFGS approximates) about
 * psi (log of T's diagonal, T's other elements as they are; T = Tphi) of the levels' own
 * estimates b_g ~ N(0, V_g), V_g = T T' + S C_g^{-1} S in phi's units:
 *
 *   H_ab = sum_g tr(W_g D_a W_g D_b),  D_e = dV/dpsi_e = f_e (E_e T' + T E_e'),
 *
 * E_e = e_r e_c' for e = (r, c), f_e = T_rr on the diagonal (log scale), else 1. With
 * P = W T and Q = T'W T the trace is 2 f_a f_b (P[r', c] P[r, c'] + W[r, r'] Q[c, c'])
 * for a = (r, c), b = (r', c'). W_g = V_g^{-1} = C~ - C~T (I + T'C~T)^{-1} T'C~ with
 * C~ = S^{-1} C_g S^{-1} (Woodbury: a level with a singular C_g, too few rows for its own
 * regression, still informs). For k = 1 this is start.ts's 4 sum lambda_g^2 of the
 * scalar terms, in the same units (half of it was taken before: BFGS's first step then went
 * twice too far, sleepstudy's (Days | Subject) 5 -> 3 evaluations, lmm_slopes_1e6 3 -> 2). Above INFORMATION_LEVELS levels, every stride-th level's
 * term stands for the stride (a start needs no more precision, and the fit's first
 * seconds run this loop before the compiler has optimised it).
 */
function information(C: Float64Array, nl: number, k: number, T: Float64Array, s0: Float64Array): Float64Array {
  const kk = k * k, pos: [number, number][] = [], stride = Math.max(1, Math.floor(nl / INFORMATION_LEVELS));
  for (let c = 0; c < k; c++) for (let r = c; r < k; r++) pos.push([r, c]);
  const m = pos.length, H = new Float64Array(m * m);
  const Ct = new Float64Array(kk), CT = new Float64Array(kk), M = new Float64Array(kk), LM = new Float64Array(kk);
  const W = new Float64Array(kk), P = new Float64Array(kk), Q = new Float64Array(kk), Y = new Float64Array(kk);
  let used = 0;
  for (let g = 0; g < nl; g += stride) {
    used++;
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) Ct[r + c * k] = C[g * kk + r + c * k] / (s0[r] * s0[c]);
    // CT = C~ T; M = I + T' CT; W = C~ - CT M^{-1} CT'; P = W T; Q = T'P.
    timesLower(k, Ct, T, CT);
    lowerTransTimes(k, T, CT, M);
    for (let d = 0; d < k; d++) M[d * (k + 1)] += 1;
    if (!cholesky(k, M, 0, LM)) continue;
    for (let c = 0; c < k; c++) for (let z = 0; z < k; z++) Y[z + c * k] = CT[c + z * k];
    cholSolve(k, LM, Y, k);
    for (let c = 0; c < k; c++) {
      for (let r = 0; r < k; r++) {
        let v = 0;
        for (let z = 0; z < k; z++) v += CT[r + z * k] * Y[z + c * k];
        W[r + c * k] = Ct[r + c * k] - v;
      }
    }
    timesLower(k, W, T, P);
    lowerTransTimes(k, T, P, Q);
    for (let a = 0; a < m; a++) {
      const [r, c] = pos[a];
      for (let b = a; b < m; b++) {
        const [r2, c2] = pos[b];
        H[a + b * m] += P[r2 + c * k] * P[r + c2 * k] + W[r + r2 * k] * Q[c + c2 * k];
      }
    }
  }
  for (let b = 0; b < m; b++) {
    for (let a = 0; a <= b; a++) {
      const fa = pos[a][0] === pos[a][1] ? T[pos[a][0] * (k + 1)] : 1, fb = pos[b][0] === pos[b][1] ? T[pos[b][0] * (k + 1)] : 1;
      H[a + b * m] = H[b + a * m] = (2 * H[a + b * m] * fa * fb * nl) / used;
    }
  }
  return H;
}

/**
 * Lower Cholesky factor of the k x k block of a at offset o into L; false unless its pivots stay
 * above 1e-10 of the diagonal. Not potrf, which fails only on a pivot that is not positive: a
 * nearly singular C_g (a slope constant within the level up to rounding) would pass it and give
 * that level's regression a wild coefficient.
 */
function cholesky(k: number, a: Float64Array, o: number, L: Float64Array): boolean {
  L.fill(0);
  for (let c = 0; c < k; c++) {
    let d = a[o + c * (k + 1)];
    const tol = 1e-10 * Math.abs(d);
    for (let x = 0; x < c; x++) d -= L[c + x * k] * L[c + x * k];
    if (!(d > tol) || !Number.isFinite(d)) return false;
    const lcc = Math.sqrt(d);
    L[c + c * k] = lcc;
    for (let r = c + 1; r < k; r++) {
      let v = a[o + r + c * k];
      for (let x = 0; x < c; x++) v -= L[r + x * k] * L[c + x * k];
      L[r + c * k] = v / lcc;
    }
  }
  return true;
}

/** B <- (L L')^{-1} B, B k x n (the project's triangular solves). */
function cholSolve(k: number, L: Float64Array, B: Float64Array, n: number): void {
  trsmLeftLower(k, n, L, 0, k, B, 0, k);
  trsmLeftLowerTrans(k, n, L, 0, k, B, 0, k);
}

/** The k x k identity into out. */
function identity(k: number, out: Float64Array): void {
  out.fill(0);
  for (let d = 0; d < k; d++) out[d * (k + 1)] = 1;
}

/** out = X T for k x k X and lower triangular T. */
function timesLower(k: number, X: Float64Array, T: Float64Array, out: Float64Array): void {
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      let v = 0;
      for (let z = c; z < k; z++) v += X[r + z * k] * T[z + c * k];
      out[r + c * k] = v;
    }
  }
}

/** out = T' X for lower triangular T and k x k X. */
function lowerTransTimes(k: number, T: Float64Array, X: Float64Array, out: Float64Array): void {
  for (let c = 0; c < k; c++) {
    for (let r = 0; r < k; r++) {
      let v = 0;
      for (let z = r; z < k; z++) v += T[z + r * k] * X[z + c * k];
      out[r + c * k] = v;
    }
  }
}
