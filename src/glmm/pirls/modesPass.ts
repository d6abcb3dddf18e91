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
 * with s_i fixed per row (`saturated`), so a pass costs at most one exp (and
 * one log for the binomial deviance) per row. R's clamps of the logit inverse
 * at |eta| > 30 are kept: there the deviance is taken from the clamped mu.
 *
 * When z is the same number c on every row (a random intercept), the exp
 * factors: e^eta_i = e^f_i e^(theta c u_g). `expF` (e^f_i) is computed once
 * per fixed part (beta changes between PIRLS runs, not within one) and
 * `expU` once per pass for the G groups, so a pass needs no exp per row,
 * only a product. Factors outside [e^-700, e^700] are NaN and that row falls
 * back on exp(eta_i); between the logit's clamps the product of two normal
 * numbers is as accurate as exp of the rounded sum (a few ulps).
 *
 * Groups whose modes PIRLS has settled (`frozen`, pirlsScalar.ts runModes)
 * are skipped by the canonical passes: their rows cost a load and a test.
 */
import type { GlmmResponse } from '../response.js';
import { saturatedTerms, type RowKernel, type RowState } from './rowKernel.js';
import { devianceInChunks, expFInChunks, modesInChunks, OP_FACTORED, OP_PLAIN, type RowChunks } from './rowChunks.js';

/**
 * What the row kernels below read and write: ModesData's per-row part. A helper thread that
 * takes chunks of a pass's rows (rowChunks.ts) has its own over the same shared memory.
 */
export interface RowsData {
  resp: { readonly y: Float64Array; readonly pw: Float64Array; readonly n: number };
  refs: Int32Array;
  z: Float64Array;
  f: Float64Array;
  u: Float64Array;
  eta: Float64Array;
  rows: { mu: Float64Array };
  /** s_i above (canonical fast paths only). */
  saturated: Float64Array | null;
  /** c when z_i = c on every row (then the exp factors), else NaN. */
  zConst: number;
  /** e^f_i per row (factored path only; null otherwise), valid when `expFStale` is false. */
  expF: Float64Array | null;
  /** e^(theta c u_g) per group, per pass (factored path). */
  expU: Float64Array;
  /** Every prior weight is 1 (the factored pass then skips pw). */
  unitWeights: boolean;
  /** Every saturated term is 0 (0/1 responses: the factored pass skips them). */
  saturatedZero: boolean;
  /**
   * Groups whose modes are final for the current PIRLS run (1), or null: the canonical passes
   * skip their rows and keep their sums, eta and mu (all at their unchanged u), and takeSteps
   * and the sums' reset leave them alone. Only the canonical passes may be given one.
   */
  frozen: Uint8Array | null;
}

export interface ModesData extends RowsData {
  resp: GlmmResponse;
  rows: RowState;
  grad: Float64Array;
  D: Float64Array;
  pd: Float64Array;
  /** Set when f changes: expF is recomputed by the next pass. */
  expFStale: boolean;
  /** Set by takeSteps: the group sums' starting values (and expU) are in place for the next pass. */
  prepared: boolean;
  /** The chunks of large passes (rowChunks.ts), or null: every pass sums its rows in order. */
  chunks: RowChunks | null;
}

/** |x| beyond which a factor of e^eta is not formed (NaN: that row takes exp(eta)). */
export const FACTOR_LIMIT = 700;

/** e^f_i, when f changed since it was last formed (factored path). */
function refreshExpF(d: ModesData): void {
  if (!d.expFStale) return;
  expFInChunks(d, (from, to) => expFRows(d, from, to));
  d.expFStale = false;
}

/** e^f_i for rows [from, to) (NaN outside the factors' range). */
export function expFRows(d: RowsData, from: number, to: number): void {
  const f = d.f, expF = d.expF!;
  for (let i = from; i < to; i++) {
    const v = f[i];
    expF[i] = v <= FACTOR_LIMIT && v >= -FACTOR_LIMIT ? Math.exp(v) : NaN;
  }
}

/**
 * Readies the factored exp for a pass at theta with group values `at`
 * (expF when f changed, expU from `at`; expU is already in place after
 * takeSteps when `prepared`); false when the path does not apply.
 */
function factorExp(d: ModesData, th: number, at: Float64Array, prepared = false): boolean {
  const { expF, expU } = d;
  if (expF === null) return false;
  refreshExpF(d);
  if (prepared) return true;
  const a = th * d.zConst;
  for (let g = 0; g < at.length; g++) {
    const v = a * at[g];
    expU[g] = v <= FACTOR_LIMIT && v >= -FACTOR_LIMIT ? Math.exp(v) : NaN;
  }
  return true;
}

