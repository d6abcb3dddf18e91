/** Test matrices of the dense-kernel benchmarks (lmm-kernels.ts, dense-threads.ts). */

/** Symmetric with off-diagonal entries in (-0.5, 0.5) and diagonal n: positive definite by Gershgorin. */
export function randomSpd(n: number): Float64Array {
  const a = new Float64Array(n * n);
  let s = 12345;
  for (let j = 0; j < n; j++) {
    for (let i = j; i < n; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      const v = i === j ? n : s / 2147483648 - 0.5;
      a[i + j * n] = v;
      a[j + i * n] = v;
    }
  }
  return a;
}
