/**
 * The fixed-effects rows of tidy() (broom's tidy.lm/tidy.glm, broom.mixed's
 * tidy.merMod with effects = "fixed"): term, estimate, std.error, statistic,
 * df (linear mixed models with denominator df, as lmerTest), p.value, and
 * with confInt the interval
 *
 *   estimate +- q std.error,  q = qt((1 + level) / 2, df) when the row has
 *   df (lm, lmerTest's Satterthwaite or Kenward-Roger), else qnorm((1 + level) / 2)
 *
 * (broom.mixed's Wald intervals; a glm's with confMethod 'wald'). Mixed models' rows start with effect = "fixed";
 * lm and glm rows have no effect column, as broom's. Aliased coefficients of
 * lm and glm follow with null values, as R's NA rows. Profile intervals of
 * mixed models and GLMs (tidy's confMethod 'profile'; a GLM's default, as
 * broom's tidy.glm takes R's confint) replace the Wald ones when given.
 */
import type { FittedModel } from '../api/fit.js';
import { qnorm, qt } from '../distributions/index.js';
import type { Coefficient } from '../lm/coefficient.js';
import type { ConfidenceInterval } from '../inference/wald.js';
import { finite, type TidyRow } from './rows.js';

function coefficientsOf(m: FittedModel): readonly Coefficient[] {
  return m.kind === 'lmm' ? m.coefficients : m.fit.coefficients;
}

function aliasedOf(m: FittedModel): readonly string[] {
  return m.kind === 'lm' || m.kind === 'glm' ? m.fit.aliased : [];
}

/** The interval's half-width multiplier for a row with `df` (null: normal). */
export function criticalValue(level: number, df: number | null): number {
  const p = (1 + level) / 2;
  return df !== null && Number.isFinite(df) ? qt(p, df) : qnorm(p);
}

/** The rows; `profile` (confint's rows, by parameter name) replaces the Wald intervals. */
export function fixedRows(m: FittedModel, confInt: boolean, level: number, profile: readonly ConfidenceInterval[] | null = null): TidyRow[] {
  const byName = new Map(profile?.map((ci) => [ci.parameter, ci]));
  const mixed = m.kind === 'lmm' || m.kind === 'glmm';
  const cs = coefficientsOf(m);
  const withDf = m.kind === 'lmm' && cs.some((c) => c.df !== null);
  const row = (term: string, c: Coefficient | null): TidyRow => {
    const out: TidyRow = mixed ? { effect: 'fixed', term } : { term };
    out.estimate = finite(c?.estimate);
    out['std.error'] = finite(c?.stdError);
    out.statistic = finite(c?.statistic);
    if (withDf) out.df = finite(c?.df);
    out['p.value'] = finite(c?.pValue);
    const ci = byName.get(term);
    if (confInt && ci !== undefined) {
      out['conf.low'] = finite(ci.lower);
      out['conf.high'] = finite(ci.upper);
    } else if (confInt) {
      const q = c === null ? NaN : criticalValue(level, m.kind === 'glm' ? null : c.df);
      out['conf.low'] = c === null ? null : finite(c.estimate - q * c.stdError);
      out['conf.high'] = c === null ? null : finite(c.estimate + q * c.stdError);
    }
    return out;
  };
  return [...cs.map((c) => row(c.term, c)), ...aliasedOf(m).map((t) => row(t, null))];
}
