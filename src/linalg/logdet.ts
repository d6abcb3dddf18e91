/**
 * log det(L L') = 2 sum_j log L[j, j] for a Cholesky factor L (n x n,
 * column-major at l[offL + i + j*ldl]). -Infinity if a diagonal element is 0.
 */
export function logdetChol(n: number, l: Float64Array, offL: number, ldl: number): number {
  let s = 0;
  for (let j = 0; j < n; j++) s += Math.log(l[offL + j * (ldl + 1)]);
  return 2 * s;
}
