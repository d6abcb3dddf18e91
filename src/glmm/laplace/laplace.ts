/**
 * The Laplace approximation to -2 log-likelihood at (theta, beta) (lme4's
 * glmer deviance for nAGQ = 1, and for nAGQ = 0 at the joint PIRLS solution):
 *
 *   -2 log L ~= -2 log p(y | u~, beta) + |u~|^2 + log det(L_Z)^2
 *             = sum_i dev_i + C + |u~|^2 + log det(Lambda'Z'WZ Lambda + I)
 *
 * at the conditional modes u~ and their working weights W. C is the family's
 * normalising constant (response.ts), so logLik = -deviance / 2 matches
 * lme4's logLik for nAGQ <= 1, e.g. with the binomial log-choose terms.
 * Infinity where PIRLS did not converge: without the modes there is no
 * approximation (lme4 stops there, "pwrssUpdate did not converge"), and the
 * optimisers keep away from such parameters.
 */
import type { PirlsResult } from '../pirls/pirls.js';
import { minus2LogLik, type GlmmResponse } from '../response.js';

export function laplaceDeviance(resp: GlmmResponse, mu: Float64Array, res: PirlsResult): number {
  if (!res.converged || !Number.isFinite(res.dev) || !Number.isFinite(res.ldL2)) return Infinity;
  const d = minus2LogLik(resp, mu, res.dev) + res.ussq + res.ldL2;
  return Number.isFinite(d) ? d : Infinity;
}
