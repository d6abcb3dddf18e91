/**
 * Adaptive Gauss-Hermite quadrature (Pinheiro & Bates 1995; lme4's nAGQ > 1)
 * for one scalar random-effects term, where the marginal likelihood is a
 * product of one-dimensional integrals, one per group g:
 *
 *   p(y_g) = integral exp(-h_g(u) / 2) du / sqrt(2 pi) * exp(-C_g / 2),
 *   h_g(u) = sum_{i in g} dev_i(u) + u^2,
 *
 * C_g the saturated -2 log-likelihood (response.ts). Centred at the
 * conditional mode u^_g and scaled by s_g = 1 / sqrt(D_g) (D_g = L_gg^2 from
 * PIRLS), u = u^_g + s_g z turns it into E[f(Z)] for Z ~ N(0, 1), and with the
 * rule (z_k, w_k) of ghq.ts:
 *
 *   -2 log p(y_g) = h_g(u^_g) + log D_g - 2 log sum_k w_k exp(-(h_g(u_k) - h_g(u^_g)) / 2 + z_k^2 / 2) + C_g.
 *
 * With one node this is the Laplace approximation. The result is the true
 * -2 log-likelihood (constants included); lme4's nAGQ > 1 criterion is the
 * same without C.
 */
import type { GaussHermiteRule } from './ghq.js';
import type { PirlsResult } from '../pirls/pirls.js';
import type { ScalarPirls } from '../pirls/pirlsScalar.js';
import { minus2LogLik } from '../response.js';

/** Scratch per group, allocated once per model. */
export interface AgqBuffers {
  uAt: Float64Array;
  devAt: Float64Array;
  sum: Float64Array;
  /** sqrt(D_g), formed once per evaluation. */
  sd: Float64Array;
}

export function allocateAgq(groups: number): AgqBuffers {
  return { uAt: new Float64Array(groups), devAt: new Float64Array(groups), sum: new Float64Array(groups), sd: new Float64Array(groups) };
}

/**
 * -2 log-likelihood by quadrature at the engine's converged modes (run with
 * beta fixed at theta). Leaves the engine's row state at the last node: run
 * PIRLS again before reading eta or mu. Infinity when a node's deviance fails.
 */
export function agqDeviance(engine: ScalarPirls, theta: number, res: PirlsResult, rule: GaussHermiteRule, buf: AgqBuffers): number {
  if (!res.converged || !Number.isFinite(res.dev)) return Infinity;
  const constant = minus2LogLik(engine.resp, engine.rows.mu, res.dev) - res.dev;
  const { u, pd, D } = engine;
  const G = u.length;
  const { uAt, devAt, sum, sd } = buf;
  sum.fill(0);
  for (let g = 0; g < G; g++) sd[g] = Math.sqrt(D[g]);
  for (let k = 0; k < rule.nodes.length; k++) {
    const z = rule.nodes[k], w = rule.weights[k];
    if (z === 0) {
      for (let g = 0; g < G; g++) sum[g] += w;
      continue;
    }
    for (let g = 0; g < G; g++) uAt[g] = u[g] + z / sd[g];
    if (!engine.devianceByGroup(theta, uAt, devAt)) return Infinity;
    const half = 0.5 * z * z;
    for (let g = 0; g < G; g++) sum[g] += w * Math.exp(-0.5 * (devAt[g] + uAt[g] * uAt[g] - pd[g]) + half);
  }
  let total = 0;
  for (let g = 0; g < G; g++) total += pd[g] + Math.log(D[g]) - 2 * Math.log(sum[g]);
  return total + constant;
}

/** Half-width and coarsest step of the trapezoidal rule in the standardised variable t. */
const T_MAX = 12;
const T_STEP = 0.4;

/**
 * The marginal -2 log-likelihood by the trapezoidal rule in t = (u - u^_g) sqrt(D_g)
 * on [-T_MAX, T_MAX], halving the step (nested nodes) until two successive
 * totals agree to `tol` (at most 4 halvings). On the real line the trapezoidal
 * rule converges geometrically for analytic integrands (the logit's poles lie
 * at |Im t| ~ pi / (theta s_g)), far faster than Gauss-Hermite when the
 * integrand is skewed, as for groups whose responses are all 0. Used to
 * report the log-likelihood of quadrature fits; same preconditions as agqDeviance.
 */
export function marginalDeviance(engine: ScalarPirls, theta: number, res: PirlsResult, buf: AgqBuffers, tol = 1e-4): number {
  if (!res.converged || !Number.isFinite(res.dev)) return Infinity;
  const constant = minus2LogLik(engine.resp, engine.rows.mu, res.dev) - res.dev;
  const { u, pd, D } = engine;
  const G = u.length;
  const { uAt, devAt, sum, sd } = buf;
  sum.fill(0);
  for (let g = 0; g < G; g++) sd[g] = Math.sqrt(D[g]);
  const addNode = (t: number): boolean => {
    for (let g = 0; g < G; g++) uAt[g] = u[g] + t / sd[g];
    if (!engine.devianceByGroup(theta, uAt, devAt)) return false;
    for (let g = 0; g < G; g++) sum[g] += Math.exp(-0.5 * (devAt[g] + uAt[g] * uAt[g] - pd[g]));
    return true;
  };
  const total = (h: number): number => {
    let s = 0;
    for (let g = 0; g < G; g++) s += pd[g] + Math.log(D[g]) - 2 * Math.log((sum[g] * h) / Math.sqrt(2 * Math.PI));
    return s + constant;
  };
  let h = T_STEP;
  for (let t = -T_MAX; t <= T_MAX + 1e-9; t += h) if (!addNode(t)) return Infinity;
  let prev = total(h);
  for (let level = 0; level < 4; level++) {
    for (let t = -T_MAX + h / 2; t < T_MAX; t += h) if (!addNode(t)) return Infinity;
    h /= 2;
    const cur = total(h);
    if (Math.abs(cur - prev) < tol) return cur;
    prev = cur;
  }
  return prev;
}
