/**
 * broom.mixed's tidy(): a fitted model's estimates as plain row objects.
 *
 *   tidy(m)                                  fixed effects (and, for mixed models, ran_pars)
 *   tidy(m, { effects: 'fixed', confInt: true, level: 0.9 })
 *   tidy(m, { effects: 'ran_pars', scales: 'vcov' })
 *   tidy(m, { effects: 'ran_vals' })          conditional modes per level
 *
 * `effects` is one kind or a list of kinds; rows come in the order given.
 * Without `effects`, lm and glm give their coefficients, mixed models
 * ['fixed', 'ran_pars'] (broom.mixed's default). Intervals are Wald
 * (fixed.ts, ranVals.ts); `confMethod: 'profile'` takes the variance
 * parameters' intervals from likelihood profiles (confint.ts), as
 * broom.mixed's conf.method = "profile". A GLM's are its profile intervals
 * unless confMethod is 'wald', as broom's tidy.glm takes R's confint (an lm's:
 * t intervals, R's confint.lm).
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must } from '../api/arguments.js';
import type { FittedModel, MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { confint, type ConfidenceInterval } from '../inference/confint.js';
import { fixedRows } from './fixed.js';
import { ranParsRows, type RanParScale } from './ranPars.js';
import { ranValsRows } from './ranVals.js';
import type { TidyRow } from './rows.js';

/** Which estimates `tidy` returns, as broom.mixed's `effects`: fixed effects, variance parameters, or conditional modes. */
export type TidyEffects = 'fixed' | 'ran_pars' | 'ran_vals';

/** Options of `tidy` (broom.mixed's arguments of the same names). */
export interface TidyOptions {
  /** Which estimates: one kind or a list (default: fixed, plus ran_pars for a mixed model). */
  effects?: TidyEffects | readonly TidyEffects[];
  /** Add conf.low and conf.high (default false). */
  confInt?: boolean;
  /** Their coverage (default 0.95). */
  level?: number;
  /** 'wald' (the default, but for a GLM) or 'profile' (variance parameters of mixed models, a GLM's coefficients: likelihood profiles; a GLM's default). */
  confMethod?: 'wald' | 'profile';
  /** ran_pars on the sd/correlation scale ('sdcor', default) or as variances and covariances ('vcov'). */
  scales?: RanParScale;
}

const EFFECTS: readonly TidyEffects[] = ['fixed', 'ran_pars', 'ran_vals'];
const effect = v.picklist(EFFECTS, `must be one of ${EFFECTS.map((e) => `'${e}'`).join(', ')}`);

const tidyOptionsSchema = v.strictObject({
  effects: v.optional(v.union([effect, v.array(effect, 'must be a kind or a list of kinds')], `must be one of ${EFFECTS.map((e) => `'${e}'`).join(', ')} or a list of them`)),
  confInt: v.optional(v.boolean(must.boolean)),
  level: v.optional(level),
  confMethod: v.optional(v.picklist(['wald', 'profile'], "must be 'wald' or 'profile'")),
  scales: v.optional(v.picklist(['sdcor', 'vcov'], "must be 'sdcor' or 'vcov'")),
} satisfies { [K in keyof Required<TidyOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

function isMixed(m: FittedModel): m is MixedModel {
  return m.kind === 'lmm' || m.kind === 'glmm';
}

function requireMixed(m: FittedModel, kind: TidyEffects): MixedModel {
  if (!isMixed(m)) throw new MixedModelsError(`tidy(): effects '${kind}' needs a mixed model (lmer or glmer); this is a '${m.kind}' model, which has only 'fixed'`);
  return m;
}

/** The model's estimates as rows with broom.mixed's column names (see the module comment). */
export function tidy(model: FittedModel, options: TidyOptions = {}): TidyRow[] {
  checkModel('tidy', model);
  const o = checkOptions('tidy', tidyOptionsSchema, options, Object.keys(tidyOptionsSchema.entries));
  const kinds: readonly TidyEffects[] = o.effects === undefined ? (isMixed(model) ? ['fixed', 'ran_pars'] : ['fixed']) : typeof o.effects === 'string' ? [o.effects] : o.effects;
  const confInt = o.confInt ?? false;
  const lvl = o.level ?? 0.95;
  const profile = confInt && (o.confMethod ?? (model.kind === 'glm' ? 'profile' : 'wald')) === 'profile' ? profileIntervals(model, lvl) : null;
  return aligned(kinds.flatMap((kind) => {
    if (kind === 'fixed') return fixedRows(model, confInt, lvl, profile);
    const m = requireMixed(model, kind);
    if (kind === 'ran_vals') return ranValsRows(m, confInt, lvl);
    return ranParsRows(m, o.scales ?? 'sdcor', profile, confInt);
  }));
}

/** broom.mixed's column order, for the columns present. */
const ORDER = ['effect', 'group', 'level', 'term', 'estimate', 'std.error', 'statistic', 'df', 'p.value', 'conf.low', 'conf.high'];

/** Rows of several kinds with the same columns, in broom.mixed's order; a column a row lacks is null (R's NA). */
function aligned(rows: TidyRow[]): TidyRow[] {
  const present = new Set(rows.flatMap((r) => Object.keys(r)));
  const names = ORDER.filter((n) => present.has(n));
  return rows.map((r) => Object.fromEntries(names.map((n) => [n, r[n] ?? null])));
}

function profileIntervals(m: FittedModel, level: number): ConfidenceInterval[] {
  if (m.kind === 'lm') throw new MixedModelsError("tidy(): confMethod 'profile' has no meaning for an lm (R has no profile of one); its intervals are confint.lm's t intervals, tidy's default");
  return confint(m, { method: 'profile', level });
}
