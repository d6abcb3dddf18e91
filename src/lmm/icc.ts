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
 * Without rows (a frame built from sums) the same from the moments:
 * sum_i z_i' Sigma z_i = trace(Sigma sum_i z_i z_i').
 */
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
    let s = 0;
    if (moments !== undefined) {
      const m = moments.ztz[idx];
      for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) s += cov[r + c * k] * m[c + r * k];
      return s / nobs;
    }
    for (let i = 0; i < nobs; i++) {
      const zi = i * K + t.offset;
      for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) s += f.z[zi + r] * cov[r + c * k] * f.z[zi + c];
    }
    return s / nobs;
  });
  const re = termVariance.reduce((a, b) => a + b, 0);
  const residualVariance = vc.residualSd * vc.residualSd;
  return { adjusted: re / (re + residualVariance), termVariance, residualVariance };
}
