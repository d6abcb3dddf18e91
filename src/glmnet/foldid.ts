/**
 * cv.glmnet's random folds, reproducible from R: after `set.seed(seed)`,
 * `foldid = sample(rep(seq(nfolds), length = N))` (R >= 3.6: Mersenne Twister,
 * "Inversion" normals, "Rejection" sampling). The same seed gives the same
 * folds here as in R, so a user can reproduce R's cv.glmnet exactly.
 *
 * - set.seed(s): s is scrambled by 50 steps of the LCG s = 69069 s + 1
 *   (mod 2^32), then the 625 seed words are the next 625 LCG values; word 0
 *   (MT's position) is set to 624, so the first draw regenerates the state.
 * - unif_rand: MT19937's 32-bit output times 2^-32, moved off 0 and 1.
 * - R_unif_index(n): rejection sampling of ceil(log2 n)-bit integers, each
 *   built from 16-bit chunks floor(65536 u), until one is below n.
 * - sample(x) (no replacement): for i = 0..n-1, j = R_unif_index(n - i);
 *   take x[j] and replace it by the last remaining element.
 */
import { MixedModelsError } from '../errors.js';

const N = 624;
const M = 397;

class RMersenneTwister {
  private readonly mt = new Uint32Array(N);
  private mti = N;

  constructor(seed: number) {
    let s = seed >>> 0;
    for (let j = 0; j < 50; j++) s = (Math.imul(69069, s) + 1) >>> 0;
    s = (Math.imul(69069, s) + 1) >>> 0;
    for (let j = 0; j < N; j++) {
      s = (Math.imul(69069, s) + 1) >>> 0;
      this.mt[j] = s;
    }
  }

  private next32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + M] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk] & 0x80000000) | (mt[kk + 1] & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1] & 0x80000000) | (mt[0] & 0x7fffffff);
      mt[N - 1] = mt[M - 1] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** R's unif_rand() for the Mersenne Twister. */
  uniform(): number {
    const i2_32m1 = 2.328306437080797e-10;
    const u = this.next32() * 2.3283064365386963e-10;
    if (u <= 0) return 0.5 * i2_32m1;
    if (1 - u <= 0) return 1 - 0.5 * i2_32m1;
    return u;
  }

  /** R_unif_index(n): a uniform integer in [0, n) by rejection. */
  index(n: number): number {
    if (n <= 0) return 0;
    const bits = Math.ceil(Math.log2(n));
    for (;;) {
      let v = 0;
      for (let k = 0; k <= bits; k += 16) v = 65536 * v + Math.floor(this.uniform() * 65536);
      const dv = v % 2 ** bits;
      if (dv < n) return dv;
    }
  }
}

/** R's `set.seed(seed); sample(rep(seq(nfolds), length = n))`. */
export function randomFoldid(n: number, nfolds: number, seed: number): Int32Array {
  if (!(Number.isInteger(nfolds) && nfolds >= 3)) throw new MixedModelsError(`the number of folds must be a whole number of at least 3, not ${nfolds}`);
  if (nfolds > n) throw new MixedModelsError(`${nfolds} folds need at least ${nfolds} rows; the data have ${n}`);
  if (!(Number.isInteger(seed) && Math.abs(seed) <= 2147483647)) throw new MixedModelsError(`the seed must be a whole number (a 32-bit integer, as R's set.seed), not ${seed}`);
  const rng = new RMersenneTwister(seed < 0 ? seed + 4294967296 : seed);
  const pool = Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(n);
  for (let i = 0, left = n; i < n; i++) {
    const j = rng.index(left);
    out[i] = (pool[j] % nfolds) + 1;
    pool[j] = pool[--left];
  }
  return out;
}
