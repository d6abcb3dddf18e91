import { potrfUnblocked } from '../linalg/potrf.js';
import type { Derivatives } from './convergence.js';

/**
 * A starting inverse Hessian for BFGS runs near a known optimum (the ML refit
 * of a REML fit, bootstrap refits), from the convergence check's
 * finite-difference gradient g and Hessian H over phi (convergence.ts).
 *
 * BFGS works over psi (lmer.ts, logScaleBfgs): psi_e = log phi_e for the
 * parameters bounded below by 0, psi_e = phi_e for the others. With c_e =
 * d phi_e / d psi_e (phi_e or 1), the chain rule gives
 *
 *   d f / d psi_e             = c_e g_e
 *   d^2 f / d psi_e d psi_f   = c_e c_f H_ef + [e = f, logged] c_e g_e
 *
 * and the result is the inverse of that matrix (n x n, row-major, symmetric),
 * from its Cholesky factor. Null when the check left out a component (a
 * variance on its bound) or the matrix is not positive definite: then BFGS
 * starts as it would without it.
 */
export function inverseHessianInPsi(d: Derivatives | null | undefined, phi: ArrayLike<number>, lower: ArrayLike<number>): Float64Array | null {
  const n = phi.length;
  if (!d || d.components.length !== n || n === 0) return null;
  const c = Float64Array.from({ length: n }, (_, e) => (lower[e] === 0 ? phi[e] : 1));
  // Column-major lower triangle for potrf: a[r + s n].
  const a = new Float64Array(n * n);
  for (let s = 0; s < n; s++) {
    for (let r = s; r < n; r++) a[r + s * n] = c[r] * c[s] * d.hessian[r * n + s] + (r === s && lower[r] === 0 ? c[r] * d.gradient[r] : 0);
  }
  if (!a.every(Number.isFinite) || potrfUnblocked(n, a, 0, n) !== 0) return null;
  // Columns of L^{-1} by forward substitution, then (L L')^{-1} = L^{-T} L^{-1}.
  const li = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    for (let r = col; r < n; r++) {
      let v = r === col ? 1 : 0;
      for (let k = col; k < r; k++) v -= a[r + k * n] * li[k + col * n];
      li[r + col * n] = v / a[r + r * n];
    }
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let v = 0;
      for (let k = i; k < n; k++) v += li[k + i * n] * li[k + j * n];
      out[i * n + j] = out[j * n + i] = v;
    }
  }
  return out.every(Number.isFinite) ? out : null;
}
