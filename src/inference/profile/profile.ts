/**
 * Likelihood profiles of a mixed model's parameters (lme4's profile.merMod;
 * Bates et al. 2015, section 5): for each parameter, zeta(v) = sign(v - v-hat)
 * sqrt(D_v - D_min) on both sides of the estimate, D_v the deviance minimised
 * with the parameter fixed at v. Variance parameters are on lme4's "sdcor"
 * scale (standard deviations and correlations, then sigma), then the fixed
 * effects. How each is traced: profileTrace.ts; the LMM's deviance with one
 * parameter fixed: profileDeviance.ts and profileLmm.ts; the GLMM's:
 * profileGlmm.ts; intervals from a profile: profileInterval.ts.
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must } from '../../api/arguments.js';
import type { LinearMixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { profileCutoff } from './profileInterval.js';
import { glmmProfiler, type GlmmModelLike } from './profileGlmm.js';
import { lmmProfiler } from './profileLmm.js';
import { parameterIndex, sortPoints, traceSide, type Profiler } from './profileTrace.js';

/** One parameter's profile: zeta at increasing values. */
export interface ProfileTrace {
  /** lme4's name (paramNames.ts). */
  parameter: string;
  /** The estimate the profile is centred on (zeta 0). */
  estimate: number;
  /** Values of the parameter, increasing. */
  value: Float64Array;
  /** zeta at each value (increasing with it, up to the inner optimiser's accuracy). */
  zeta: Float64Array;
  /** The parameter's range (0 for an sd, -1 and 1 for a correlation). */
  lower: number;
  upper: number;
}

export interface ProfileOptions {
  /** Parameters to profile, by name (default all). */
  which?: readonly string[];
  /**
   * Each side is traced until |zeta| exceeds sqrt(qchisq(level, 1)) (default
   * 0.95), and the crossing of that level is located exactly, so intervals at
   * this level are exact and at lower levels interpolated.
   */
  level?: number;
}

/** `profile`'s result: one trace per parameter (values and signed root deviances) and the level they reach. */
export interface ModelProfile {
  /** The level the traces reach. */
  level: number;
  traces: ProfileTrace[];
  /** Why some parameters have no trace (beside those without an estimate). */
  messages: string[];
}

/** The models that can be profiled. */
export type ProfiledModel = LinearMixedModel | GlmmModelLike;

function profiler(model: ProfiledModel, cutoff: number): Profiler {
  if (model.kind === 'lmm') return lmmProfiler(model, cutoff);
  if (model.kind === 'glmm') return glmmProfiler(model, cutoff);
  throw new MixedModelsError(`profiles need a mixed model (lmer or glmer), not a '${(model as { kind: string }).kind}' model`);
}

/** A parameter without an estimate (a correlation of a zero sd) has an empty trace, so no interval. */
function trace(pf: Profiler, i: number, cutoff: number): ProfileTrace {
  const traced = Number.isFinite(pf.estimates[i]) && pf.untraced?.[i] !== true;
  const pts = traced ? sortPoints([...traceSide(pf, i, -1, cutoff), ...traceSide(pf, i, 1, cutoff)]) : [];
  return {
    parameter: pf.names[i],
    estimate: pf.estimates[i],
    value: Float64Array.from(pts, (p) => p.value),
    zeta: Float64Array.from(pts, (p) => p.zeta),
    lower: pf.lower[i],
    upper: pf.upper[i],
  };
}

/** Profiles of the model's parameters, in lme4's order. */
const profileOptionsSchema = v.strictObject({
  level: v.optional(level),
  which: v.optional(v.array(v.string(must.string), 'must be an array of parameter names')),
} satisfies { [K in keyof Required<ProfileOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

/**
 * The profile likelihood of a mixed model (lme4's `profile`): for each parameter, the signed square root of the likelihood-ratio statistic along a path of refits, as far as `level` needs.
 * @example
 * ```ts
 * const p = profile(m, { level: 0.99 });
 * p.traces.map((t) => t.parameter);
 * ```
 */
export function profile(model: ProfiledModel, options: ProfileOptions = {}): ModelProfile {
  checkModel('profile', model as LinearMixedModel, ['lmm', 'glmm']);
  checkOptions('profile', profileOptionsSchema, options, Object.keys(profileOptionsSchema.entries));
  const level = options.level ?? 0.95;
  const cutoff = profileCutoff(level);
  const pf = profiler(model, cutoff);
  const which = options.which ? options.which.map((name) => parameterIndex(pf, name)) : pf.names.map((_, i) => i);
  return { level, traces: which.map((i) => trace(pf, i, cutoff)), messages: [...(pf.messages ?? [])] };
}
