/** Seeded test matrices for the kernel tests (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

export function randomMatrix(m: number, n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: m * n }, r);
}

/** G G' + n I for a random n x n G: symmetric positive definite, both triangles filled. */
export function randomSpd(n: number, seed: number): Float64Array {
  const g = randomMatrix(n, n, seed);
  const a = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let l = 0; l < n; l++) s += g[i + l * n] * g[j + l * n];
      a[i + j * n] = s + (i === j ? n : 0);
    }
  }
  return a;
}

/** Lower triangle of a (n x n) with zeros above. */
export function lowerOf(n: number, a: Float64Array, lda = n): Float64Array {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = j; i < n; i++) l[i + j * n] = a[i + j * lda];
  return l;
}

/** Naive C = A B' (A m x k, B n x k). */
export function mulNT(m: number, n: number, k: number, a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += a[i + l * m] * b[j + l * n];
      c[i + j * m] = s;
    }
  }
  return c;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}
