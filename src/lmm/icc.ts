import type { FrameMoments } from '../frame/types.js';
import type { FactorBlock } from './factorBlocks.js';
import type { VarCorr } from './varCorr.js';

/**
 * Adjusted intraclass correlation (Nakagawa, Johnson, Schielzeth 2017; R's
 * performance::icc): random-effects variance over total variance,
 *
 *   sigma2_RE = sum over terms of mean_i z_i' Sigma_t z_i,   ICC = sigma2_RE / (sigma2_RE + sigma^2),
 *
 * with z_i the term's model-matrix row (so a random intercept contributes its
 * variance, a random slope its variance averaged over the observed covariate).
 * Both from the moments sum_i z_i' Sigma z_i = trace(Sigma sum_i z_i z_i'): the frame's (a
 * frame built from sums), else the rows' (termCrossProduct).
 */
/** termCrossProduct's results by the term's z array (never written after it is made) and its place in it. */
const crossProducts = new WeakMap<Float64Array, Map<string, Float64Array>>();

/**
 * sum_i z_i z_i' (k x k, column-major) for the term whose row i is z[i stride + offset ..
 * + k): the moments whose trace with a covariance gives sum_i z_i' Sigma z_i. Made once per term
 * and kept (icc and r2Nakagawa both need it), so that a million rows are read once, not once
 * for each.
 */
export function termCrossProduct(z: Float64Array, stride: number, offset: number, k: number, n: number): Float64Array {
  let byTerm = crossProducts.get(z);
  if (byTerm === undefined) crossProducts.set(z, (byTerm = new Map()));
  const key = `${stride} ${offset} ${k} ${n}`;
  let m = byTerm.get(key);
  if (m === undefined) {
    m = new Float64Array(k * k);
    for (let i = 0; i < n; i++) {
      const o = i * stride + offset;
      for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) m[r + c * k] += z[o + r] * z[o + c];
    }
    byTerm.set(key, m);
  }
  return m;
}

export interface Icc {
  adjusted: number;
  /** sigma2_RE per term, in lme4's order. */
  termVariance: Float64Array;
  residualVariance: number;
}

export function icc(factors: readonly FactorBlock[], vc: VarCorr, nobs: number, moments?: FrameMoments): Icc {
  const slots = factors.flatMap((f) => f.terms.map((t) => ({ t, f }))).sort((a, b) => a.t.term - b.t.term);
  const termVariance = Float64Array.from(slots, ({ t, f }, idx) => {
    const cov = vc.terms[idx].cov, k = t.k, K = f.k;
    const m = moments !== undefined ? moments.ztz[idx] : termCrossProduct(f.z, K, t.offset, k, nobs);
    let s = 0;
    for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) s += cov[r + c * k] * m[c + r * k];
    return s / nobs;
  });
  const re = termVariance.reduce((a, b) => a + b, 0);
  const residualVariance = vc.residualSd * vc.residualSd;
  return { adjusted: re / (re + residualVariance), termVariance, residualVariance };
}
