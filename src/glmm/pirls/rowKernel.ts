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
const LOGIT_THRESH = 30;

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

/** The binomial/logit kernel on rows [from, to) (pw null: every prior weight 1); returns their deviance sum. */
export function binomialLogitRows(y: Float64Array, pw: Float64Array | null, eta: Float64Array, out: RowState, from: number, to: number): number {
  const { mu, W, wr, dev } = out;
  let total = 0;
  for (let i = from; i < to; i++) {
    const e = eta[i], w = pw === null ? 1 : pw[i];
    // R's logit inverse and mu.eta, with their clamps at |eta| > 30.
    const ex = e < -LOGIT_THRESH ? EPS : e > LOGIT_THRESH ? 1 / EPS : Math.exp(e);
    const m = ex / (1 + ex);
    const me = e > LOGIT_THRESH || e < -LOGIT_THRESH ? EPS : ex / ((1 + ex) * (1 + ex));
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
    const d = 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m));
    dev[i] = d;
    total += d;
  }
  return total;
}

function poissonLog(resp: GlmmResponse, eta: Float64Array, out: RowState): number {
  const { y, pw } = resp, n = resp.n;
  const { mu, W, wr, dev } = out;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const m = Math.max(Math.exp(eta[i]), EPS), w = pw[i];
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
    const d = 2 * w * (ylogy(yi, m) - (yi - m));
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
