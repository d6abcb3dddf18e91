/**
 * Confidence intervals for a mixed model's parameters (lme4's confint.merMod),
 * one row per parameter in lme4's order (paramNames.ts) by one of the methods
 * below; an lm's or a GLM's are R's confint.lm, confint.glm and
 * confint.default (confintLinear.ts). A mixed model's methods:
 *
 * - 'profile' (the default, as in lme4): likelihood-profile intervals (profile.ts);
 * - 'wald': beta +- z se for the fixed effects, null for the variance parameters (wald.ts);
 * - 'boot': parametric-bootstrap percentile intervals (bootstrap.ts; LMMs and GLMMs).
 *
 * GLMMs without a dispersion (binomial, Poisson) have no `sigma` row.
 * `confidenceIntervals` also returns messages: bootstrap refits that failed or
 * warned, profile limits that could not be found (NA) and why.
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must, wholeNumber } from '../api/arguments.js';
import type { FittedModel, MixedModel as FittedMixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { bootstrap, type BootstrapResult } from './bootstrap/bootstrap.js';
import { linearIntervals } from './confintLinear.js';
import { profile, type ProfiledModel } from './profile/profile.js';
import type { GlmmModelLike } from './profile/profileGlmm.js';
import { profileInterval, profileIntervalMessages } from './profile/profileInterval.js';
import { waldIntervals, type ConfidenceInterval } from './wald.js';

export type { ConfidenceInterval } from './wald.js';

export type ConfintMethod = 'wald' | 'profile' | 'boot';

/** The options of `confint`: method (`profile`, `wald`, `boot`), level, and for the bootstrap `nsim` and `seed`. */
export interface ConfintOptions {
  /** Default 'profile' (an lm: its t intervals, R's confint.lm). */
  method?: ConfintMethod;
  /** Coverage, default 0.95. */
  level?: number;
  /** 'boot': number of simulations (default 1000). */
  nsim?: number;
  /** 'boot': seed (default 1). */
  seed?: number;
}

const METHODS: readonly ConfintMethod[] = ['wald', 'profile', 'boot'];

type MixedModel = FittedMixedModel | GlmmModelLike;

/** Intervals and what to know about them. */
export interface ConfintReport {
  intervals: ConfidenceInterval[];
  messages: string[];
}

function mixedModel(model: FittedModel | GlmmModelLike): MixedModel {
  if (model.kind !== 'lmm' && model.kind !== 'glmm') throw new MixedModelsError(`confint() needs a mixed model (lmer or glmer), not a '${model.kind}' model`);
  return model;
}

function profileIntervals(model: ProfiledModel, level: number): ConfintReport {
  const { traces, messages } = profile(model, { level });
  return {
    intervals: traces.map((t) => ({ parameter: t.parameter, ...profileInterval(t, level) })),
    messages: [...messages, ...traces.flatMap((t) => profileIntervalMessages(t, level))],
  };
}

/** Interval rows and messages from a bootstrap (also for the CLI's parallel run). */
export function bootReport(result: BootstrapResult): ConfintReport {
  const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    intervals: result.intervals.map((r) => ({ parameter: r.param, lower: finite(r.lower), upper: finite(r.upper) })),
    messages: result.messages,
  };
}

/** Confidence intervals: one row per parameter (see the module comment). */
const confintOptionsSchema = v.strictObject({
  method: v.optional(v.picklist(METHODS, `must be one of ${METHODS.join(', ')}`)),
  level: v.optional(level),
  nsim: v.optional(wholeNumber(1)),
  seed: v.optional(wholeNumber(0)),
} satisfies { [K in keyof Required<ConfintOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * Confidence intervals of a model's parameters with lme4's names (`sd_(Intercept)|Subject`, `sigma`, fixed effects): profile likelihood, Wald or parametric bootstrap.
 * @example
 * ```ts
 * confint(m, { method: 'profile', level: 0.95 }); // [{ parameter, lower, upper }]
 * ```
 */
export function confint(model: FittedModel | GlmmModelLike, options: ConfintOptions = {}): ConfidenceInterval[] {
  return confidenceIntervals(model, options).intervals;
}

/** Confidence intervals with messages (see the module comment). */
export function confidenceIntervals(model: FittedModel | GlmmModelLike, options: ConfintOptions = {}): ConfintReport {
  checkModel('confint', model as FittedModel);
  checkOptions('confint', confintOptionsSchema, options, Object.keys(confintOptionsSchema.entries));
  const method = options.method ?? 'profile';
  const level = options.level ?? 0.95;
  if (!METHODS.includes(method)) throw new MixedModelsError(`method must be one of ${METHODS.join(', ')}, not '${method}'`);
  if (!(level > 0 && level < 1)) throw new MixedModelsError(`level must be between 0 and 1, not ${level}`);
  if (model.kind === 'lm' || model.kind === 'glm') return linearIntervals(model, options.method, level);
  const m = mixedModel(model);
  if (method === 'wald') return { intervals: waldIntervals(m.fit, m.kind === 'lmm' || (m.fit.family !== 'binomial' && m.fit.family !== 'poisson'), level), messages: [] };
  if (method === 'boot') return bootReport(bootstrap(m as FittedMixedModel, { nsim: options.nsim, seed: options.seed, level }));
  return profileIntervals(m, level);
}
