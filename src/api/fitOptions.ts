/**
 * The options of the fitting functions (lm, glm, lmer, glmer, fitModel) and
 * their schema. Every option must be listed in the schema (the type check
 * below enforces it): an unknown key is an error, not silently ignored.
 */
import * as v from 'valibot';
import { checkOptions, must, wholeNumber } from './arguments.js';
import { MixedModelsError } from '../errors.js';
import type { DdfOption } from './coefficients.js';
import { CONTRAST_KINDS, type ContrastsOption } from '../frame/contrasts.js';

/**
 * The options of `lm`, `glm`, `lmer`, `glmer` and `fitModel`; an unknown key or a value of the wrong type is a MixedModelsError.
 * @example
 * ```ts
 * lmer('Reaction ~ Days + (Days | Subject)', data, { factors: ['Subject'], REML: false, ddf: 'kenward-roger' });
 * ```
 */
export interface FitOptions {
  /** Numeric columns to treat as categorical. */
  factors?: readonly string[];
  /** GLM/GLMM family; absent means lm (no bars) or a gaussian LMM (bars). */
  family?: string;
  link?: string;
  /** Prior weights: a column name or one number per row. */
  weights?: string | ArrayLike<number>;
  /** LMMs: REML (default true) or ML. */
  REML?: boolean;
  /** GLMMs: 0 (PIRLS only), 1 (Laplace, default) or more adaptive Gauss-Hermite points. */
  nAGQ?: number;
  /**
   * Contrasts of categorical variables: a kind per variable (`{ style: 'sum' }`) or one
   * kind for all ('treatment' (default), 'sum', 'helmert', 'poly'), as R's contrasts.
   */
  contrasts?: ContrastsOption;
  /** Reference (first) level per categorical column. */
  reference?: Record<string, string>;
  /**
   * LMMs: denominator df of the coefficients' t tests. 'satterthwaite' always
   * computes them (lmerTest); 'kenward-roger' uses pbkrtest's adjusted
   * covariance and df; 'none' leaves df and p-values empty (lme4); 'auto'
   * (default) is Satterthwaite, or no df (with a message) where they cannot be computed.
   */
  ddf?: DdfOption;
  /**
   * Negative binomial family only: its theta (size), held fixed (and not
   * counted as a parameter). Absent: estimated by maximum likelihood, as
   * MASS's glm.nb (no bars) or lme4's glmer.nb (bars).
   */
  nbTheta?: number;
  /**
   * GLMMs fitted with lme4's Laplace criterion (the default up to 100000 rows
   * for one scalar term, non-canonical links or vector terms): 'lme4'
   * (default) follows lme4's own optimiser path, so that the estimates are
   * lme4's (its Nelder-Mead stops about 1e-5 short of the optimum); 'bobyqa'
   * optimises the same criterion to its optimum.
   */
  optimizer?: 'lme4' | 'bobyqa';
}

const weightValues = v.union(
  [
    v.string(),
    v.array(v.nullish(v.number()), 'must hold numbers (null for a missing weight)'),
    v.custom<ArrayLike<number>>((x) => ArrayBuffer.isView(x) && !(x instanceof DataView)),
  ],
  'must be a column name or an array of one number per row',
);

const contrastKindSchema = v.picklist(CONTRAST_KINDS, `must be one of ${CONTRAST_KINDS.map((k) => `'${k}'`).join(', ')}`);

const familyName = v.string("must be a family name such as 'binomial' (give a link as options.link)");

/**
 * The schema of each option (exported for the saved-model schema, which narrows `weights`).
 * @internal (left out of the published type declarations, which then need no valibot)
 */
export const fitOptionEntries = {
  factors: v.optional(v.array(v.string(must.strings), must.strings)),
  family: v.optional(familyName),
  link: v.optional(v.string("must be a link name such as 'logit'")),
  weights: v.optional(weightValues),
  REML: v.optional(v.boolean(must.boolean)),
  nAGQ: v.optional(wholeNumber(0)),
  contrasts: v.optional(v.union([contrastKindSchema, v.record(v.string(), contrastKindSchema, must.object)], `must be a contrasts kind (${CONTRAST_KINDS.join(', ')}) or an object of kinds per variable`)),
  reference: v.optional(v.record(v.string(), v.string('must be a level name (a string)'), must.object)),
  ddf: v.optional(v.picklist(['auto', 'satterthwaite', 'kenward-roger', 'none'], "must be 'auto', 'satterthwaite', 'kenward-roger' or 'none'")),
  optimizer: v.optional(v.picklist(['lme4', 'bobyqa'], "must be 'lme4' or 'bobyqa'")),
  nbTheta: v.optional(v.pipe(v.number('must be a positive number (the negative binomial theta)'), v.check((x) => x > 0 && Number.isFinite(x), 'must be a positive finite number (the negative binomial theta)'))),
} satisfies { [K in keyof Required<FitOptions>]: v.GenericSchema<unknown, unknown> };

/** The schema of FitOptions (unknown keys refused). @internal */
export const fitOptionsSchema = v.strictObject(fitOptionEntries, 'must be an object of options');

const KNOWN = Object.keys(fitOptionEntries);

/** `options` as FitOptions, or a MixedModelsError naming the bad field. */
export function checkFitOptions(fn: string, options: unknown): FitOptions {
  checkOptions(fn, fitOptionsSchema, options, KNOWN);
  const checked = (options ?? {}) as FitOptions;
  // nbTheta is the negative binomial's: for any other family it would be silently ignored.
  if (checked.nbTheta !== undefined && checked.family !== 'negative.binomial') {
    throw new MixedModelsError(`${fn}(): nbTheta (--nb-theta) is the negative binomial family's theta; give family 'negative.binomial' or leave it out`);
  }
  return checked;
}
