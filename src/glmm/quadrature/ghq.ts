/**
 * Gauss-Hermite quadrature for the standard normal density:
 *
 *   E[f(Z)] = integral f(z) phi(z) dz  ~=  sum_k w_k f(z_k),   Z ~ N(0, 1),
 *
 * exact for polynomials of degree <= 2n - 1 (lme4's GHrule). Golub-Welsch:
 * the nodes are the eigenvalues of the Jacobi matrix of the orthonormal
 * (probabilists') Hermite polynomials, zero diagonal and off-diagonal sqrt(j),
 * j = 1 .. n-1. Each eigenvalue is found by bisection on the Sturm count
 * (eigenvalues below x), which is robust for any n; the weights are the
 * Christoffel numbers w_k = 1 / sum_{j<n} p_j(z_k)^2 with
 * p_0 = 1, p_1 = z, p_{j+1} = (z p_j - sqrt(j) p_{j-1}) / sqrt(j + 1).
 */
import { MixedModelsError } from '../../errors.js';

export interface GaussHermiteRule {
  /** Nodes, ascending (symmetric about 0). */
  nodes: Float64Array;
  /** Weights, summing to 1. */
  weights: Float64Array;
}

/** Number of eigenvalues of the Jacobi matrix below x. */
function sturmCount(n: number, x: number): number {
  let count = 0, d = 1;
  for (let i = 0; i < n; i++) {
    // d_i = -x - b_{i}^2 / d_{i-1}, b_i^2 = i.
    d = -x - (i === 0 ? 0 : i / d);
    if (d === 0) d = -1e-300;
    if (d < 0) count++;
  }
  return count;
}

/** The k-th smallest eigenvalue (k from 0), bracketed by the Gershgorin bound. */
function eigenvalue(n: number, k: number): number {
  let lo = -2 * Math.sqrt(n), hi = 2 * Math.sqrt(n);
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (sturmCount(n, mid) > k) hi = mid;
    else lo = mid;
  }
  return 0.5 * (lo + hi);
}

function christoffel(n: number, z: number): number {
  let p0 = 1, p1 = z, s = 1;
  if (n > 1) s += z * z;
  for (let j = 1; j < n - 1; j++) {
    const p2 = (z * p1 - Math.sqrt(j) * p0) / Math.sqrt(j + 1);
    s += p2 * p2;
    p0 = p1;
    p1 = p2;
  }
  return 1 / s;
}

/** The n-point rule (n >= 1). */
export function gaussHermite(n: number): GaussHermiteRule {
  if (!(Number.isInteger(n) && n >= 1 && n <= 200)) throw new MixedModelsError(`the number of quadrature points must be a whole number from 1 to 200, not ${n}`);
  const nodes = new Float64Array(n);
  for (let k = 0; k < Math.ceil(n / 2); k++) {
    const x = n % 2 === 1 && k === (n - 1) / 2 ? 0 : eigenvalue(n, k);
    nodes[n - 1 - k] = -x;
    nodes[k] = x;
  }
  const weights = nodes.map((z) => christoffel(n, z));
  const total = weights.reduce((a, b) => a + b, 0);
  return { nodes, weights: weights.map((w) => w / total) };
}
