/**
 * The per-row quantities of one PIRLS pass, at the linear predictor eta:
 *
 *   mu_i  = g^-1(eta_i)
 *   W_i   = pw_i g'(eta_i)^2 / V(mu_i)                  working weight
 *   wr_i  = W_i r_i = pw_i (y_i - mu_i) g'(eta_i) / V(mu_i),   r_i = (y_i - mu_i) / g'(eta_i)
 *   dev_i = pw_i d(y_i, mu_i)                            deviance residual (squared)
 *
 * with g' = d mu / d eta, so that d dev_i / d eta_i = -2 wr_i and W_i is half the
 * expected second derivative (Fisher scoring; Newton for canonical links).
 * Rows with pw = 0 get zeros. As in lme4's PIRLS, eta is not held to the
 * link's valideta: a mu outside the family's range, or a deviance that is not
 * finite, makes the pass NaN, and PIRLS halves the step. So the sqrt link's
 * mu = eta^2 holds for every eta (lme4's fits have rows with eta < 0); its
 * penalised deviance then has mirror-image stationary points, and which one
 * PIRLS reaches depends on where it starts (start.ts, glmer.ts stage 1).
 * Binomial/logit and Poisson/log (the canonical links, where g'/V = 1) have
 * fused loops; other families go through the Family's scalar kernels.
 *
 * rowKernel's deviance is R's expression (binomial()$dev.resids, y log(y / mu)
 * terms), as lme4's own PIRLS (BlockedPirls.runLme4) rounds it. canonicalKernel
 * writes the canonical links' deviance without log(mu), as modesPass.ts does:
 *
 *   binomial/logit:  dev_i = 2 pw (s_i + log(1 + e^eta) - y eta),  s_i = y log y + (1-y) log(1-y)
 *   poisson/log:     dev_i = 2 pw (s_i + mu - y eta),              s_i = y log y - y
 *
 * the same number to rounding with one logarithm a row fewer (and no
 * division); at R's clamps (|eta| > 30 for the logit, mu = eps for the log)
 * R's expression is kept. mu, W and wr are the same bits from both.
 */
import type { Family } from '../../glm/family.js';
import type { GlmmResponse } from '../response.js';

/** Output buffers of one pass, each of length n. */
export interface RowState {
  mu: Float64Array;
  W: Float64Array;
  wr: Float64Array;
  dev: Float64Array;
}

export function allocateRows(n: number): RowState {
  return { mu: new Float64Array(n), W: new Float64Array(n), wr: new Float64Array(n), dev: new Float64Array(n) };
}

const EPS = 2.220446049250313e-16;

/** Fills `out` at eta; returns the deviance sum, or NaN when a mu or eta is invalid. */
export type RowKernel = (eta: Float64Array, out: RowState) => number;

export function rowKernel(resp: GlmmResponse): RowKernel {
  const { family } = resp;
  if (family.name === 'binomial' && family.link.name === 'logit') return (eta, out) => binomialLogit(resp, eta, out);
  if (family.name === 'poisson' && family.link.name === 'log') return (eta, out) => poissonLog(resp, eta, out);
  return (eta, out) => generic(resp, family, eta, out);
}

/** y log(y / mu), 0 at y = 0. */
function ylogy(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(y / mu);
}

function binomialLogit(resp: GlmmResponse, eta: Float64Array, out: RowState): number {
  return binomialLogitRows(resp.y, resp.pw, eta, out, 0, resp.n);
}

/**
 * The binomial/logit kernel on rows [from, to) (pw null: every prior weight 1); returns their deviance sum.
 * With the saturated terms `s` (saturatedTerms) the deviance between the clamps is their form (module comment).
 */
export function binomialLogitRows(
  y: Float64Array, pw: Float64Array | null, eta: Float64Array, out: RowState, from: number, to: number, s: Float64Array | null = null,
): number {
  return binomialLogitLoop(y, pw, eta, out.mu, out.W, out.wr, out.dev, from, to, s);
}

/**
 * binomialLogitRows' loop, in a function that reads nothing before it but its arguments. The first
 * call of a long loop is compiled while it runs (on-stack replacement), from the loop's type
 * feedback alone: property reads before the loop (out's arrays) had none, and the function's own
 * optimised code could then deoptimise on the next call and leave the later calls in the
 * on-stack code, where the running sum comes in boxed and stays so (seen in V8's traces of
 * VerbAgg's fit; with this and the constants below its warm fits made 0-7 MB of young garbage
 * each, against 15-30 MB).
 */
