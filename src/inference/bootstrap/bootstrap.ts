/**
 * Parametric bootstrap of a mixed model (lme4's bootMer with
 * confint(m, method = "boot")): simulate a response from the fit (simulate.ts,
 * new random effects each time: LMM, or GLMM of any family the engine fits,
 * drawn from its family with its prior weights, trials and offsets), refit
 * (bootRefit.ts for LMMs, glmmRefit.ts for GLMMs, each from the fitted
 * estimates), collect the parameters, and take percentile intervals.
 *
 * Refits that fail leave a row of NaN, are left out of the intervals and
 * counted in `failed`; refits whose optimiser or checks report a problem
 * are kept (as bootMer keeps them) and counted in `warned`. Both are said
 * in `messages`, as bootMer's warnings.
 *
 * When an estimate falls outside its own percentile interval the refits are
 * biased (as for the random-effect sd of Gamma GLMMs under lme4's Laplace
 * criterion, about 30% low on sleepstudy): a message says so.
 *
 * GLMMs with a dispersion (Gamma, inverse.gaussian) report sd = sigma
 * theta (VarCorr's sds) and sigma. lme4 1.1-31 differs there: its bootFun
 * reports theta itself for those sds, and its simulate draws Gamma responses
 * with shape sigma and inverse Gaussian ones with shape 1/sigma (not
 * 1/sigma^2, simulate.ts), so its intervals for these families do not
 * describe the fitted model.
 *
 * Replicate r draws from its own stream, createRandom(streamSeed(seed, r)), and
 * every refit starts from the original estimates, so replicate r is the same
 * number whether it runs alone, in order, or on another thread
 * (src/node/bootstrapWorkers.ts splits `bootstrapReplicates` ranges).
 *
 * Percentile interval (boot.ci type "perc", as lme4 uses): with the R finite
 * replicates sorted, t_(1) <= ... <= t_(R), the endpoint for tail alpha is the
 * order statistic at rank (R + 1) alpha; a fractional rank k + f interpolates
 * between t_(k) and t_(k+1) on the normal scale:
 *   t_(k) + (qnorm(alpha) - qnorm(k/(R+1))) / (qnorm((k+1)/(R+1)) - qnorm(k/(R+1))) (t_(k+1) - t_(k)),
 * and ranks below 1 or above R use the extreme replicate.
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must, wholeNumber } from '../../api/arguments.js';
import type { MixedModel } from '../../api/fit.js';
import { qnorm } from '../../distributions/index.js';
import { MixedModelsError } from '../../errors.js';
import { bootstrapNames, hasSigma, lmmRefitter, parameterVector, type Refit } from './bootRefit.js';
import { glmmRefitter } from './glmmRefit.js';
import { checkIntervalReplicates, checkMemory, checkTime } from './limits.js';
import { createRandom, streamSeed } from './random.js';
import { glmmSimulator, lmmSimulator, type Simulator } from './simulate.js';

export interface BootstrapOptions {
  /** Number of replicates (default 1000). */
  nsim?: number;
  /** Seed (default 1). */
  seed?: number;
  /** Coverage of the intervals (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  param: string;
  estimate: number;
  lower: number;
  upper: number;
}

export interface BootstrapResult {
  /** Parameter names (lme4's): sd_/cor_ per term, sigma (LMMs, GLMMs with a dispersion), fixed effects. */
  names: string[];
  estimates: Float64Array;
  nsim: number;
  /** Row-major nsim x names.length: replicate r's parameters at r * names.length. */
  replicates: Float64Array;
  /** Replicates whose refit failed (NaN rows). */
  failed: number;
  /** Replicates kept although their refit reported a convergence problem. */
  warned: number;
  intervals: BootstrapInterval[];
  /** What to know about the replicates (failures, warnings), as bootMer's warnings. */
  messages: string[];
}

