/**
 * A seeded pseudo-random generator, reproducible across runs, platforms and
 * JavaScript engines: only integer arithmetic (Math.imul, shifts), sqrt (exactly
 * rounded by IEEE 754) and log/exp/lgamma, never Math.random.
 *
 * - Uniforms: xoshiro128** (Blackman & Vigna 2018), 128 bits of state, seeded
 *   from the 53-bit integer seed through splitmix32. `uniform()` takes 53 bits
 *   from two outputs: a double in (0, 1), never 0.
 * - Normals: Marsaglia's polar method (two uniforms in the unit disc; the
 *   second normal of each pair is kept for the next call).
 * - Poisson: inversion by sequential search for mu < 10; Hoermann's PTRS
 *   (transformed rejection with squeeze, 1993) above.
 * - Binomial: inversion for n min(p, 1-p) < 10; Hoermann's BTRS above.
 * - Gamma: Marsaglia & Tsang (2000), with the shape < 1 boost u^(1/shape).
 * - Inverse Gaussian IG(mu, lambda) (mean mu, variance mu^3 / lambda):
 *   Michael, Schucany & Haas (1976): with v = z^2, z ~ N(0, 1),
 *     x = mu + mu^2 v / (2 lambda) - mu / (2 lambda) sqrt(4 mu lambda v + mu^2 v^2),
 *   return x with probability mu / (mu + x), else mu^2 / x (the other root);
 *   with a = mu v / (2 lambda), x = mu (1 + a - sqrt(a (2 + a))) is computed
 *   as mu / (1 + a + sqrt(a (2 + a))), free of cancellation for large a.
 *
 * `streamSeed(seed, index)` derives independent seeds for numbered streams
 * (bootstrap replicates), so results do not depend on how work is split.
 */
import { lgamma as gammaln } from '../../distributions/special/lgamma.js';
import { MixedModelsError } from '../../errors.js';

export interface Random {
  /** Uniform on (0, 1). */
  uniform(): number;
  /** Standard normal. */
  normal(): number;
  poisson(mu: number): number;
  binomial(n: number, p: number): number;
  /** Gamma with the given shape and scale 1. */
  gamma(shape: number): number;
  /** Inverse Gaussian with mean mu and shape lambda (variance mu^3 / lambda). */
  inverseGaussian(mu: number, lambda: number): number;
  /** Fills `out` with standard normals. */
  normals(out: Float64Array): Float64Array;
}

const TWO_POW_32 = 4294967296;

/** One splitmix32 step: returns the next state's output for `state`. */
function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function checkSeed(seed: number): void {
  if (!Number.isSafeInteger(seed) || seed < 0) throw new MixedModelsError(`the seed must be a non-negative whole number, not ${seed}`);
}

/** A seed for stream `index` of `seed`: a hash of both, so nearby streams are unrelated. */
export function streamSeed(seed: number, index: number): number {
  checkSeed(seed);
  const lo = seed % TWO_POW_32, hi = Math.floor(seed / TWO_POW_32);
  const a = mix32(mix32(lo) ^ hi), b = mix32(a ^ mix32(index + 0x5bd1e995));
  return (b % 0x200000) * TWO_POW_32 + mix32(b ^ a);
}

/** xoshiro128** state from a 53-bit seed (splitmix32 on the seed's halves). */
function initialState(seed: number): Uint32Array {
  checkSeed(seed);
  const s = new Uint32Array(4);
  let x = (seed % TWO_POW_32) ^ Math.imul(Math.floor(seed / TWO_POW_32), 0x27d4eb2d);
  for (let i = 0; i < 4; i++) {
    x = mix32(x + i);
    s[i] = x;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return s;
}

export function createRandom(seed: number): Random {
  const s = initialState(seed);
  // The output as a signed 32-bit integer (a small integer to V8, never a boxed double); the callers
  // take its bits with >>>, which reads it as unsigned.
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) | 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const uniform = (): number => {
    for (;;) {
      const u = ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
      if (u > 0) return u;
    }
  };
  let spare = NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = NaN;
      return z;
    }
    for (;;) {
      const a = 2 * uniform() - 1, b = 2 * uniform() - 1, r = a * a + b * b;
      if (r >= 1 || r === 0) continue;
      const f = Math.sqrt((-2 * Math.log(r)) / r);
      spare = b * f;
      return a * f;
    }
  };
  const rng: Random = {
    uniform,
    normal,
    poisson: (mu) => poisson(rng, mu),
    binomial: (n, p) => binomial(rng, n, p),
    gamma: (shape) => gamma(rng, shape),
    inverseGaussian: (mu, lambda) => inverseGaussian(rng, mu, lambda),
    normals: (out) => {
      for (let i = 0; i < out.length; i++) out[i] = normal();
      return out;
    },
  };
  return rng;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function poisson(rng: Random, mu: number): number {
  if (!(mu >= 0) || !Number.isFinite(mu)) throw new MixedModelsError(`a Poisson mean must be finite and non-negative, not ${mu}`);
  if (mu === 0) return 0;
  if (mu < 10) {
    let k = 0, p = Math.exp(-mu), cdf = p;
    const u = rng.uniform();
    while (u > cdf && p > 0) {
      k++;
      p *= mu / k;
      cdf += p;
    }
    return k;
  }
  return ptrs(rng, mu);
}

