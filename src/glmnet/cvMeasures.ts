/**
 * cv.glmnet's loss per held-out row (cv.elnet, cv.lognet, cv.fishnet) and the
 * weighted AUC (auc.mat). eta is the link prediction (offset included).
 *
 *   gaussian  mse, deviance: (y - eta)^2;  mae: |y - eta|
 *   binomial  with p = 1 / (1 + e^-eta) and y the proportion of successes:
 *             deviance: 2 [y log y + (1 - y) log(1 - y) - y log p' - (1 - y) log(1 - p')],
 *               p' = p clamped to [1e-5, 1 - 1e-5];
 *             mse: 2 (y - p)^2 (both columns of glmnet's two-column y);  mae: 2 |y - p|;
 *             class: (1 - y) [p > 0.5] + y [p <= 0.5]
 *   poisson   deviance: 2 [y log y - y - (y eta - e^eta)];  mse: (y - e^eta)^2;  mae: |y - e^eta|
 *
 * Binomial rows weigh their trials.
 */
import { MixedModelsError } from '../errors.js';
import type { GlmnetFamilyName } from './family.js';

export type TypeMeasure = 'mse' | 'deviance' | 'class' | 'auc' | 'mae';

/** glmnet's names of the measures (cvtype). */
export function measureName(family: GlmnetFamilyName, m: TypeMeasure): string {
  if (m === 'deviance') return { gaussian: 'Mean-squared Error', binomial: 'Binomial Deviance', poisson: 'Poisson Deviance' }[family];
  return { mse: 'Mean-Squared Error', mae: 'Mean Absolute Error', auc: 'AUC', class: 'Misclassification Error' }[m];
}

/** The default measure and the ones a family allows (cvtype). */
export function checkMeasure(family: GlmnetFamilyName, m: TypeMeasure | 'default' | undefined): TypeMeasure {
  const allowed: Record<GlmnetFamilyName, TypeMeasure[]> = {
    gaussian: ['mse', 'deviance', 'mae'],
    binomial: ['deviance', 'class', 'auc', 'mse', 'mae'],
    poisson: ['deviance', 'mse', 'mae'],
  };
  if (m === undefined || m === 'default') return allowed[family][0];
  if (!allowed[family].includes(m)) throw new MixedModelsError(`type.measure '${m}' is not available for the ${family} family; use one of ${allowed[family].join(', ')}`);
  return m;
}

const PROB_MIN = 1e-5;

/** The loss of one row. */
export function rowLoss(family: GlmnetFamilyName, m: Exclude<TypeMeasure, 'auc'>, y: number, eta: number): number {
  if (family === 'gaussian') return m === 'mae' ? Math.abs(y - eta) : (y - eta) ** 2;
  if (family === 'poisson') {
    const mu = Math.exp(eta);
    if (m === 'mse') return (y - mu) ** 2;
    if (m === 'mae') return Math.abs(y - mu);
    return 2 * ((y > 0 ? y * Math.log(y) - y : 0) - (y * eta - mu));
  }
  const p = 1 / (1 + Math.exp(-eta));
  if (m === 'mse') return 2 * (y - p) ** 2;
  if (m === 'mae') return 2 * Math.abs(y - p);
  if (m === 'class') return (1 - y) * (p > 0.5 ? 1 : 0) + y * (p <= 0.5 ? 1 : 0);
  const q = Math.min(Math.max(p, PROB_MIN), 1 - PROB_MIN);
  const ly = (y > 0 ? y * Math.log(y) : 0) + (y < 1 ? (1 - y) * Math.log(1 - y) : 0);
  return 2 * (ly - y * Math.log(q) - (1 - y) * Math.log(1 - q));
}

/**
 * Weighted AUC: each row is a success with weight w y and a failure with
 * weight w (1 - y); the probability that a success scores above a failure,
 * ties counting one half (survival's concordance, as glmnet's auc.mat).
 */
export function weightedAuc(y: ArrayLike<number>, score: ArrayLike<number>, w: ArrayLike<number>): number {
  const n = y.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let below0 = 0, total0 = 0, total1 = 0, concordant = 0;
  for (let s = 0; s < n; ) {
    let e = s, tie0 = 0, tie1 = 0;
    while (e < n && score[order[e]] === score[order[s]]) {
      const i = order[e++];
      tie0 += w[i] * (1 - y[i]);
      tie1 += w[i] * y[i];
    }
    concordant += tie1 * (below0 + 0.5 * tie0);
    below0 += tie0;
    total0 += tie0;
    total1 += tie1;
    s = e;
  }
  return concordant / (total0 * total1);
}
