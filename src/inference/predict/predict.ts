/**
 * Predictions from a fitted mixed model, on the fitted rows or on new data
 * (lme4's predict.merMod), with optional intervals (lme4 gives none); and from
 * an lm or a GLM (R's predict.lm, predict.glm: linearParts.ts), whose
 * intervals are predict.lm's.
 *
 * Linear predictor of row i, with x_i its fixed-effects row, z_ij its columns
 * of random-effects block j (all terms on one grouping factor) and l_ij its level:
 *
 *   eta_i = x_i' beta + offset_i + sum_j z_ij' b_j[l_ij]        (conditional)
 *   eta_i = x_i' beta + offset_i                                 (population, lme4's re.form = NA)
 *
 * A level the fit has not seen has b = 0 (lme4's allow.new.levels = TRUE).
 * On the response scale the prediction is mu_i = g^-1(eta_i) (the identity for LMMs).
 *
 * Intervals, on the link scale, eta_i -+ z_(1+level)/2 sqrt(v_i), with
 *
 *   v_i = x_i' V x_i                                              confidence, population (Wald)
 *       + sum_j z_ij' C_j[l_ij] z_ij                              confidence, conditional
 *       + sigma^2                                                 prediction (LMM only)
 *
 * V = vcov(beta) (fit.vcov); C_j[l] the conditional covariance of b_j[l] given
 * y (fit.ranef[j].condVar, lme4's condVar), or for a new level the unconditional
 * covariance Sigma_j = sigma^2 T_j T_j' of the random effects (b is then not
 * known at all). The covariance between beta-hat and b-hat is ignored, as in
 * merTools' predictInterval, so conditional intervals are approximate.
 * On the response scale the link-scale bounds are transformed by g^-1
 * (monotone), so they are not symmetric around mu_i.
 *
 * With method 'boot' the bounds are instead percentile intervals of
 * parametric-bootstrap replicates of eta_i (predictBoot.ts; LMMs and GLMMs,
 * mapped by g^-1 on the response scale); the fit is the same.
 *
 * Rows of newdata with a missing value in a variable the prediction needs get
 * NaN (fit and bounds) and a message; they are never dropped, so outputs stay
 * in newdata's row order.
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must, wholeNumber } from '../../api/arguments.js';
import type { FittedModel, MixedModel } from '../../api/fit.js';
import { failureNotes } from '../../diagnostics.js';
import { qnorm, qt } from '../../distributions/index.js';
import { MixedModelsError } from '../../errors.js';
import type { ModelFrame } from '../../frame/types.js';
import { makeLink, type Link } from '../../glm/link.js';
import type { GlmmFit } from '../../glmm/index.js';
import { factorBlocks, lambdaMap, setLambda, type FactorBlock } from '../../lmm/index.js';
import type { RanefGroup } from '../../lmm/types.js';
import { bootstrapSettings } from '../bootstrap/bootstrap.js';
import { linearParts, type LinearKindModel } from './linearParts.js';
import { newFrame, type FrameSource, type NewReTerm } from './newFrame.js';
import { bootPredictIntervals } from './predictBoot.js';

/** A fitted model (it carries the data it was fitted to and its fit options). */
export type PredictableModel = FittedModel;

/**
 * The options of `predict`: scale, population-level or conditional, new levels, interval kind, level and method (analytic or parametric bootstrap).
 */
export interface PredictOptions {
  /** 'link' (linear predictor) or 'response' (default; the same for an LMM). */
  type?: 'link' | 'response';
  /** Fixed effects only (lme4's re.form = NA). Default false. */
  population?: boolean;
  /** Predict levels the fit has not seen with b = 0 instead of failing. Default false. */
  allowNewLevels?: boolean;
  interval?: 'none' | 'confidence' | 'prediction';
  /** Coverage of the intervals, default 0.95. */
  level?: number;
  /** How intervals are computed: 'analytic' (default; see above) or 'boot' (parametric bootstrap, LMMs and GLMMs; predictBoot.ts). */
  method?: 'analytic' | 'boot';
  /** Bootstrap replicates (default 1000). */
  nsim?: number;
  /** Bootstrap seed (default 1). */
  seed?: number;
}

/**
 * `predict`'s result: one fitted value per new row, with interval limits and standard errors when asked, and messages (new levels, bootstrap failures).
 */
export interface Prediction {
  fit: Float64Array;
  lower?: Float64Array;
  upper?: Float64Array;
  /** Standard error on the link scale, sqrt(v_i), or the bootstrap replicates' standard deviation (with intervals only). */
  se?: Float64Array;
  messages: string[];
}

