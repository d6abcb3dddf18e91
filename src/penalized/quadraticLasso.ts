/**
 * The lasso on a small quadratic: minimise over b
 *
 *   b'Q b / 2 - c'b + sum_j l1_j |b_j|
 *
 * (Q p x p symmetric positive definite, column-major) by cyclic coordinate
 * descent, warm-started from b: b_j <- S(c_j - sum_{k != j} Q_jk b_k, l1_j) / Q_jj,
 * S the soft threshold, until no coordinate moves by more than `tol` in the
 * norm of Q (Q_jj d^2 < tol^2). l1_j = Infinity holds b_j at 0; l1_j = 0
 * leaves it unpenalised. Used for the fixed effects of penalised mixed models,
 * where p is the number of fixed effects.
 */
export function quadraticLasso(p: number, Q: Float64Array, c: Float64Array, l1: Float64Array, b: Float64Array, tol = 1e-13, maxPasses = 100000): boolean {
  const Qb = new Float64Array(p);
  for (let k = 0; k < p; k++) if (b[k] !== 0) for (let j = 0; j < p; j++) Qb[j] += Q[j + k * p] * b[k];
  for (let pass = 0; pass < maxPasses; pass++) {
    let moved = 0;
    for (let j = 0; j < p; j++) {
      const q = Q[j * (p + 1)];
      const g = c[j] - Qb[j] + q * b[j];
      const excess = Math.abs(g) - l1[j];
      const nb = excess > 0 ? (Math.sign(g) * excess) / q : 0;
      const d = nb - b[j];
      if (d === 0) continue;
      b[j] = nb;
      for (let k = 0; k < p; k++) Qb[k] += Q[k + j * p] * d;
      moved = Math.max(moved, q * d * d);
    }
    if (moved < tol * tol) return true;
  }
  return false;
}