/** Values per replicate in `bootstrapReplicates`' rows: the parameters and a status (0 ok, 1 warned, NaN failed). */
export function replicateWidth(model: MixedModel): number {
  return bootstrapNames(model).length + 1;
}

/** The simulator and the refit (parameters, status) of a model. */
function bootWorld(model: MixedModel): { simulate: Simulator; refit: (y: Float64Array, out: Float64Array) => void } {
  const np = bootstrapNames(model).length;
  if (model.kind === 'lmm') {
    const refit: Refit = lmmRefitter(model);
    return {
      simulate: lmmSimulator(model, true),
      refit: (y, out) => {
        refit(y, out.subarray(0, np));
        out[np] = Number.isNaN(out[0]) && out.subarray(0, np).every(Number.isNaN) ? NaN : 0;
      },
    };
  }
  const refit = glmmRefitter(model), sigma = hasSigma(model);
  return {
    simulate: glmmSimulator(model, true),
    refit: (y, out) => {
      const r = refit(y);
      if (r === null) {
        out.fill(NaN);
        return;
      }
      parameterVector(r.fit.varCorr, sigma ? r.fit.sigma : null, r.fit.beta, out);
      out[np] = r.warning ? 1 : 0;
    },
  };
}

/**
 * Rows of replicates from .. to-1 (row-major, `replicateWidth` values each:
 * the parameters, then the status), optionally reporting each finished replicate.
 */
export function bootstrapReplicates(model: MixedModel, seed: number, from: number, to: number, onReplicate?: (done: number) => void): Float64Array {
  return bootstrapRunner(model, seed)(from, to, onReplicate);
}

/**
 * bootstrapReplicates for any range, with the refitting problem built once for
 * all of them (callers that run the replicates in several pieces).
 */
export function bootstrapRunner(model: MixedModel, seed: number): (from: number, to: number, onReplicate?: (done: number) => void) => Float64Array {
  requireMixed(model);
  const width = replicateWidth(model);
  const { simulate, refit } = bootWorld(model);
  const y = new Float64Array(model.frame.nobs);
  return (from, to, onReplicate) => {
    const out = new Float64Array((to - from) * width);
    for (let r = from; r < to; r++) {
      simulate(createRandom(streamSeed(seed, r)), y);
      refit(y, out.subarray((r - from) * width, (r - from + 1) * width));
      onReplicate?.(r - from + 1);
    }
    return out;
  };
}

