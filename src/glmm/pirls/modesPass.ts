/**
 * One fused pass of PIRLS for a single scalar term (pirlsScalar.ts): for every
 * row eta = f + theta z u_g, mu, and straight into the per-group sums
 *
 *   grad_g = u_g - theta sum z_i wr_i,   D_g = 1 + theta^2 sum z_i^2 W_i,
 *   pd_g   = u_g^2 + sum dev_i            (only when `withDev`)
 *
 * without per-row buffers beyond eta and mu. For the canonical links the
 * deviance needs no logarithm of mu:
 *
 *   binomial/logit:  dev_i = 2 pw (s_i + log(1 + e^eta) - y eta),  s_i = y log y + (1-y) log(1-y)
 *   poisson/log:     dev_i = 2 pw (s_i + e^eta - y eta),           s_i = y log y - y
 *
 * with s_i fixed per row (`saturated`), so a pass costs one exp (and one
 * log for the binomial deviance) per row. R's clamps of the logit inverse
 * at |eta| > 30 are kept: there the deviance is taken from the clamped mu.
 */
import type { GlmmResponse } from '../response.js';
import type { RowKernel, RowState } from './rowKernel.js';

export interface ModesData {
  resp: GlmmResponse;
  refs: Int32Array;
  z: Float64Array;
  f: Float64Array;
  u: Float64Array;
  eta: Float64Array;
  rows: RowState;
  grad: Float64Array;
  D: Float64Array;
  pd: Float64Array;
  /** s_i above (canonical fast paths only). */
  saturated: Float64Array | null;
}

export type ModesPass = (d: ModesData, th: number, withDev: boolean) => boolean;

const EPS = 2.220446049250313e-16;

function reset(d: ModesData): void {
  const { u, grad, D, pd } = d;
  for (let g = 0; g < u.length; g++) {
    grad[g] = u[g];
    D[g] = 1;
    pd[g] = u[g] * u[g];
  }
}

function ylogy(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(y / mu);
}

const binomialLogit: ModesPass = (d, th, withDev) => {
  reset(d);
  const { refs, z, f, u, eta, grad, D, pd } = d;
  const mu = d.rows.mu, s = d.saturated!, { y, pw, n } = d.resp;
  for (let i = 0; i < n; i++) {
    const g = refs[i], zt = th * z[i];
    const e = f[i] + zt * u[g];
    eta[i] = e;
    const w = pw[i];
    const clamped = e < -30 || e > 30;
    const ex = e < -30 ? EPS : e > 30 ? 1 / EPS : Math.exp(e);
    const m = ex / (1 + ex);
    mu[i] = m;
    if (w === 0) continue;
    // canonical link: W = pw mu (1 - mu) (R's mu.eta at the clamps), wr = pw (y - mu)
    const me = clamped ? EPS : m * (1 - m);
    const yi = y[i];
    grad[g] -= zt * w * (yi - m) * (clamped ? me / (m * (1 - m)) : 1);
    D[g] += zt * zt * w * (clamped ? (me * me) / (m * (1 - m)) : me);
    if (withDev) pd[g] += clamped ? 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m)) : 2 * w * (s[i] + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
  }
  return true;
};

const poissonLog: ModesPass = (d, th, withDev) => {
  reset(d);
  const { refs, z, f, u, eta, grad, D, pd } = d;
  const mu = d.rows.mu, s = d.saturated!, { y, pw, n } = d.resp;
  let ok = true;
  for (let i = 0; i < n; i++) {
    const g = refs[i], zt = th * z[i];
    const e = f[i] + zt * u[g];
    eta[i] = e;
    const m = Math.max(Math.exp(e), EPS);
    mu[i] = m;
    const w = pw[i];
    if (w === 0) continue;
    const yi = y[i];
    grad[g] -= zt * w * (yi - m);
    D[g] += zt * zt * w * m;
    if (withDev) pd[g] += 2 * w * (s[i] + m - yi * (m === EPS ? Math.log(m) : e));
    if (m === Infinity) ok = false;
  }
  return ok;
};

/**
 * Per-group deviance sums out_g = sum_{i in g} dev_i at eta = f + theta z uAt
 * (quadrature nodes), by the canonical formulas above; leaves eta and mu alone.
 * False when a deviance is not finite.
 */
export type DeviancePass = (d: ModesData, th: number, uAt: Float64Array, out: Float64Array) => boolean;

const binomialLogitDeviance: DeviancePass = (d, th, uAt, out) => {
  const { refs, z, f } = d, s = d.saturated!, { y, pw, n } = d.resp;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    if (w === 0) continue;
    const g = refs[i], e = f[i] + th * z[i] * uAt[g], yi = y[i];
    if (e < -30 || e > 30) {
      const ex = e < -30 ? EPS : 1 / EPS, m = ex / (1 + ex);
      out[g] += 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m));
      continue;
    }
    const ex = Math.exp(e);
    out[g] += 2 * w * (s[i] + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
  }
  return true;
};

const poissonLogDeviance: DeviancePass = (d, th, uAt, out) => {
  const { refs, z, f } = d, s = d.saturated!, { y, pw, n } = d.resp;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    if (w === 0) continue;
    const g = refs[i], e = f[i] + th * z[i] * uAt[g], yi = y[i];
    const m = Math.max(Math.exp(e), EPS);
    if (m === Infinity) return false;
    out[g] += 2 * w * (s[i] + m - yi * (m === EPS ? Math.log(m) : e));
  }
  return true;
};

/** Any family: eta, then the family's row kernel, then the sums. */
function generic(kernel: RowKernel): ModesPass {
  return (d, th) => {
    const { refs, z, f, u, eta, grad, D, pd } = d;
    const n = d.resp.n;
    for (let i = 0; i < n; i++) eta[i] = f[i] + th * z[i] * u[refs[i]];
    if (Number.isNaN(kernel(eta, d.rows))) return false;
    reset(d);
    const { dev, W, wr } = d.rows;
    for (let i = 0; i < n; i++) {
      const g = refs[i], zt = th * z[i];
      pd[g] += dev[i];
      grad[g] -= zt * wr[i];
      D[g] += zt * zt * W[i];
    }
    return true;
  };
}

/**
 * The passes for the response's family (the deviance pass only for the
 * canonical fast paths), and the per-row constants they need.
 */
export function modesPass(resp: GlmmResponse, kernel: RowKernel): { pass: ModesPass; deviance: DeviancePass | null; saturated: Float64Array | null } {
  const { family, y } = resp;
  if (family.name === 'binomial' && family.link.name === 'logit') {
    const s = y.map((v) => (v > 0 && v < 1 ? v * Math.log(v) + (1 - v) * Math.log1p(-v) : 0));
    return { pass: binomialLogit, deviance: binomialLogitDeviance, saturated: s };
  }
  if (family.name === 'poisson' && family.link.name === 'log') {
    return { pass: poissonLog, deviance: poissonLogDeviance, saturated: y.map((v) => (v > 0 ? v * Math.log(v) - v : 0)) };
  }
  return { pass: generic(kernel), deviance: null, saturated: null };
}
