/**
 * Responses simulated from a fitted mixed model (lme4's simulate.merMod).
 *
 * LMM, per simulation:  y* = X beta + offset + Z b* + e*,  e* ~ N(0, sigma^2 I),
 *   b*_j[l] = sigma T_j u,  u ~ N(0, I_k)   (so b*_j[l] ~ N(0, Sigma_j), Sigma_j = sigma^2 T_j T_j'),
 * a fresh draw for every level (lme4's default re.form = NA); with
 * `newLevels: false` b* is the fitted conditional modes b (re.form = NULL),
 * so only e* is random.
 *
 * GLMMs draw y* from the family at mu* = g^-1(eta*) (`drawResponse`), with
 * eta* = X beta + offset + Z b* (b*_j[l] ~ N(0, Sigma_j), sigma = 1 for
 * binomial and Poisson), or the fitted eta with `newLevels: false`. GLMs
 * draw y* from the family at their fitted mu. The families, with prior
 * weights w (binomial: trials times user weights) and dispersion phi
 * (GLMM: sigma^2; GLM: its estimated dispersion):
 *
 *   binomial   successes ~ Bin(w_i, mu_i), reported as the proportion out of w_i;
 *   poisson    Poisson(mu_i) (weights ignored, as R);
 *   gaussian   N(mu_i, phi / w_i);
 *   Gamma      Gamma(shape w_i / phi, rate shape / mu_i): mean mu_i, variance phi mu_i^2 / w_i;
 *              a GLM's 1 / phi is MASS::gamma.shape's ML alpha, as R's Gamma()$simulate (glmSimulator);
 *              a GLMM's phi is sigma^2 (lme4 1.1-31's simfun gives shape sigma w_i, which does not
 *              have the fitted variance: that differs by design);
 *   inverse.gaussian  IG(mu_i, lambda = w_i / phi): variance phi mu_i^3 / w_i
 *              (R's family$simulate, SuppDists::rinvGauss(nu = mu, lambda = w / dispersion)).

 * Draw order, fixed so a seed reproduces the numbers: for each simulation,
 * each factor block in frame order, each level, its k normals; then the n
 * residual normals (or response draws) in row order.
 */