/** Group sums' starting values unless takeSteps set them; clears `prepared`. */
function begin(d: ModesData): boolean {
  const prepared = d.prepared;
  d.prepared = false;
  if (!prepared) reset(d);
  return prepared;
}

/** True when every z_i is the same number. */
export function constantOf(z: Float64Array): number {
  const c = z.length > 0 ? z[0] : NaN;
  for (let i = 1; i < z.length; i++) if (z[i] !== c) return NaN;
  return c;
}

export type ModesPass = (d: ModesData, th: number, withDev: boolean) => boolean;

const EPS = 2.220446049250313e-16;

function reset(d: ModesData): void {
  const { u, grad, D, pd, frozen } = d;
  for (let g = 0; g < u.length; g++) {
    if (frozen !== null && frozen[g] === 1) continue;
    grad[g] = u[g];
    D[g] = 1;
    pd[g] = u[g] * u[g];
  }
}

function ylogy(y: number, mu: number): number {
  return y === 0 ? 0 : y * Math.log(y / mu);
}

/**
 * One row of the binomial/logit pass from eta = e (ex = e^e where known, else NaN), clamps included, into the sums grad, D, pd.
 * Reads pw and the saturated terms only where unitWeights and saturatedZero say they are not all 1 and all 0: the row
 * helper's copy of the problem (rowChunks.ts) holds them as empty arrays then.
 */
function binomialRow(d: RowsData, i: number, g: number, e: number, zt: number, withDev: boolean, known: number, grad: Float64Array, D: Float64Array, pd: Float64Array): void {
  const { y, pw } = d.resp;
  const w = d.unitWeights ? 1 : pw[i];
  const clamped = e < -30 || e > 30;
  const ex = e < -30 ? EPS : e > 30 ? 1 / EPS : known === known ? known : Math.exp(e);
  const m = ex / (1 + ex);
  d.rows.mu[i] = m;
  if (w === 0) return;
  // canonical link: W = pw mu (1 - mu) (R's mu.eta at the clamps), wr = pw (y - mu)
  const me = clamped ? EPS : m * (1 - m);
  const yi = y[i];
  grad[g] -= zt * w * (yi - m) * (clamped ? me / (m * (1 - m)) : 1);
  D[g] += zt * zt * w * (clamped ? (me * me) / (m * (1 - m)) : me);
  if (withDev) pd[g] += clamped ? 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m)) : 2 * w * ((d.saturatedZero ? 0 : d.saturated![i]) + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
}

/**
 * The factored pass (module comment): z = c, so zt = theta c on every row;
 * unit prior weights and zero saturated terms (0/1 responses) skip their
 * loads. Rows at the clamps or with an unformed factor go through binomialRow.
 */
