/**
 * The three families of the elastic net and what its solver needs from each,
 * with glmnet 4.1.6's conventions. Weights w are normalised to sum 1, so the
 * loss is a weighted mean over the rows.
 *
 *   gaussian: y standardised (glmnet's ys), loss(eta) = 1/2 sum w (y - eta)^2;
 *   binomial: y a proportion, loss = -sum w [y log mu + (1 - y) log(1 - mu)],
 *             mu = 1 / (1 + e^-eta) set to 0 below eta = -log(1/pmin - 1) and
 *             to 1 above its negative (glmnet's fmin/fmax, pmin = 1e-9), and
 *             the loss taken at mu clamped to [pmin, 1 - pmin] (`mean`, for
 *             predictions, is the plain inverse logit);
 *   poisson:  loss = sum w (mu - y eta), mu = e^eta.
 *
 * `working` fills, at eta, the weights v of the quadratic approximation of the
 * loss (its second derivative per row: w, w mu (1 - mu), w mu) and the
 * residuals r = -dloss/deta = w (y - mu): one Newton (IRLS) step.
 * `saturated` is the loss of the saturated model, so that the fraction of
 * deviance explained is (loss_null - loss) / (loss_null - loss_saturated).
 */
export type GlmnetFamilyName = 'gaussian' | 'binomial' | 'poisson';

export const PMIN = 1e-9;
const FMAX = Math.log(1 / PMIN - 1);

export interface GlmnetFamily {
  readonly name: GlmnetFamilyName;
  /** Fills v and r at eta; returns the loss there. */
  working(eta: Float64Array, w: Float64Array, y: Float64Array, v: Float64Array, r: Float64Array): number;
  /** The loss at eta. */
  loss(eta: Float64Array, w: Float64Array, y: Float64Array): number;
  saturated(w: Float64Array, y: Float64Array): number;
  /** The mean at eta (the response scale). */
  mean(eta: number): number;
}

const gaussian: GlmnetFamily = {
  name: 'gaussian',
  working(eta, w, y, v, r) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) {
      const e = y[i] - eta[i];
      v[i] = w[i];
      r[i] = w[i] * e;
      s += w[i] * e * e;
    }
    return s / 2;
  },
  loss(eta, w, y) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) s += w[i] * (y[i] - eta[i]) ** 2;
    return s / 2;
  },
  saturated: () => 0,
  mean: (eta) => eta,
};

const LOSS_AT_0 = -Math.log(1 - PMIN);
const LOSS_AT_PMIN = -Math.log(PMIN);

/**
 * -[y log p + (1 - y) log(1 - p)] at the clamped probability: within
 * |eta| <= fmax it is log(1 + e^-eta) + (1 - y) eta, beyond it p is taken as
 * pmin or 1 - pmin. `e` is e^-eta (for |eta| <= fmax).
 */
function binomialLoss(y: number, eta: number, e: number): number {
  if (eta < -FMAX) return y * LOSS_AT_PMIN + (1 - y) * LOSS_AT_0;
  if (eta > FMAX) return y * LOSS_AT_0 + (1 - y) * LOSS_AT_PMIN;
  return Math.log1p(e) + (1 - y) * eta;
}

const binomial: GlmnetFamily = {
  name: 'binomial',
  working(eta, w, y, v, r) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) {
      const t = eta[i];
      const e = Math.exp(-t);
      const mu = t < -FMAX ? 0 : t > FMAX ? 1 : 1 / (1 + e);
      v[i] = w[i] * mu * (1 - mu);
      r[i] = w[i] * (y[i] - mu);
      s += w[i] * binomialLoss(y[i], t, e);
    }
    return s;
  },
  loss(eta, w, y) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) s += w[i] * binomialLoss(y[i], eta[i], Math.exp(-eta[i]));
    return s;
  },
  saturated(w, y) {
    let s = 0;
    for (let i = 0; i < y.length; i++) {
      if (y[i] > 0) s -= w[i] * y[i] * Math.log(y[i]);
      if (y[i] < 1) s -= w[i] * (1 - y[i]) * Math.log(1 - y[i]);
    }
    return s;
  },
  mean: (eta) => 1 / (1 + Math.exp(-eta)),
};

const poisson: GlmnetFamily = {
  name: 'poisson',
  working(eta, w, y, v, r) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) {
      const mu = Math.exp(eta[i]);
      v[i] = w[i] * mu;
      r[i] = w[i] * (y[i] - mu);
      s += w[i] * (mu - y[i] * eta[i]);
    }
    return s;
  },
  loss(eta, w, y) {
    let s = 0;
    for (let i = 0; i < eta.length; i++) s += w[i] * (Math.exp(eta[i]) - y[i] * eta[i]);
    return s;
  },
  saturated(w, y) {
    let s = 0;
    for (let i = 0; i < y.length; i++) s += w[i] * (y[i] > 0 ? y[i] - y[i] * Math.log(y[i]) : 0);
    return s;
  },
  mean: Math.exp,
};

export const GLMNET_FAMILIES: Readonly<Record<GlmnetFamilyName, GlmnetFamily>> = { gaussian, binomial, poisson };