/** Hoermann (1993), "The transformed rejection method for generating Poisson random variables". */
function ptrs(rng: Random, mu: number): number {
  const smu = Math.sqrt(mu), logMu = Math.log(mu);
  const b = 0.931 + 2.53 * smu, a = -0.059 + 0.02483 * b;
  const invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const u = rng.uniform() - 0.5, v = rng.uniform(), us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + mu + 0.43);
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (Math.log(v * invAlpha / (a / (us * us) + b)) <= -mu + k * logMu - gammaln(k + 1)) return k;
  }
}

function binomial(rng: Random, n: number, p: number): number {
  if (!Number.isInteger(n) || n < 0) throw new MixedModelsError(`a binomial size must be a non-negative whole number, not ${n}`);
  if (!(p >= 0 && p <= 1)) throw new MixedModelsError(`a binomial probability must be in [0, 1], not ${p}`);
  if (p > 0.5) return n - binomial(rng, n, 1 - p);
  if (n === 0 || p === 0) return 0;
  return n * p < 10 ? binomialInversion(rng, n, p) : btrs(rng, n, p);
}

function binomialInversion(rng: Random, n: number, p: number): number {
  const q = 1 - p, ratio = p / q;
  let k = 0, pk = Math.exp(n * Math.log1p(-p)), cdf = pk;
  const u = rng.uniform();
  while (u > cdf && k < n) {
    pk *= (ratio * (n - k)) / (k + 1);
    k++;
    cdf += pk;
  }
  return k;
}

/** Hoermann (1993), "The generation of binomial random variates" (BTRS), for n p >= 10 and p <= 1/2. */
function btrs(rng: Random, n: number, p: number): number {
  const q = 1 - p, spq = Math.sqrt(n * p * q);
  const b = 1.15 + 2.53 * spq, a = -0.0873 + 0.0248 * b + 0.01 * p, c = n * p + 0.5;
  const alpha = (2.83 + 5.1 / b) * spq, vr = 0.92 - 4.2 / b;
  const m = Math.floor((n + 1) * p), lpq = Math.log(p / q);
  const h = gammaln(m + 1) + gammaln(n - m + 1);
  for (;;) {
    const u = rng.uniform() - 0.5, v = rng.uniform(), us = 0.5 - Math.abs(u);
    const k = Math.floor(((2 * a) / us + b) * u + c);
    if (k < 0 || k > n) continue;
    if (us >= 0.07 && v <= vr) return k;
    const lhs = Math.log((v * alpha) / (a / (us * us) + b));
    if (lhs <= h - gammaln(k + 1) - gammaln(n - k + 1) + (k - m) * lpq) return k;
  }
}

function gamma(rng: Random, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) throw new MixedModelsError(`a gamma shape must be positive and finite, not ${shape}`);
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(rng.uniform(), 1 / shape);
  const d = shape - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.uniform();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

function inverseGaussian(rng: Random, mu: number, lambda: number): number {
  if (!(mu > 0) || !Number.isFinite(mu)) throw new MixedModelsError(`an inverse Gaussian mean must be positive and finite, not ${mu}`);
  if (!(lambda > 0) || !Number.isFinite(lambda)) throw new MixedModelsError(`an inverse Gaussian shape must be positive and finite, not ${lambda}`);
  const z = rng.normal(), v = z * z;
  const a = (mu * v) / (2 * lambda);
  // The smaller root mu (1 + a - sqrt(a (2 + a))) = mu / (1 + a + sqrt(a (2 + a))), free of cancellation.
  const x = mu / (1 + a + Math.sqrt(a * (2 + a)));
  return rng.uniform() <= mu / (mu + x) ? x : (mu * mu) / x;
}