export function factoredRows(d: RowsData, th: number, withDev: boolean, from: number, to: number, grad: Float64Array, D: Float64Array, pd: Float64Array): boolean {
  const { refs, f, u, eta, expU, unitWeights, saturatedZero, frozen } = d;
  const mu = d.rows.mu, s = d.saturated!, expF = d.expF!, { y, pw } = d.resp;
  const zt = th * d.zConst, zt2 = zt * zt;
  for (let i = from; i < to; i++) {
    const g = refs[i];
    if (frozen !== null && frozen[g] === 1) continue;
    const e = f[i] + zt * u[g];
    eta[i] = e;
    const ex = expF[i] * expU[g];
    if (!(e >= -30 && e <= 30 && ex === ex)) {
      binomialRow(d, i, g, e, zt, withDev, ex, grad, D, pd);
      continue;
    }
    const m = ex / (1 + ex);
    mu[i] = m;
    const w = unitWeights ? 1 : pw[i];
    if (w === 0) continue;
    const yi = y[i];
    grad[g] -= zt * w * (yi - m);
    D[g] += zt2 * w * (m * (1 - m));
    if (withDev) pd[g] += 2 * w * ((saturatedZero ? 0 : s[i]) + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
  }
  return true;
}

const binomialLogit: ModesPass = (d, th, withDev) => {
  const factored = factorExp(d, th, d.u, begin(d));
  return modesInChunks(d, factored ? OP_FACTORED : OP_PLAIN, th, withDev, (from, to, grad, D, pd) =>
    factored ? factoredRows(d, th, withDev, from, to, grad, D, pd) : plainRows(d, th, withDev, from, to, grad, D, pd));
};

/** The binomial/logit pass over rows [from, to) without the factored exp. */
export function plainRows(d: RowsData, th: number, withDev: boolean, from: number, to: number, grad: Float64Array, D: Float64Array, pd: Float64Array): boolean {
  const { refs, z, f, u, eta, frozen } = d;
  for (let i = from; i < to; i++) {
    const g = refs[i], zt = th * z[i];
    if (frozen !== null && frozen[g] === 1) continue;
    const e = f[i] + zt * u[g];
    eta[i] = e;
    binomialRow(d, i, g, e, zt, withDev, NaN, grad, D, pd);
  }
  return true;
}

const poissonLog: ModesPass = (d, th, withDev) => {
  const { refs, z, f, u, eta, grad, D, pd, expU, frozen } = d;
  const mu = d.rows.mu, s = d.saturated!, { y, pw, n } = d.resp;
  const factored = factorExp(d, th, u, begin(d)), expF = d.expF!;
  let ok = true;
  for (let i = 0; i < n; i++) {
    const g = refs[i], zt = th * z[i];
    if (frozen !== null && frozen[g] === 1) continue;
    const e = f[i] + zt * u[g];
    eta[i] = e;
    let ex = factored ? expF[i] * expU[g] : Math.exp(e);
    if (ex !== ex) ex = Math.exp(e);
    const m = Math.max(ex, EPS);
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
  const factored = factorExp(d, th, uAt);
  out.fill(0);
  return devianceInChunks(d, th, factored, uAt, out, (from, to, at, o) => devianceRows(d, th, factored, at, from, to, o));
};

/** The binomial/logit deviance sums of rows [from, to) at the group values uAt, into out. */
export function devianceRows(d: RowsData, th: number, factored: boolean, uAt: Float64Array, from: number, to: number, out: Float64Array): boolean {
  const { refs, z, f, expU, unitWeights, saturatedZero } = d, s = d.saturated!, { y, pw } = d.resp;
  const expF = d.expF!;
  // Factored: z = c on every row (the same zt as th * z[i]).
  const zc = th * d.zConst;
  for (let i = from; i < to; i++) {
    const w = unitWeights ? 1 : pw[i];
    if (w === 0) continue;
    const g = refs[i], e = f[i] + (factored ? zc : th * z[i]) * uAt[g], yi = y[i];
    if (e < -30 || e > 30) {
      const ex = e < -30 ? EPS : 1 / EPS, m = ex / (1 + ex);
      out[g] += 2 * w * (ylogy(yi, m) + ylogy(1 - yi, 1 - m));
      continue;
    }
    let ex = factored ? expF[i] * expU[g] : Math.exp(e);
    if (ex !== ex) ex = Math.exp(e);
    out[g] += 2 * w * ((saturatedZero ? 0 : s[i]) + (ex < 1e-8 ? ex * (1 - 0.5 * ex) : Math.log(1 + ex)) - yi * e);
  }
  return true;
}

const poissonLogDeviance: DeviancePass = (d, th, uAt, out) => {
  const { refs, z, f, expU } = d, s = d.saturated!, { y, pw, n } = d.resp;
  const factored = factorExp(d, th, uAt), expF = d.expF!;
  out.fill(0);
  for (let i = 0; i < n; i++) {
    const w = pw[i];
    if (w === 0) continue;
    const g = refs[i], e = f[i] + th * z[i] * uAt[g], yi = y[i];
    let ex = factored ? expF[i] * expU[g] : Math.exp(e);
    if (ex !== ex) ex = Math.exp(e);
    const m = Math.max(ex, EPS);
    if (m === Infinity) return false;
    out[g] += 2 * w * (s[i] + m - yi * (m === EPS ? Math.log(m) : e));
  }
  return true;
};

/** Any family: eta, then the family's row kernel, then the sums. */
function generic(kernel: RowKernel): ModesPass {
  return (d, th) => {
    d.prepared = false;
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
  const saturated = saturatedTerms(resp);
  if (saturated === null) return { pass: generic(kernel), deviance: null, saturated: null };
  if (resp.family.name === 'binomial') return { pass: binomialLogit, deviance: binomialLogitDeviance, saturated };
  return { pass: poissonLog, deviance: poissonLogDeviance, saturated };
}