function binomialLogitLoop(
  y: Float64Array, pw: Float64Array | null, eta: Float64Array, mu: Float64Array, W: Float64Array, wr: Float64Array, dev: Float64Array,
  from: number, to: number, s: Float64Array | null,
): number {
  // EPS, 1 / EPS (2^-52, 2^52) and the clamp as this function's own constants: a module's
  // constant is a load of unknown type to V8's optimising compiler, and a value that is either it
  // or a computed double (ex, me) was then kept boxed, two new heap numbers a row.
  const eps = 2.220446049250313e-16, big = 4503599627370496, thresh = 30;
  let total = 0;
  for (let i = from; i < to; i++) {
    const e = eta[i], w = pw === null ? 1 : pw[i];
    // R's logit inverse and mu.eta, with their clamps at |eta| > 30.
    const clamped = e > thresh || e < -thresh;
    const ex = e < -thresh ? eps : e > thresh ? big : Math.exp(e);
    const m = ex / (1 + ex);
    const me = clamped ? eps : ex / ((1 + ex) * (1 + ex));
    mu[i] = m;
    if (w === 0) {
      W[i] = 0;
      wr[i] = 0;
      dev[i] = 0;
      continue;
    }
    const v = m * (1 - m), yi = y[i];
    const g = me / v;
    W[i] = w * me * g;
    wr[i] = w * (yi - m) * g;
    // log(1 + e^eta) by its series where 1 + e^eta rounds to 1 or near it.
    const d = s === null || clamped
      ? 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m))
      : 2 * w * (s[i] + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
    dev[i] = d;
    total += d;
  }
  return total;
}

/**
 * The saturated terms s_i of the canonical links' deviance (module comment): 0 where y is 0 or 1
 * (binomial) or 0 (Poisson); null for other families.
 */
export function saturatedTerms(resp: GlmmResponse): Float64Array | null {
  const { family, y } = resp;
  const binomial = family.name === 'binomial' && family.link.name === 'logit';
  if (!binomial && !(family.name === 'poisson' && family.link.name === 'log')) return null;
  const s = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    if (binomial) {
      if (v > 0 && v < 1) s[i] = v * Math.log(v) + (1 - v) * Math.log1p(-v);
    } else if (v > 0) {
      s[i] = v * Math.log(v) - v;
    }
  }
  return s;
}

/** rowKernel with the canonical links' deviance written without log(mu) (module comment). */
export function canonicalKernel(resp: GlmmResponse): RowKernel {
  const s = saturatedTerms(resp);
  if (s === null) return rowKernel(resp);
  if (resp.family.name === 'binomial') return (eta, out) => binomialLogitRows(resp.y, resp.pw, eta, out, 0, resp.n, s);
  return (eta, out) => poissonLog(resp, eta, out, s);
}

/** The Poisson/log kernel; with the saturated terms `s`, their form of the deviance above R's clamp (module comment). */
function poissonLog(resp: GlmmResponse, eta: Float64Array, out: RowState, s: Float64Array | null = null): number {
  const { y, pw } = resp, n = resp.n;
  const { mu, W, wr, dev } = out;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i], ex = Math.exp(e), m = Math.max(ex, EPS), w = pw[i];
    mu[i] = m;
    if (w === 0) {
      W[i] = 0;
      wr[i] = 0;
      dev[i] = 0;
      continue;
    }
    const yi = y[i];
    W[i] = w * m;
    wr[i] = w * (yi - m);
    const d = s !== null && m === ex ? 2 * w * (s[i] + m - yi * e) : 2 * w * (ylogy(yi, m) - (yi - m));
    dev[i] = d;
    total += d;
  }
  return Number.isFinite(total) ? total : NaN;
}

function generic(resp: GlmmResponse, family: Family, eta: Float64Array, out: RowState): number {
  const { y, pw } = resp, n = resp.n;
  const { mu, W, wr, dev } = out;
  const link = family.link;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i];
    const m = link.linkinv(e);
    mu[i] = m;
    const w = pw[i];
    if (w === 0) {
      W[i] = 0;
      wr[i] = 0;
      dev[i] = 0;
      continue;
    }
    if (!family.validMu(m)) return NaN;
    const me = link.muEta(e), v = family.variance(m);
    W[i] = (w * me * me) / v;
    wr[i] = (w * (y[i] - m) * me) / v;
    const d = family.devResid(y[i], m, w);
    dev[i] = d;
    total += d;
  }
  return Number.isFinite(total) ? total : NaN;
}
