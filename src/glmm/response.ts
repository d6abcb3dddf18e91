/**
 * The response of a GLMM as PIRLS sees it: y (a proportion for binomial),
 * prior weights pw (binomial: trials x user weights), the offset, and the
 * binomial sizes R's family$aic needs. Validated here: counts must be whole
 * and non-negative, successes cannot exceed trials.
 *
 * -2 log-likelihood and deviance: for binomial, Poisson and the negative
 * binomial (theta known),
 * -2 log p(y | mu) = sum_i d_i(mu_i) + C with C = -2 log p(y | mu = y) (the
 * saturated model) independent of mu, so PIRLS and the optimiser work with
 * deviance residuals and C is added once (`aicConstant`). For families with a
 * dispersion (Gamma, inverse.gaussian) R's aic depends on mu through the
 * estimated dispersion and is evaluated in full (`minus2LogLik`).
 */
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';
import type { Family } from '../glm/family.js';

export interface GlmmResponse {
  readonly family: Family;
  readonly n: number;
  readonly y: Float64Array;
  /** Prior weights: user weights times binomial trials. */
  readonly pw: Float64Array;
  readonly offset: Float64Array;
  /** Binomial sizes for family.aic (cbind trials, else ones). */
  readonly size: Float64Array;
  /** C above for binomial, Poisson and negative binomial; NaN for families whose aic depends on mu. */
  readonly aicConstant: number;
}

/** Tolerance for a whole count: R's 1e-7 relative test, loosened for sums of proportions. */
function isWhole(x: number): boolean {
  return Math.abs(x - Math.round(x)) <= 1e-6 * Math.max(1, Math.abs(x));
}

function checkCounts(family: Family, y: Float64Array, pw: Float64Array, size: Float64Array, name: string): void {
  const fam = family.name;
  if (fam !== 'binomial' && fam !== 'poisson') return;
  for (let i = 0; i < y.length; i++) {
    if (pw[i] === 0) continue;
    const v = y[i];
    if (!Number.isFinite(v)) throw new MixedModelsError(`the response ${name} is not finite in row ${i + 1} of the rows used`);
    if (fam === 'poisson') {
      if (v < 0) throw new MixedModelsError(`poisson counts must be non-negative: ${name} is ${v} in row ${i + 1} of the rows used`);
      if (!isWhole(v)) throw new MixedModelsError(`poisson counts must be whole numbers: ${name} is ${v} in row ${i + 1} of the rows used`);
      continue;
    }
    if (v < 0) throw new MixedModelsError(`binomial successes must be non-negative: ${name} gives ${v} in row ${i + 1} of the rows used`);
    if (v > 1) throw new MixedModelsError(`binomial successes exceed the trials in row ${i + 1} of the rows used (${name} gives the proportion ${v})`);
    const m = size[i] > 1 ? size[i] : pw[i];
    if (!isWhole(m * v)) {
      throw new MixedModelsError(
        `binomial successes must be whole numbers: row ${i + 1} of the rows used has ${m * v} successes ` +
          `(a proportion needs its number of trials as the weights, or write cbind(successes, failures))`,
      );
    }
  }
}

/** The validated response of a model frame for `family`. */
export function glmmResponse(frame: ModelFrame, family: Family): GlmmResponse {
  const n = frame.nobs;
  const { trials, weights } = frame;
  if (trials !== null && family.name !== 'binomial') {
    throw new MixedModelsError(`a cbind(successes, failures) response needs the binomial family, not ${family.name}`);
  }
  if (weights !== null) {
    for (let i = 0; i < n; i++) {
      if (!(weights[i] >= 0 && Number.isFinite(weights[i]))) throw new MixedModelsError(`weights must be finite and non-negative (row ${i + 1} has ${weights[i]})`);
    }
  }
  const offset = frame.offset ?? new Float64Array(n);
  if (!offset.every(Number.isFinite)) throw new MixedModelsError('the offset has non-finite values');
  const pw = new Float64Array(n);
  for (let i = 0; i < n; i++) pw[i] = (weights === null ? 1 : weights[i]) * (trials === null ? 1 : trials[i]);
  // Never written: without trials or weights, size is pw (both ones), and y is the frame's.
  const size = trials ?? (weights === null ? pw : new Float64Array(n).fill(1));
  const y = frame.y;
  checkCounts(family, y, pw, size, frame.responseName);
  for (let i = 0; i < n; i++) if (pw[i] > 0 && !Number.isFinite(y[i])) throw new MixedModelsError(`the response ${frame.responseName} is not finite in row ${i + 1} of the rows used`);
  family.checkResponse(y, family.name === 'binomial' ? (trials ?? pw) : pw);
  const partial = { family, n, y, pw, offset, size, aicConstant: NaN };
  return { ...partial, aicConstant: saturatedConstant(partial) };
}

/**
 * True when C is 0: binomial rows with y = 0 or 1 only (their saturated
 * likelihood is 1, the binomial coefficient of no or all successes being 1).
 * R's sum aic(mu) - deviance(mu) there is 0 up to its rounding (about 1e-10
 * on a million rows), so it is not formed. With other rows it is formed over
 * all rows as R does: C is a difference of two large sums, whose rounding
 * (1e-7 on ctr_1e5) would move with any other order of summation.
 */
function zeroConstant(r: Omit<GlmmResponse, 'aicConstant'>): boolean {
  if (r.family.name !== 'binomial') return false;
  const y = r.y;
  for (let i = 0; i < y.length; i++) if (y[i] !== 0 && y[i] !== 1) return false;
  return true;
}

/** C = aic(mu) - deviance(mu) at the starting mu, for the families without a dispersion (NaN otherwise). */
export function saturatedConstant(r: Omit<GlmmResponse, 'aicConstant'>): number {
  if (r.family.estimatedDispersion) return NaN;
  if (zeroConstant(r)) return 0;
  const { family, y, pw, size } = r;
  const mu = new Float64Array(y.length);
  let dev = 0;
  for (let i = 0; i < y.length; i++) {
    mu[i] = family.initMu(y[i], family.name === 'binomial' ? (size[i] > 1 ? size[i] : pw[i]) : pw[i]);
    dev += family.devResid(y[i], mu[i], pw[i]);
  }
  return family.aic(y, size, mu, pw, dev) - dev;
}

/** -2 log p(y | mu) (R's family$aic without the parameter count) given mu and its deviance. */
export function minus2LogLik(r: GlmmResponse, mu: Float64Array, dev: number): number {
  if (!Number.isNaN(r.aicConstant)) return dev + r.aicConstant;
  return r.family.aic(r.y, r.size, mu, r.pw, dev);
}
