/**
 * Eigen-decomposition of a small symmetric matrix by the cyclic Jacobi method
 * (Golub & Van Loan, Matrix Computations, section 8.5): plane rotations J
 * applied as A <- J' A J until the off-diagonal mass is negligible; the product
 * of the rotations holds the eigenvectors. Accurate to a few ulps of ||A|| and
 * robust for the sizes used here (parameters, fixed effects: tens of rows).
 *
 * A (n x n, column-major) = V diag(values) V'; values in decreasing order,
 * column i of V (vectors[i*n .. i*n + n)) the eigenvector of values[i].
 */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

const MAX_SWEEPS = 100;

export function symmetricEigen(n: number, A: ArrayLike<number>): SymmetricEigen {
  const a = Float64Array.from(A);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * (n + 1)] = 1;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0, total = 0;
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const x = a[i + j * n] * a[i + j * n];
        total += x;
        if (i !== j) off += x;
      }
    }
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(n, a, v, p, q);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => a[y * (n + 1)] - a[x * (n + 1)]);
  const values = Float64Array.from(order, (i) => a[i * (n + 1)]);
  const vectors = new Float64Array(n * n);
  order.forEach((src, dst) => vectors.set(v.subarray(src * n, src * n + n), dst * n));
  return { values, vectors };
}

/** One Jacobi rotation zeroing a[p, q]. */
function rotate(n: number, a: Float64Array, v: Float64Array, p: number, q: number): void {
  const apq = a[p + q * n];
  if (apq === 0) return;
  const app = a[p * (n + 1)], aqq = a[q * (n + 1)];
  const tau = (aqq - app) / (2 * apq);
  const t = Math.sign(tau || 1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t), s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k + p * n], akq = a[k + q * n];
    a[k + p * n] = c * akp - s * akq;
    a[k + q * n] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p + k * n], aqk = a[q + k * n];
    a[p + k * n] = c * apk - s * aqk;
    a[q + k * n] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k + p * n], vkq = v[k + q * n];
    v[k + p * n] = c * vkp - s * vkq;
    v[k + q * n] = s * vkp + c * vkq;
  }
}
