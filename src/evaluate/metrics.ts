/**
 * Prediction scores on new data, from the observed response and the
 * predicted mean mu of each row (rows whose prediction is missing are left
 * out). For a binomial response y is the proportion of successes out of t
 * trials (t = 1 for a 0/1 response), so s = t y successes and f = t (1 - y)
 * failures; sums run over rows, binomial ones weighted by trials:
 *
 *   mspe      binomial: sum [(1 - mu)^2 s + mu^2 f] / sum t (the study's MSPE:
 *             every exposure's squared error); others: mean (y - mu)^2
 *   rmse      sqrt(mspe)
 *   deviance  mean unit deviance (binomial per trial)
 *   logloss   binomial only: -sum [s log mu + f log(1 - mu)] / sum t
 *   auc       binomial only: the probability that a success is scored above a
 *             failure (ties one half), each trial counted once
 */
import { MixedModelsError } from '../errors.js';
import { weightedAuc } from '../glmnet/cvMeasures.js';

export const METRICS = ['mspe', 'deviance', 'logloss', 'auc', 'rmse'] as const;
export type Metric = (typeof METRICS)[number];

/** The response of the scored rows: y (proportion for binomial) and trials (1 unless cbind). */
export interface Observed {
  y: Float64Array;
  trials: Float64Array;
}

/** Whether larger scores are better (AUC) or worse (the losses). */
export function higherIsBetter(metric: Metric): boolean {
  return metric === 'auc';
}

export function checkMetric(metric: string, family: string): Metric {
  if (!(METRICS as readonly string[]).includes(metric)) throw new MixedModelsError(`unknown metric '${metric}': use one of ${METRICS.join(', ')}`);
  if ((metric === 'logloss' || metric === 'auc') && family !== 'binomial') throw new MixedModelsError(`the ${metric} metric needs a binomial response, not ${family}`);
  return metric as Metric;
}

function unitDeviance(family: string, y: number, mu: number): number {
  if (family === 'binomial') {
    const a = y > 0 ? y * Math.log(y / mu) : 0, b = y < 1 ? (1 - y) * Math.log((1 - y) / (1 - mu)) : 0;
    return 2 * (a + b);
  }
  if (family === 'poisson') return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  return (y - mu) ** 2;
}

export function score(metric: Metric, family: string, obs: Observed, mu: Float64Array): number {
  const keep = Array.from(mu.keys()).filter((i) => Number.isFinite(mu[i]) && Number.isFinite(obs.y[i]));
  if (keep.length === 0) return NaN;
  const binomial = family === 'binomial';
  const w = (i: number) => (binomial ? obs.trials[i] : 1);
  let sw = 0;
  for (const i of keep) sw += w(i);
  if (metric === 'auc') return weightedAuc(keep.map((i) => obs.y[i]), keep.map((i) => mu[i]), keep.map((i) => obs.trials[i]));
  let s = 0;
  for (const i of keep) {
    const y = obs.y[i], m = mu[i];
    if (metric === 'logloss') s -= w(i) * ((y > 0 ? y * Math.log(m) : 0) + (y < 1 ? (1 - y) * Math.log(1 - m) : 0));
    else if (metric === 'deviance') s += w(i) * unitDeviance(family, y, m);
    else s += binomial ? w(i) * ((1 - m) ** 2 * y + m * m * (1 - y)) : (y - m) ** 2;
  }
  const mean = s / sw;
  return metric === 'rmse' ? Math.sqrt(mean) : mean;
}