import * as v from 'valibot';
import { gammaShape } from '../../glm/gammaShape.js';
import { checkModel, checkOptions, must, wholeNumber } from '../../api/arguments.js';
import type { LinearMixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { makeLink } from '../../glm/link.js';
import { factorBlocks, lambdaMap, setLambda, type FactorBlock } from '../../lmm/index.js';
import type { GeneralizedLinearMixedModel, GeneralizedLinearModel, MixedModel } from '../../api/fit.js';
import type { ModelFrame } from '../../frame/types.js';
import { checkMemory } from './limits.js';
import { createRandom, type Random } from './random.js';

export interface SimulateOptions {
  /** Number of simulated responses (default 1). */
  nsim?: number;
  /** Seed of the generator (default 1). */
  seed?: number;
  /** Draw new random effects for every level (default true) or keep the fitted ones. */
  newLevels?: boolean;
}

export interface Simulation {
  /** Rows of the model's data the responses belong to (frame.rows). */
  rows: Int32Array;
  /** nsim responses of length nobs. */
  sims: Float64Array[];
}

const simulateOptionsSchema = v.strictObject({
  nsim: v.optional(wholeNumber(1)),
  seed: v.optional(wholeNumber(0)),
  newLevels: v.optional(v.boolean(must.boolean)),
} satisfies { [K in keyof Required<SimulateOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * Simulated responses from a fitted mixed model or GLM (lme4's and R's `simulate`): new random effects and residuals each time, reproducible with `seed`.
 * @example
 * ```ts
 * const sims = simulate(m, { nsim: 100, seed: 1 });
 * ```
 */
export function simulate(model: MixedModel | GeneralizedLinearModel, options: SimulateOptions = {}): Simulation {
  checkModel('simulate', model, ['lmm', 'glmm', 'glm']);
  checkOptions('simulate', simulateOptionsSchema, options, Object.keys(simulateOptionsSchema.entries));
  const nsim = options.nsim ?? 1;
  checkMemory('simulate()', nsim, model.frame.nobs);
  const rng = createRandom(options.seed ?? 1);
  const newLevels = options.newLevels ?? true;
  let draw: Simulator;
  if (model.kind === 'lmm') draw = lmmSimulator(model, newLevels);
  else if (model.kind === 'glmm') draw = glmmSimulator(model, newLevels);
  else if (model.kind === 'glm') draw = glmSimulator(model);
  else throw new MixedModelsError(`simulate() needs a generalized linear or mixed model, not a '${(model as { kind: string }).kind}' model`);
  const sims = Array.from({ length: nsim }, () => draw(rng, new Float64Array(model.frame.nobs)));
  return { rows: model.frame.rows, sims };
}

/** Fills `out` (length nobs) with one simulated response and returns it. */
export type Simulator = (rng: Random, out: Float64Array) => Float64Array;

/** The LMM simulator (see the module comment); everything but the draws is computed once. */
export function lmmSimulator(model: LinearMixedModel, newLevels: boolean): Simulator {
  const { frame, fit } = model;
  const n = frame.nobs, sigma = fit.sigma;
  if (!newLevels) {
    const mean = fit.fitted;
    return (rng, out) => {
      for (let i = 0; i < n; i++) out[i] = mean[i] + sigma * rng.normal();
      return out;
    };
  }
  return lmmEffectSimulator(model).simulate;
}

/**
 * The LMM simulator with new random effects, exposing them: after each draw,
 * b[j] holds b*_j (level-major, as lmm/effects.ts) of factor block j.
 */
export function lmmEffectSimulator(model: LinearMixedModel): { simulate: Simulator; b: Float64Array[] } {
  const n = model.frame.nobs, sigma = model.fit.sigma;
  const eta = linearPredictorDraw(model);
  const simulate: Simulator = (rng, out) => {
    eta.draw(rng, out);
    for (let i = 0; i < n; i++) out[i] += sigma * rng.normal();
    return out;
  };
  return { simulate, b: eta.b };
}

/** The GLMM simulator: eta* as for an LMM (or the fitted eta), then y* from the family at g^-1(eta*). */
export function glmmSimulator(model: GeneralizedLinearMixedModel, newLevels: boolean): Simulator {
  const fit = model.fit;
  return newLevels ? glmmEffectSimulator(model).simulate : glmmResponseDraw(model, (_, out) => out.set(fit.linearPredictor));
}

/** The GLMM simulator with new random effects, exposing them as lmmEffectSimulator does. */
export function glmmEffectSimulator(model: GeneralizedLinearMixedModel): { simulate: Simulator; b: Float64Array[] } {
  const eta = linearPredictorDraw(model);
  return { simulate: glmmResponseDraw(model, eta.draw), b: eta.b };
}

/** y* from the family at g^-1(eta*), eta* written by `eta`. */
function glmmResponseDraw(model: GeneralizedLinearMixedModel, eta: (rng: Random, out: Float64Array) => void): Simulator {
  const { frame, fit } = model;
  const link = makeLink(fit.link);
  const mu = new Float64Array(frame.nobs);
  const weights = responseWeights(frame, fit.family);
  return (rng, out) => {
    eta(rng, mu);
    for (let i = 0; i < mu.length; i++) mu[i] = link.linkinv(mu[i]);
    return drawResponse(fit.family, mu, weights, fit.sigma ** 2, rng, out, fit.nbTheta);
  };
}

/**
 * The GLM simulator: y* from the family at the fitted mu, with the fit's dispersion; a Gamma GLM's
 * shape is MASS's maximum-likelihood one (gammaShape.ts), as R's Gamma()$simulate draws with.
 */
export function glmSimulator(model: GeneralizedLinearModel): Simulator {
  const { fit } = model;
  const phi = fit.family === 'Gamma' ? 1 / gammaShape(model.frame.y, fit.fitted, fit.priorWeights, fit.deviance, fit.dfResidual) : fit.dispersion;
  return (rng, out) => drawResponse(fit.family, fit.fitted, fit.priorWeights, phi, rng, out, fit.nbTheta);
}

/** Prior weights per row as drawResponse takes them: binomial trials times user weights, else the user weights (null: all 1). */
export function responseWeights(frame: ModelFrame, family: string): Float64Array | null {
  const { trials, weights } = frame;
  if (family !== 'binomial' || trials === null) return weights;
  return weights === null ? trials : trials.map((m, i) => m * weights[i]);
}

/** `draw` writes X beta + offset + Z b*, b* drawn afresh per level (kept in b), into out. */
function linearPredictorDraw(model: MixedModel): { draw: (rng: Random, out: Float64Array) => void; b: Float64Array[] } {
  const { frame, fit } = model;
  const mean = fixedPart(model);
  const factors = factorBlocks(frame.reTerms, frame.nobs);
  const T = scaledLambda(factors, frame.reTerms.length, fit.theta, fit.sigma);
  const b = factors.map((f) => new Float64Array(f.nl * f.k));
  const u = new Float64Array(Math.max(1, ...factors.map((f) => f.k)));
  const draw = (rng: Random, out: Float64Array): void => {
    factors.forEach((f, j) => drawEffects(rng, f, T[j], u, b[j]));
    out.set(mean);
    factors.forEach((f, j) => addZb(f, b[j], out));
  };
  return { draw, b };
}

/** X beta + offset on the fitted rows. */
export function fixedPart(model: MixedModel): Float64Array {
  const { frame, fit } = model, n = frame.nobs;
  const out = frame.offset ? frame.offset.slice() : new Float64Array(n);
  for (let t = 0; t < frame.p; t++) {
    const bt = fit.beta[t];
    for (let i = 0; i < n; i++) out[i] += frame.X[i + t * n] * bt;
  }
  return out;
}

/** scale * T_j per factor block (k x k lower triangular, column-major). */
export function scaledLambda(factors: readonly FactorBlock[], nterms: number, theta: ArrayLike<number>, scale: number): Float64Array[] {
  const T = factors.map((f) => new Float64Array(f.k * f.k));
  setLambda(lambdaMap(factors, nterms), theta, T);
  return T.map((t) => t.map((v) => v * scale));
}

/** b[l] = T u, u ~ N(0, I_k), for every level l. */
function drawEffects(rng: Random, f: FactorBlock, T: Float64Array, u: Float64Array, b: Float64Array): void {
  const k = f.k;
  for (let l = 0; l < f.nl; l++) {
    for (let c = 0; c < k; c++) u[c] = rng.normal();
    for (let r = 0; r < k; r++) {
      let s = 0;
      for (let c = 0; c <= r; c++) s += T[r + c * k] * u[c];
      b[l * k + r] = s;
    }
  }
}

/** out += Z_j b_j. */
function addZb(f: FactorBlock, b: Float64Array, out: Float64Array): void {
  const k = f.k;
  for (let i = 0; i < out.length; i++) {
    const o = f.refs[i] * k;
    let s = 0;
    for (let c = 0; c < k; c++) s += f.z[i * k + c] * b[o + c];
    out[i] += s;
  }
}

/**
 * A response drawn from a GLM family at means mu (written into out), with
 * prior weights w (null: 1) and dispersion phi, as in the module comment;
 * negative binomial counts with theta `nbTheta` (Poisson with a Gamma(theta,
 * mu / theta) rate, as R's rnbinom(mu = mu, size = theta); weights unused, as
 * MASS's simulate). A row of zero weight gets 0 (binomial) or mu (the others).
 * Other families are refused.
 */
export function drawResponse(family: string, mu: Float64Array, weights: Float64Array | null, phi: number, rng: Random, out: Float64Array, nbTheta?: number): Float64Array {
  if (family !== 'binomial' && family !== 'poisson' && family !== 'gaussian' && family !== 'Gamma' && family !== 'inverse.gaussian' && family !== 'negative.binomial') {
    throw new MixedModelsError(`simulating a ${family} response is not supported (binomial, poisson, negative.binomial, gaussian, Gamma and inverse.gaussian are)`);
  }
  if (family === 'negative.binomial') {
    if (!(nbTheta! > 0)) throw new MixedModelsError('simulating a negative binomial response needs its theta');
    for (let i = 0; i < mu.length; i++) out[i] = rng.poisson((mu[i] * rng.gamma(nbTheta!)) / nbTheta!);
    return out;
  }
  if (family !== 'binomial' && family !== 'poisson' && !(phi > 0 && Number.isFinite(phi))) {
    throw new MixedModelsError(`simulating a ${family} response needs a positive, finite dispersion; the fit's is ${phi}`);
  }
  for (let i = 0; i < mu.length; i++) {
    const w = weights ? weights[i] : 1;
    if (family === 'binomial') {
      out[i] = w > 0 ? rng.binomial(checkedSize(w, i), mu[i]) / w : 0;
      continue;
    }
    if (family === 'poisson') {
      out[i] = rng.poisson(mu[i]);
      continue;
    }
    if (!(w > 0)) {
      out[i] = mu[i];
      continue;
    }
    if (family === 'gaussian') out[i] = mu[i] + Math.sqrt(phi / w) * rng.normal();
    else if (family === 'Gamma') {
      const shape = w / phi;
      out[i] = (rng.gamma(shape) * mu[i]) / shape;
    } else out[i] = rng.inverseGaussian(mu[i], w / phi);
  }
  return out;
}

/** A binomial size must be whole (R: "cannot simulate from non-integer prior.weights"). */
function checkedSize(w: number, i: number): number {
  const m = Math.round(w);
  if (Math.abs(w - m) > 1e-7 * Math.max(1, w)) throw new MixedModelsError(`cannot simulate a binomial response with a non-integer number of trials (prior weight ${w} in row ${i + 1} of the rows used)`);
  return m;
}
