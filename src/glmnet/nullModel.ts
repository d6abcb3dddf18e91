/**
 * The loss of the null model that glmnet's nulldev and dev.ratio refer to:
 * the intercept alone (with the offset), whatever the penalty factors. A
 * column with penalty factor 0 enters the path's first fit, at glmnet's
 * `big` lambda, so that fit is not the null model: glmnet reports a
 * dev.ratio above 0 there, and its early stop compares those ratios.
 *
 * gaussian: the response is standardised (path.ts), centred when there is an
 * intercept, so the null loss is 1/2 sum w y^2. Binomial and poisson: the
 * intercept a solving sum w (y - mu(offset + a)) = 0 by Newton's method from
 * the offset-free estimate (glmnet's azero); without an intercept eta is the
 * offset (or 0).
 */
import type { ElnetProblem } from './elnetSolver.js';

const MAX_NEWTON = 100;
const NEWTON_TOL = 1e-13;

export function nullModelLoss(prob: ElnetProblem): number {
  const { family, w, y, offset } = prob;
  const n = y.length;
  const eta = new Float64Array(n);
  if (family.name === 'gaussian') return family.loss(eta, w, y);
  const a = nullIntercept(prob);
  for (let i = 0; i < n; i++) eta[i] = (offset === null ? 0 : offset[i]) + a;
  return family.loss(eta, w, y);
}

/**
 * The null model's intercept for binomial and poisson (module comment): with an offset the root
 * of sum w (y - mu(offset + a)) = 0, else logit or log of the weighted mean; 0 without an
 * intercept. glmnet starts its fits there (azero), and its first gradients are taken there.
 */
export function nullIntercept(prob: ElnetProblem): number {
  const { family, w, y, offset, intercept } = prob;
  if (!intercept) return 0;
  const n = y.length;
  let my = 0;
  for (let i = 0; i < n; i++) my += w[i] * y[i];
  let a = family.name === 'binomial' ? Math.log(my / (1 - my)) : Math.log(my);
  if (offset === null) return a;
  const eta = new Float64Array(n), v = new Float64Array(n), r = new Float64Array(n);
  for (let it = 0; it < MAX_NEWTON; it++) {
    for (let i = 0; i < n; i++) eta[i] = offset[i] + a;
    family.working(eta, w, y, v, r);
    let vs = 0, rs = 0;
    for (let i = 0; i < n; i++) {
      vs += v[i];
      rs += r[i];
    }
    if (!(vs > 0)) break;
    const step = rs / vs;
    a += step;
    if (Math.abs(step) <= NEWTON_TOL * Math.max(1, Math.abs(a))) break;
  }
  return a;
}
