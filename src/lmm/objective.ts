import type { LFactor } from './updateL.js';

/**
 * The profiled deviance from a filled L (Bates et al. 2015, eqs. 34 and 41;
 * lme4's lmerResp::Laplace):
 *
 *   ML:   ldL2 - ldW + n (1 + log(2 pi r^2 / n))
 *   REML: ldL2 - ldW + ldRX2 + (n - p) (1 + log(2 pi r^2 / (n - p)))
 *
 * ldL2 = log det(L_Z)^2 (random-effects blocks), ldRX2 = log det(L_X)^2,
 * r = the last diagonal element of L (r^2: penalised weighted residual sum of
 * squares), ldW = sum(log w) over the prior weights.
 */
export interface DevianceParts {
  ldL2: number;
  ldRX2: number;
  /** r^2 = penalised weighted residual sum of squares. */
  pwrss: number;
}

/** log det(L_Z)^2 = 2 sum of log diagonal over the random-effects blocks. */
export function ldL2(L: LFactor): number {
  let s = 0;
  if (L.m > 0) {
    const k0 = L.k[0];
    for (let c = 0; c < L.q[0]; c++) s += Math.log(L.d0[c * k0 + (c % k0)]);
  }
  for (let j = 1; j < L.m; j++) {
    const d = L.diag[j], qj = L.q[j];
    for (let c = 0; c < qj; c++) s += Math.log(d[c * (qj + 1)]);
  }
  return 2 * s;
}

export function devianceParts(L: LFactor): DevianceParts {
  const P = L.P, p = P - 1;
  let s = 0;
  for (let c = 0; c < p; c++) s += Math.log(L.xx[c * (P + 1)]);
  const r = L.xx[p * (P + 1)];
  return { ldL2: ldL2(L), ldRX2: 2 * s, pwrss: r * r };
}

/** The criterion from its parts; `n` observations, `p` fixed effects. */
export function profiledDeviance(parts: DevianceParts, n: number, p: number, ldW: number, REML: boolean): number {
  const twoPi = 2 * Math.PI;
  if (!REML) return parts.ldL2 - ldW + n * (1 + Math.log((twoPi * parts.pwrss) / n));
  const nmp = n - p;
  return parts.ldL2 - ldW + parts.ldRX2 + nmp * (1 + Math.log((twoPi * parts.pwrss) / nmp));
}