/** What prediction needs from a fitted model, whatever its kind. */
export interface PredictorParts {
  beta: Float64Array;
  /** p x p column-major. */
  vcov: Float64Array;
  /** Conditional modes and variances per factor block (frame order of factorBlocks). */
  ranef: readonly RanefGroup[];
  /** Unconditional k x k covariance per factor block (column-major). */
  blockCov: Float64Array[];
  /** sigma^2 for gaussian responses, null when there is no residual term. */
  residualVariance: number | null;
  link: Link;
  /** Residual df of a t quantile for the intervals (lm, GLMs with an estimated dispersion); null or absent: normal. */
  df?: number | null;
}

/** The rows to predict for: the fit's own rows, or newdata evaluated with the fit's terms. */
export interface PredictDesign {
  n: number;
  X: Float64Array;
  offset: Float64Array | null;
  /** Per factor block: level per row (-1 new or missing) and row-major n x k columns. */
  blocks: { refs: Int32Array; z: Float64Array; k: number; group: string; newLevels: string[] }[];
  missing: Uint8Array | null;
  /** Prior weights w of the rows: a prediction interval's residual variance is sigma^2 / w (null: 1). */
  weights?: Float64Array | null;
}

const predictOptionsSchema = v.strictObject({
  type: v.optional(v.picklist(['link', 'response'], "must be 'link' or 'response'")),
  population: v.optional(v.boolean(must.boolean)),
  allowNewLevels: v.optional(v.boolean(must.boolean)),
  interval: v.optional(v.picklist(['none', 'confidence', 'prediction'], "must be 'none', 'confidence' or 'prediction'")),
  level: v.optional(level),
  method: v.optional(v.picklist(['analytic', 'boot'], "must be 'analytic' or 'boot'")),
  nsim: v.optional(wholeNumber(1)),
  seed: v.optional(wholeNumber(0)),
} satisfies { [K in keyof Required<PredictOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * Predictions of a mixed model for new data (or the fitted rows): with the random effects (or `population: true` without them), on the link or response scale, with confidence or prediction intervals; new levels need `allowNewLevels` and are said in `messages`.
 * @example
 * ```ts
 * predict(m, { Days: [0, 9], Subject: ['308', 'new'] }, { allowNewLevels: true, interval: 'prediction' });
 * // { fit, lower, upper, se, messages }
 * ```
 */
export function predict(model: PredictableModel, newdata?: unknown, options: PredictOptions = {}): Prediction {
  checkModel('predict', model);
  if (newdata === null) throw new MixedModelsError('predict(): newdata must be a table (or left out to predict the fitted rows), not null');
  checkOptions('predict', predictOptionsSchema, options, Object.keys(predictOptionsSchema.entries));
  const o = validate(options);
  if (model.kind === 'lm' || model.kind === 'glm') return predictLinear(model, newdata, o);
  const parts = predictorParts(model);
  const factors = factorBlocks(model.frame.reTerms, model.frame.nobs);
  const design = newdata === undefined
    ? fittedDesign(model.frame, o.population ? [] : factors)
    : newDesign(model, newdata, factors, o.population);
  const messages = checkDesign(design, o);
  if (o.method === 'analytic' || o.interval === 'none') return { ...predictKernel(parts, design, o), messages };
  const { fit } = predictKernel(parts, design, { ...o, type: 'link', interval: 'none' });
  const boot = bootPredictIntervals(model, design, fit, { ...o, interval: o.interval });
  const all = [...messages, ...boot.messages];
  if (o.type === 'link' || model.kind === 'lmm') return { fit, lower: boot.lower, upper: boot.upper, se: boot.se, messages: all };
  // g^-1 is monotone: the bounds' images are the percentiles of the replicates on the response scale.
  const inv = (e: number) => parts.link.linkinv(e);
  const a = boot.lower.map(inv), b = boot.upper.map(inv);
  return { fit: fit.map(inv), lower: a.map((ai, i) => Math.min(ai, b[i])), upper: a.map((ai, i) => Math.max(ai, b[i])), se: boot.se, messages: all };
}

type Validated = Required<PredictOptions>;

/** predict.lm / predict.glm (linearParts.ts): the fixed effects alone, with their intervals. */
function predictLinear(model: LinearKindModel, newdata: unknown, o: Validated): Prediction {
  if (o.method === 'boot' && o.interval !== 'none') {
    throw new MixedModelsError(`bootstrap intervals are for mixed models; ${model.kind === 'lm' ? 'an lm' : 'a GLM'} has analytic ones (leave out method 'boot')`);
  }
  if (o.allowNewLevels) throw new MixedModelsError(`allowNewLevels applies to a mixed model's grouping factors; ${model.kind === 'lm' ? 'an lm' : 'a GLM'} has none`);
  const parts = linearParts(model);
  const fitted = newdata === undefined;
  const design: PredictDesign = fitted ? { ...fittedDesign(model.frame, []), weights: model.frame.weights } : newDesign(model, newdata, [], true);
  // What the fit itself is unsure of (IRLS not converged, separation) holds for its predictions too.
  const messages = [...failureNotes(model.fit), ...checkDesign(design, o)];
  if (parts.aliased.length > 0) {
    messages.push(`the fit is rank-deficient (no estimate for ${parts.aliased.join(', ')}): predictions use the estimable coefficients and may be misleading for rows unlike the fitted ones, as R's predict.lm warns`);
  }
  if (o.interval === 'prediction' && parts.residualVariance !== null) {
    const weighted = model.frame.weights !== null;
    if (fitted) messages.push(`prediction intervals on the fitted rows are for new responses at those rows${weighted ? ', each with residual variance sigma^2 / its weight' : ''} (as R's predict.lm)`);
    const zero = fitted && weighted ? model.frame.weights!.reduce((s, w) => s + (w === 0 ? 1 : 0), 0) : 0;
    if (zero > 0) messages.push(`${zero} fitted row${zero === 1 ? ' has' : 's have'} weight 0: ${zero === 1 ? 'its' : 'their'} prediction intervals are infinite (R: -Inf, Inf; null in JSON)`);
    else if (weighted) messages.push('prediction intervals take weight 1 for the new rows, a constant residual variance sigma^2 though the fit is weighted (as R\'s predict.lm)');
  }
  if (o.interval === 'prediction' && parts.residualVariance === null) {
    throw new MixedModelsError(`prediction intervals need a residual variance on the link's scale: a ${model.kind === 'glm' ? `${model.fit.family}(${model.fit.link}) GLM` : 'model'} has none (use interval 'confidence')`);
  }
  return { ...predictKernel(parts, design, o), messages };
}

function validate(o: PredictOptions): Validated {
  const type = o.type ?? 'response';
  const interval = o.interval ?? 'none';
  const level = o.level ?? 0.95;
  if (type !== 'link' && type !== 'response') throw new MixedModelsError(`type must be 'link' or 'response', not '${type}'`);
  if (!['none', 'confidence', 'prediction'].includes(interval)) throw new MixedModelsError(`interval must be 'none', 'confidence' or 'prediction', not '${interval}'`);
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`level must be between 0 and 1, not ${level}`);
  const method = o.method ?? 'analytic';
  if (method !== 'analytic' && method !== 'boot') throw new MixedModelsError(`method must be 'analytic' or 'boot', not '${method}'`);
  const { nsim, seed } = bootstrapSettings({ nsim: o.nsim, seed: o.seed, level });
  return { type, interval, level, population: o.population ?? false, allowNewLevels: o.allowNewLevels ?? false, method, nsim, seed };
}

/**
 * A model's parts. Both kinds: Sigma_j = sigma^2 T_j T_j' (sigma = 1 for
 * binomial and Poisson GLMMs). LMM: identity link, residual variance sigma^2;
 * GLMM: the family's link, no residual variance.
 */
export function predictorParts(model: MixedModel): PredictorParts {
  if (model.kind !== 'lmm' && model.kind !== 'glmm') throw new MixedModelsError(`predict() needs a mixed model, not a '${(model as { kind: string }).kind}' model`);
  const { fit, frame } = model;
  const factors = factorBlocks(frame.reTerms, frame.nobs);
  const s2 = fit.sigma * fit.sigma;
  return {
    beta: fit.beta,
    vcov: fit.vcov,
    ranef: fit.ranef,
    blockCov: blockCovariances(factors, frame.reTerms.length, fit.theta, s2),
    residualVariance: model.kind === 'lmm' ? s2 : null,
    link: makeLink(model.kind === 'lmm' ? 'identity' : model.fit.link),
  };
}

/** scale T_j T_j' per factor block, T_j from theta. */
export function blockCovariances(factors: readonly FactorBlock[], nterms: number, theta: ArrayLike<number>, scale: number): Float64Array[] {
  const map = lambdaMap(factors, nterms);
  const T = factors.map((f) => new Float64Array(f.k * f.k));
  setLambda(map, theta, T);
  return factors.map((f, j) => {
    const k = f.k, t = T[j], out = new Float64Array(k * k);
    for (let s = 0; s < k; s++) {
      for (let r = 0; r < k; r++) {
        let acc = 0;
        for (let c = 0; c < k; c++) acc += t[r + c * k] * t[s + c * k];
        out[r + s * k] = scale * acc;
      }
    }
    return out;
  });
}

function fittedDesign(frame: ModelFrame, factors: readonly FactorBlock[]): PredictDesign {
  return {
    n: frame.nobs,
    X: frame.X,
    offset: frame.offset,
    blocks: factors.map((f) => ({ refs: f.refs, z: f.z, k: f.k, group: f.group, newLevels: [] })),
    missing: null,
  };
}

function frameSource(model: PredictableModel): FrameSource {
  const o = model.options;
  return { data: model.data, factors: o.factors, contrasts: o.contrasts, reference: o.reference };
}

function newDesign(model: PredictableModel, newdata: unknown, factors: readonly FactorBlock[], population: boolean): PredictDesign {
  const nf = newFrame(model.frame, frameSource(model), newdata, { random: !population });
  return {
    n: nf.n,
    X: nf.X,
    offset: nf.offset,
    blocks: population ? [] : factors.map((f) => mergeTerms(f, nf.reTerms, nf.n)),
    missing: nf.missing,
  };
}

/** A factor block's columns on the new rows: its terms' columns side by side. */
function mergeTerms(f: FactorBlock, terms: readonly NewReTerm[], n: number): PredictDesign['blocks'][number] {
  const first = terms[f.terms[0].term];
  const z = new Float64Array(n * f.k);
  for (const slot of f.terms) {
    const t = terms[slot.term];
    for (let i = 0; i < n; i++) for (let c = 0; c < t.k; c++) z[i * f.k + slot.offset + c] = t.z[i * t.k + c];
  }
  return { refs: first.refs, z, k: f.k, group: f.group, newLevels: first.newLevels };
}

function checkDesign(design: PredictDesign, o: Validated): string[] {
  const messages: string[] = [];
  for (const b of design.blocks) {
    if (b.newLevels.length === 0) continue;
    const list = b.newLevels.map((l) => `'${l}'`).join(', ');
    if (!o.allowNewLevels) {
      throw new MixedModelsError(`newdata has new level${b.newLevels.length === 1 ? '' : 's'} ${list} of grouping factor '${b.group}'; allow new levels to predict them with a zero random effect, or predict for the population`);
    }
    messages.push(`new level${b.newLevels.length === 1 ? '' : 's'} ${list} of '${b.group}' predicted with a zero random effect`);
  }
  const nmiss = design.missing?.reduce((s, v) => s + v, 0) ?? 0;
  if (nmiss > 0) messages.push(`${nmiss} row${nmiss === 1 ? ' has' : 's have'} missing values: ${nmiss === 1 ? 'its prediction is' : 'their predictions are'} missing (NaN; null in JSON, as R's NA)`);
  return messages;
}

/** eta, v (see the module comment) and the transformed fit and bounds. */
function predictKernel(parts: PredictorParts, d: PredictDesign, o: Validated): Omit<Prediction, 'messages'> {
  const { n, X, offset } = d, p = parts.beta.length;
  const withInterval = o.interval !== 'none';
  if (o.interval === 'prediction' && parts.residualVariance === null) {
    throw new MixedModelsError('prediction intervals need a residual variance; this model has none (use interval confidence)');
  }
  const eta = new Float64Array(n), v = new Float64Array(n), x = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    if (d.missing?.[i]) {
      eta[i] = v[i] = NaN;
      continue;
    }
    for (let t = 0; t < p; t++) x[t] = X[i + t * n];
    eta[i] = dot(x, parts.beta) + (offset ? offset[i] : 0);
    if (withInterval) v[i] = quadForm(x, parts.vcov, 0);
    d.blocks.forEach((b, j) => {
      const lev = b.refs[i], k = b.k, z = b.z.subarray(i * k, (i + 1) * k);
      const g = parts.ranef[j];
      if (lev >= 0) eta[i] += dot(z, g.values.subarray(lev * k, (lev + 1) * k));
      if (withInterval) v[i] += lev >= 0 ? quadForm(z, g.condVar, lev * k * k) : quadForm(z, parts.blockCov[j], 0);
    });
    if (o.interval === 'prediction') v[i] += parts.residualVariance! / (d.weights ? d.weights[i] : 1);
  }
  const inv = o.type === 'response' ? (e: number) => parts.link.linkinv(e) : (e: number) => e;
  const fit = eta.map(inv);
  if (!withInterval) return { fit };
  const q = parts.df === null || parts.df === undefined ? qnorm((1 + o.level) / 2) : qt((1 + o.level) / 2, parts.df);
  const se = v.map(Math.sqrt);
  const a = eta.map((e, i) => inv(e - q * se[i])), b = eta.map((e, i) => inv(e + q * se[i]));
  return { fit, lower: a.map((ai, i) => Math.min(ai, b[i])), upper: a.map((ai, i) => Math.max(ai, b[i])), se };
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** z' M z for the k x k column-major M at M[off]. */
function quadForm(z: ArrayLike<number>, M: Float64Array, off: number): number {
  const k = z.length;
  let s = 0;
  for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) s += z[r] * M[off + r + c * k] * z[c];
  return s;
}
