/**
 * The studentized range distribution (R's ptukey with nranges = 1): the
 * distribution of Q = R / S, R the range of k independent N(0, 1) variables
 * and nu S^2 ~ chi^2_nu independent of them (Tukey's HSD; emmeans' "tukey"
 * p-values are P(Q > sqrt(2) |t|) with k the number of means compared).
 *
 * Range of k normals (x the largest, F(x) = Phi(x) - Phi(x - w)):
 *
 *   P(R < w)  = k int phi(x) F(x)^(k-1) dx
 *   P(R >= w) = k int phi(x) Phi(x)^(k-1) [1 - (1 - r(x))^(k-1)] dx,   r = Phi(x - w) / Phi(x)
 *
 * (k int phi Phi^(k-1) = 1; the second form keeps full relative accuracy
 * far in the upper tail through -expm1((k - 1) log1p(-r))). Both hold for
 * non-integer k >= 2 (emmeans' dunnettx approximation uses one), as R's
 * Hartley form (2 Phi(w/2) - 1)^k + 2k int_{w/2} phi F^(k-1) does.
 *
 * Studentized: with t = log S, whose density is
 *
 *   h(t) = 2 a^a / Gamma(a) exp(2 a t - a e^(2t)),   a = nu / 2,
 *        = 2 sqrt(a / 2 pi) exp(-delta(a) - a (expm1(2t) - 2t)),
 *
 * delta(a) = lgamma(a) - ((a - 1/2) log a - a + log(2 pi) / 2) (Stirling's
 * remainder, so nothing cancels for large nu),
 *
 *   P(Q > q) = int P(R >= q e^t) h(t) dt,   P(Q <= q) = int P(R < q e^t) h(t) dt,
 *
 * each computed directly (never as 1 minus the other): the outer integral by
 * adaptive Gauss-Kronrod quadrature (integrate.ts) over the t where
 * a (expm1(2t) - 2t) <= 50, the inner one by a fixed composite
 * Gauss-Legendre rule over the x where phi(x) is not negligible. nu = Infinity is the range
 * itself. Where R's algorithm (Copenhaver & Holland 1988) returns NaN for
 * nu < 2, this computes the distribution for every nu > 0.
 */
import gammaln from '@stdlib/math-base-special-gammaln';
import { dnorm, pnorm } from './normal.js';
import { integrate } from './integrate.js';

const LOG_2PI = Math.log(2 * Math.PI);
/** Integrand cut-off: a (expm1(2t) - 2t) beyond this contributes < e^-50 of h's mass. */
const T_CUTOFF = 50;
/** |x| beyond this adds less than phi(7.5) Phi(-7.5) ~ 1e-26 (or that relative to a tail). */
const X_CUTOFF = 7.5;
const OUTER = { relTol: 1e-9, absTol: 1e-300, maxIntervals: 400 };

