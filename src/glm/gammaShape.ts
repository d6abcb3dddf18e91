/**
 * The maximum-likelihood shape of a Gamma GLM's responses at its fitted means (MASS's
 * gamma.shape.glm, which R's Gamma()$simulate draws with: shape alpha w_i): from
 * alpha_0 = (6 + 2 D) / (D (6 + D)), D = deviance / residual df, Newton steps on
 *
 *   score(alpha) = sum_i A_i (c_i + log alpha - digamma(A_i alpha)),
 *   c_i = -y_i / mu_i - log mu_i + log A_i + 1 + log y_i,
 *
 * with information sum_i A_i (A_i trigamma(A_i alpha) - 1 / alpha), until a step is below
 * eps^(1/4) or after 10 steps, as MASS (A the prior weights; rows of weight 0 are left
 * out, where MASS's sum would be NaN).
 */
import { digamma, trigamma } from '../distributions/special/polygamma.js';

const IT_LIM = 10;
const EPS_MAX = Math.pow(2 ** -52, 0.25);

export function gammaShape(y: ArrayLike<number>, mu: ArrayLike<number>, weights: ArrayLike<number> | null, deviance: number, dfResidual: number): number {
  const dbar = deviance / dfResidual;
  let alpha = (6 + 2 * dbar) / (dbar * (6 + dbar));
  let fixedSum = 0;
  const n = y.length;
  for (let i = 0; i < n; i++) {
    const a = weights === null ? 1 : weights[i];
    if (!(a > 0)) continue;
    fixedSum += a * (-y[i] / mu[i] - Math.log(mu[i]) + Math.log(a) + 1 + Math.log(y[i] + (y[i] === 0 ? 1 : 0)));
  }
  for (let it = 1, eps = 1; Math.abs(eps) > EPS_MAX && it <= IT_LIM; it++) {
    let sc = fixedSum, inf = 0;
    for (let i = 0; i < n; i++) {
      const a = weights === null ? 1 : weights[i];
      if (!(a > 0)) continue;
      sc += a * (Math.log(alpha) - digamma(a * alpha));
      inf += a * (a * trigamma(a * alpha) - 1 / alpha);
    }
    eps = sc / inf;
    alpha += eps;
  }
  return alpha;
}
