/**
 * Likelihood-ratio tests between nested models (lm, glm, LMM, GLMM), as lme4's
 * anova(m0, m1, ...) (a glm against a GLMM as anova(glmer, glm); both
 * log-likelihoods keep the family's constants, so they compare): REML fits
 * are refitted by maximum likelihood (REML criteria of models with different
 * fixed effects are not comparable), the models are ordered by
 * their number of parameters, and each is tested against the one before it:
 *
 *   chisq_i = 2 max(0, logLik_i - logLik_{i-1}),  df_i = npar_i - npar_{i-1},
 *   p_i = P(chi^2_{df_i} > chisq_i)   (upper tail, accurate for tiny p)
 *
 * AIC = -2 logLik + 2 npar, BIC = -2 logLik + npar log(n), deviance = -2 logLik.
 * Nesting is checked loosely: the models must share the response and the data
 * rows (an error otherwise); when a smaller model's fixed-effects columns or
 * random-effects columns per grouping factor are not among the larger one's,
 * a message says the test may not be valid.
 */
import { checkModel, describeValue } from '../api/arguments.js';
import type { FittedModel } from '../api/fit.js';
import { pchisqUpper } from '../distributions/index.js';
import { MixedModelsError } from '../errors.js';
import { fitLmm } from '../lmm/index.js';

export interface ComparedModel {
  /** Position in the models given (rows are ordered by npar). */
  index: number;
  formula: string;
  npar: number;
  AIC: number;
  BIC: number;
  logLik: number;
  deviance: number;
  /** Against the previous row; NaN for the first. */
  chisq: number;
  df: number;
  pValue: number;
}

export interface Comparison {
  /** Ordered by npar. */
  models: ComparedModel[];
  /** The last row's test (the only one for two models). */
  chisq: number;
  df: number;
  pValue: number;
  /** True when REML fits were refitted by ML. */
  refitted: boolean;
  messages: string[];
}

interface Likelihood {
  formula: string;
  npar: number;
  logLik: number;
  nobs: number;
}

/**
 * Likelihood-ratio tests of nested models fitted to the same data (R's `anova(m0, m1)`): REML fits are refitted by ML first (said in `messages`); rows sorted by number of parameters, with AIC, BIC, logLik, deviance, chi-square, df and p.
 * @example
 * ```ts
 * const test = compareModels([lmer('y ~ x + (1 | g)', d), lmer('y ~ x + (x | g)', d)]);
 * test.pValue;
 * ```
 */
export function compareModels(models: readonly FittedModel[]): Comparison {
  if (!Array.isArray(models)) throw new MixedModelsError(`compareModels() needs an array of fitted models, not ${describeValue(models)}`);
  if (models.length < 2) throw new MixedModelsError('compare needs at least two models');
  for (const m of models) checkModel('compareModels', m);
  checkSameData(models);
  const refitted = models.some((m) => m.kind === 'lmm' && m.fit.REML);
  const rows = models.map(mlLikelihood).map((l, i) => ({ l, i })).sort((a, b) => a.l.npar - b.l.npar || a.i - b.i);
  const table = rows.map(({ l, i }, r): ComparedModel => {
    const prev = r > 0 ? rows[r - 1].l : null;
    const chisq = prev ? 2 * Math.max(0, l.logLik - prev.logLik) : NaN;
    const df = prev ? l.npar - prev.npar : NaN;
    return {
      index: i,
      formula: l.formula,
      npar: l.npar,
      AIC: -2 * l.logLik + 2 * l.npar,
      BIC: -2 * l.logLik + l.npar * Math.log(l.nobs),
      logLik: l.logLik,
      deviance: -2 * l.logLik,
      chisq,
      df,
      pValue: prev && df > 0 ? pchisqUpper(chisq, df) : NaN,
    };
  });
  const last = table[table.length - 1];
  const messages = nestingMessages(rows.map(({ i }) => models[i]));
  if (refitted) messages.unshift('refitting model(s) with ML (instead of REML)');
  const estimated = models.filter((m) => m.kind === 'lm' || (m.kind === 'glm' && m.fit.estimatedDispersion));
  if (estimated.length === models.length) {
    messages.push(
      'the test is the likelihood-ratio test of the maximised log-likelihoods (lme4\'s anova); R\'s anova(m0, m1) of ' +
        (models.every((m) => m.kind === 'lm') ? 'linear models is an F test on the residual sums of squares' : 'GLMs with an estimated dispersion scales the deviance by the dispersion') +
        ', whose p-value differs',
    );
  }
  return { models: table, chisq: last.chisq, df: last.df, pValue: last.pValue, refitted, messages };
}

function checkSameData(models: readonly FittedModel[]): void {
  const first = models[0].frame;
  for (const m of models.slice(1)) {
    const f = m.frame;
    if (f.responseName !== first.responseName) {
      throw new MixedModelsError(`models with different responses cannot be compared: '${first.responseName}' and '${f.responseName}'`);
    }
    if (f.nobs !== first.nobs || f.rows.some((r, i) => r !== first.rows[i])) {
      throw new MixedModelsError(`models were fitted to different rows (${first.nobs} and ${f.nobs} observations): missing values in a variable only one model uses drop rows from it`);
    }
  }
}

/** The maximised log-likelihood (refitting a REML fit by ML). */
function mlLikelihood(m: FittedModel): Likelihood {
  if (m.kind === 'lm' || m.kind === 'glm') return { formula: m.formula, npar: m.fit.df, logLik: m.fit.logLik, nobs: m.fit.nobs };
  if (m.kind === 'glmm') return { formula: m.formula, npar: m.fit.npar, logLik: m.fit.logLik, nobs: m.fit.nobs };
  const fit = m.fit.REML ? fitLmm(m.frame, { REML: false }) : m.fit;
  return { formula: m.formula, npar: fit.npar, logLik: fit.logLik, nobs: fit.nobs };
}

/** Random-effects columns per grouping factor. */
function randomColumns(m: FittedModel): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of m.frame.reTerms) {
    const s = out.get(t.group) ?? new Set<string>();
    t.cnames.forEach((c) => s.add(c));
    out.set(t.group, s);
  }
  return out;
}

function nestingMessages(ordered: readonly FittedModel[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < ordered.length; i++) {
    const small = ordered[i - 1], big = ordered[i];
    const fixed = small.frame.colnames.every((c) => big.frame.colnames.includes(c));
    const rs = randomColumns(small), rb = randomColumns(big);
    const random = [...rs].every(([g, cols]) => [...cols].every((c) => rb.get(g)?.has(c)));
    if (!fixed || !random) out.push(`'${small.formula}' does not look nested in '${big.formula}': the likelihood-ratio test may not be valid`);
  }
  return out;
}