/** Gauss-Legendre nodes and weights on [-1, 1] (Newton's method on P_n from Tricomi's start). */
function gaussLegendre(n: number): { x: Float64Array; w: Float64Array } {
  const x = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let z = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5)), dp = 1;
    for (let it = 0; it < 100; it++) {
      let p1 = 1, p0 = 0;
      for (let j = 1; j <= n; j++) {
        const pm = p0;
        p0 = p1;
        p1 = ((2 * j - 1) * z * p0 - (j - 1) * pm) / j;
      }
      dp = (n * (z * p1 - p0)) / (z * z - 1);
      const step = p1 / dp;
      z -= step;
      if (Math.abs(step) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
  return { x, w };
}

/**
 * The inner rule in x: PANEL_POINTS-point Gauss-Legendre on unit panels
 * [-X_CUTOFF + j, -X_CUTOFF + j + 1] (relative error below 1e-11 for these
 * integrands, checked against adaptive quadrature), with phi and Phi at the
 * nodes computed once; panels are added as larger w need them.
 */
const PANEL_POINTS = 12;
const RULE = gaussLegendre(PANEL_POINTS);
const nodes = { x: [] as number[], weight: [] as number[], phi: [] as number[], Phi: [] as number[], logPhi: [] as number[] };

function ensurePanels(upper: number): number {
  const panels = Math.ceil(upper + X_CUTOFF);
  for (let j = nodes.x.length / PANEL_POINTS; j < panels; j++) {
    for (let i = 0; i < PANEL_POINTS; i++) {
      const x = -X_CUTOFF + j + 0.5 * (1 + RULE.x[i]);
      const P = pnorm(x);
      nodes.x.push(x);
      nodes.weight.push(0.5 * RULE.w[i]);
      nodes.phi.push(dnorm(x));
      nodes.Phi.push(P);
      nodes.logPhi.push(Math.log(P));
    }
  }
  return panels * PANEL_POINTS;
}

/** P(R < w) (lower) or P(R >= w) (upper) for the range of k standard normals. */
export function prange(w: number, k: number, lowerTail = true): number {
  if (!(k >= 2) || Number.isNaN(w)) return NaN;
  if (w <= 0) return lowerTail ? 0 : 1;
  if (w === Infinity) return lowerTail ? 1 : 0;
  const km1 = k - 1;
  const count = ensurePanels(Math.max(X_CUTOFF, w / 2 + X_CUTOFF));
  const { x, weight, phi, Phi, logPhi } = nodes;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const shifted = pnorm(x[i] - w);
    if (lowerTail) {
      const F = Phi[i] - shifted;
      if (F > 0) sum += weight[i] * phi[i] * Math.exp(km1 * Math.log(F));
    } else {
      sum += weight[i] * phi[i] * Math.exp(km1 * logPhi[i]) * -Math.expm1(km1 * Math.log1p(-shifted / Phi[i]));
    }
  }
  return Math.min(1, Math.max(0, k * sum));
}

/** Stirling's remainder delta(a) of the module comment. */
function stirlingRemainder(a: number): number {
  if (a < 10) return gammaln(a) - ((a - 0.5) * Math.log(a) - a + 0.5 * LOG_2PI);
  const a2 = a * a;
  return (1 / 12 - (1 / 360 - (1 / 1260 - 1 / (1680 * a2)) / a2) / a2) / a;
}

/** The t where a (expm1(2t) - 2t) = T_CUTOFF on the side of `sign`. */
function tLimit(a: number, sign: 1 | -1): number {
  const g = (t: number) => a * (Math.expm1(2 * t) - 2 * t) - T_CUTOFF;
  let lo = 0, hi: number = sign;
  while (g(hi) < 0) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (g(mid) < 0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * P(Q <= q) (lowerTail, default) or P(Q > q) for the studentized range of
 * `nmeans` means with `df` degrees of freedom (R's ptukey(q, nmeans, df)).
 */
export function ptukey(q: number, nmeans: number, df: number, lowerTail = true): number {
  if (Number.isNaN(q) || !(nmeans >= 2) || !(df > 0)) return NaN;
  if (q <= 0) return lowerTail ? 0 : 1;
  if (q === Infinity) return lowerTail ? 1 : 0;
  if (df === Infinity) return prange(q, nmeans, lowerTail);
  const a = df / 2;
  const logConst = Math.log(2) + 0.5 * (Math.log(a) - LOG_2PI) - stirlingRemainder(a);
  const density = (t: number) => Math.exp(logConst - a * (Math.expm1(2 * t) - 2 * t));
  const f = (t: number) => {
    const h = density(t);
    return h === 0 ? 0 : h * prange(q * Math.exp(t), nmeans, lowerTail);
  };
  const lo = tLimit(a, -1), hi = tLimit(a, 1);
  const value = integrate(f, lo, hi, OUTER, [0, Math.log(3 / q)]);
  return Math.min(1, Math.max(0, value));
}
