/**
 * Parametric bootstrap of a linear mixed model (lme4's bootMer with
 * confint(m, method = "boot")): simulate a response from the fit (simulate.ts,
 * new random effects each time), refit (bootRefit.ts), collect the parameters,
 * and take percentile intervals.
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
import type { LinearMixedModel } from '../../api/fit.js';
import { qnorm } from '../../distributions/index.js';
import { MixedModelsError } from '../../errors.js';
import { bootstrapNames, lmmRefitter, parameterVector } from './bootRefit.js';
import { checkIntervalReplicates, checkMemory, checkTime } from './limits.js';
import { createRandom, streamSeed } from './random.js';
import { lmmSimulator } from './simulate.js';

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
  /** Parameter names (lme4's): sd_/cor_ per term, sigma, fixed effects. */
  names: string[];
  estimates: Float64Array;
  nsim: number;
  /** Row-major nsim x names.length: replicate r's parameters at r * names.length. */
  replicates: Float64Array;
  /** Replicates whose refit failed (NaN rows). */
  failed: number;
  intervals: BootstrapInterval[];
}

/** Parameters of replicates from .. to-1 (row-major), optionally reporting each finished replicate. */
export function bootstrapReplicates(model: LinearMixedModel, seed: number, from: number, to: number, onReplicate?: (done: number) => void): Float64Array {
  requireLmm(model);
  const np = bootstrapNames(model).length;
  const simulate = lmmSimulator(model, true);
  const refit = lmmRefitter(model);
  const y = new Float64Array(model.frame.nobs);
  const out = new Float64Array((to - from) * np);
  for (let r = from; r < to; r++) {
    simulate(createRandom(streamSeed(seed, r)), y);
    refit(y, out.subarray((r - from) * np, (r - from + 1) * np));
    onReplicate?.(r - from + 1);
  }
  return out;
}

/** The whole bootstrap in this thread. */
const bootstrapOptionsSchema = v.strictObject({
  nsim: v.optional(wholeNumber(1)),
  seed: v.optional(wholeNumber(0)),
  level: v.optional(level),
} satisfies { [K in keyof Required<BootstrapOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * Parametric bootstrap of a linear mixed model (lme4's `bootMer`): `nsim` responses simulated from the fit, each refitted; the replicates of the fixed effects and variance parameters.
 * @example
 * ```ts
 * const boot = bootstrap(m, { nsim: 500, seed: 42 });
 * ```
 */
export function bootstrap(model: LinearMixedModel, options: BootstrapOptions = {}): BootstrapResult {
  checkModel('bootstrap', model, ['lmm']);
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
export function checkBootstrapRun(what: string, model: LinearMixedModel, nsim: number, level: number): void {
  checkIntervalReplicates(what, nsim, level);
  checkMemory(what, nsim, bootstrapNames(model).length);
  checkTime(what, nsim, model.fit.optsummary?.seconds ?? 0);
}

/** Names, estimates, failures and percentile intervals from the replicates. */
export function bootstrapResult(model: LinearMixedModel, replicates: Float64Array, nsim: number, level: number): BootstrapResult {
  const names = bootstrapNames(model);
  const np = names.length;
  const estimates = parameterVector(model.fit.varCorr, model.fit.beta, new Float64Array(np));
  let failed = 0;
  for (let r = 0; r < nsim; r++) if (replicates.subarray(r * np, (r + 1) * np).every(Number.isNaN)) failed++;
  const intervals = names.map((param, e) => {
    const column = Float64Array.from({ length: nsim }, (_, r) => replicates[r * np + e]);
    const [lower, upper] = percentileInterval(column, level);
    return { param, estimate: estimates[e], lower, upper };
  });
  return { names, estimates, nsim, replicates, failed, intervals };
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

function requireLmm(model: LinearMixedModel): void {
  if (model.kind !== 'lmm') throw new MixedModelsError(`bootstrap() needs a linear mixed model, not a '${(model as { kind: string }).kind}' model`);
}