/** The whole bootstrap in this thread. */
const bootstrapOptionsSchema = v.strictObject({
  nsim: v.optional(wholeNumber(1)),
  seed: v.optional(wholeNumber(0)),
  level: v.optional(level),
} satisfies { [K in keyof Required<BootstrapOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * Parametric bootstrap of a linear or generalized linear mixed model (lme4's `bootMer`): `nsim` responses simulated from the fit, each refitted; the replicates of the fixed effects and variance parameters.
 * @example
 * ```ts
 * const boot = bootstrap(m, { nsim: 500, seed: 42 });
 * ```
 */
export function bootstrap(model: MixedModel, options: BootstrapOptions = {}): BootstrapResult {
  checkModel('bootstrap', model, ['lmm', 'glmm']);
  checkOptions('bootstrap', bootstrapOptionsSchema, options, Object.keys(bootstrapOptionsSchema.entries));
  const { nsim, seed, level } = bootstrapSettings(options);
  checkBootstrapRun('bootstrap()', model, nsim, level);
  return bootstrapResult(model, bootstrapReplicates(model, seed, 0, nsim), nsim, level);
}

export function bootstrapSettings(options: BootstrapOptions): Required<BootstrapOptions> {
  const nsim = options.nsim ?? 1000, seed = options.seed ?? 1, level = options.level ?? 0.95;
  if (!Number.isInteger(nsim) || nsim < 1) throw new MixedModelsError(`nsim must be a positive whole number, not ${nsim}`);
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`level must be between 0 and 1, not ${level}`);
  streamSeed(seed, 0);
  return { nsim, seed, level };
}

/** Refuses, before any refit, a bootstrap that cannot give intervals or cannot finish (limits.ts). */
export function checkBootstrapRun(what: string, model: MixedModel, nsim: number, level: number): void {
  checkIntervalReplicates(what, nsim, level);
  checkMemory(what, nsim, bootstrapNames(model).length);
  checkTime(what, nsim, model.fit.optsummary?.seconds ?? 0);
}

/** Names, estimates, failures and percentile intervals from the rows of `bootstrapReplicates`. */
export function bootstrapResult(model: MixedModel, rows: Float64Array, nsim: number, level: number): BootstrapResult {
  const names = bootstrapNames(model);
  const np = names.length, width = np + 1;
  const estimates = parameterVector(model.fit.varCorr, hasSigma(model) ? model.fit.sigma : null, model.fit.beta, new Float64Array(np));
  const replicates = new Float64Array(nsim * np);
  let failed = 0, warned = 0;
  for (let r = 0; r < nsim; r++) {
    replicates.set(rows.subarray(r * width, r * width + np), r * np);
    const status = rows[r * width + np];
    if (Number.isNaN(status)) failed++;
    else if (status === 1) warned++;
  }
  if (failed === nsim) throw new MixedModelsError(`all ${nsim} bootstrap refits failed: no intervals can be given`);
  const intervals = names.map((param, e) => {
    const column = Float64Array.from({ length: nsim }, (_, r) => replicates[r * np + e]);
    const [lower, upper] = percentileInterval(column, level);
    return { param, estimate: estimates[e], lower, upper };
  });
  const outside = intervals.filter((iv) => Number.isFinite(iv.estimate) && (iv.estimate < iv.lower || iv.estimate > iv.upper));
  const messages = replicateMessages(nsim, failed, warned);
  if (outside.length > 0) {
    messages.push(
      `the estimate lies outside its own bootstrap interval for ${outside.map((iv) => iv.param).join(', ')}: refits of data simulated from the fit ` +
        'are biased there (the estimator, or the approximation it rests on, does not reproduce the parameter), so these percentile intervals are unreliable',
    );
  }
  return { names, estimates, nsim, replicates, failed, warned, intervals, messages };
}

/** bootMer's warnings, in words. */
export function replicateMessages(nsim: number, failed: number, warned: number): string[] {
  const out: string[] = [];
  if (failed > 0) out.push(`${failed} of ${nsim} bootstrap refits failed (the criterion could not be evaluated); they are left out of the intervals, which rest on ${nsim - failed} replicates`);
  if (warned > 0) out.push(`${warned} of ${nsim} bootstrap refits reported a convergence problem; they are kept, as bootMer keeps them`);
  return out;
}

/** boot's percentile interval (see the module comment) over the finite values; NaN when none. */
export function percentileInterval(values: ArrayLike<number>, level: number): [number, number] {
  const t = Float64Array.from(values).filter(Number.isFinite).sort();
  if (t.length === 0) return [NaN, NaN];
  const alpha = (1 - level) / 2;
  return [orderStatistic(t, alpha), orderStatistic(t, 1 - alpha)];
}

function orderStatistic(t: Float64Array, alpha: number): number {
  const R = t.length, rank = (R + 1) * alpha, k = Math.trunc(rank);
  if (k <= 0) return t[0];
  if (k >= R) return t[R - 1];
  if (k === rank) return t[k - 1];
  const qa = qnorm(alpha), qk = qnorm(k / (R + 1)), qk1 = qnorm((k + 1) / (R + 1));
  return t[k - 1] + ((qa - qk) / (qk1 - qk)) * (t[k] - t[k - 1]);
}

function requireMixed(model: MixedModel): void {
  if (model.kind !== 'lmm' && model.kind !== 'glmm') throw new MixedModelsError(`bootstrap() needs a mixed model, not a '${(model as { kind: string }).kind}' model`);
}
