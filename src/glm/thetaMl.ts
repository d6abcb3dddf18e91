/**
 * Maximum-likelihood theta of the negative binomial at fixed means mu (MASS's
 * theta.ml): Newton's method on the score in theta,
 *
 *   score(t) = sum_i w_i [psi(t + y_i) - psi(t) + log t + 1 - log(t + mu_i) - (y_i + t) / (mu_i + t)],
 *   info(t)  = sum_i w_i [-psi'(t + y_i) + psi'(t) - 1/t + 2 / (mu_i + t) - (y_i + t) / (mu_i + t)^2],
 *   t <- |t| + score / info,
 *
 * from the moment start t0 = n / sum w (y / mu - 1)^2 (n = sum w), until the
 * step is at most eps or `limit` - 1 steps were made. SE(theta) = info^-1/2 at
 * the last step's start. A negative result is set to 0 with a warning, as
 * MASS's; here also a start or iterate that is not finite (the data show no
 * overdispersion: the likelihood keeps rising with theta) stops the iteration
 * with a warning instead of returning NaN.
 */
import { digamma, trigamma } from '../distributions/special/polygamma.js';

export interface ThetaMlResult {
  theta: number;
  /** sqrt(1 / info) at the last Newton step. */
  se: number;
  iterations: number;
  /** MASS's warnings: "iteration limit reached", "estimate truncated at zero"; empty when none. */
  warnings: string[];
}

function scoreInfo(t: number, y: Float64Array, mu: Float64Array, w: Float64Array): { score: number; info: number } {
  let score = 0, info = 0;
  const dt = digamma(t), tt = trigamma(t), lt = Math.log(t);
  for (let i = 0; i < y.length; i++) {
    if (!(w[i] > 0)) continue;
    const yi = y[i], m = mu[i] + t;
    score += w[i] * (digamma(t + yi) - dt + lt + 1 - Math.log(m) - (yi + t) / m);
    info += w[i] * (-trigamma(t + yi) + tt - 1 / t + 2 / m - (yi + t) / (m * m));
  }
  return { score, info };
}

/** theta.ml(y, mu, sum(w), w, limit, eps). */
export function thetaMl(y: Float64Array, mu: Float64Array, w: Float64Array, limit = 10, eps = 1.220703125e-4): ThetaMlResult {
  let n = 0, s = 0;
  for (let i = 0; i < y.length; i++) {
    if (!(w[i] > 0)) continue;
    n += w[i];
    const r = y[i] / mu[i] - 1;
    s += w[i] * r * r;
  }
  let t = n / s;
  let it = 0, del = 1, info = NaN;
  const warnings: string[] = [];
  while (++it < limit && Math.abs(del) > eps) {
    if (!Number.isFinite(t)) break;
    t = Math.abs(t);
    const si = scoreInfo(t, y, mu, w);
    info = si.info;
    del = si.score / info;
    t += del;
  }
  if (!Number.isFinite(t)) {
    warnings.push('theta has no finite estimate (no overdispersion: the likelihood rises without bound in theta)');
  } else if (t < 0) {
    t = 0;
    warnings.push('estimate truncated at zero');
  }
  if (it === limit) warnings.push('iteration limit reached');
  return { theta: t, se: Math.sqrt(1 / info), iterations: it - 1, warnings };
}
