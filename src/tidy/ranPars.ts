/**
 * The variance-parameter rows of tidy() (broom.mixed's effects = "ran_pars"):
 * per random-effects term (lme4's order), for each column i its standard
 * deviation `sd__<i>` followed by its correlations with the later columns
 * `cor__<i>.<j>` (j > i), then the residual `sd__Observation` in group
 * `Residual` for models with a scale. With scales = 'vcov' the same rows hold
 * variances and covariances (`var__`, `cov__`), as broom.mixed's
 * scales = "vcov".
 *
 * Intervals: Wald gives none (null, as broom.mixed's NA); with profile
 * intervals (confint.ts, method 'profile') each row gets its interval, matched
 * by position: confint lists each term's lower triangle by columns, then sigma.
 */
import type { MixedModel } from '../api/fit.js';
import type { ConfidenceInterval } from '../inference/wald.js';
import type { VarCorr } from '../lmm/varCorr.js';
import { finite, type TidyRow } from './rows.js';

export type RanParScale = 'sdcor' | 'vcov';

/** Families whose scale is fixed at 1 have no residual row. */
export function hasResidual(m: MixedModel): boolean {
  return m.kind === 'lmm' || (m.fit.family !== 'binomial' && m.fit.family !== 'poisson');
}

interface Slot {
  group: string;
  term: string;
  estimate: number;
  /** Position of the parameter in confint's rows. */
  index: number;
}

function termSlots(vc: VarCorr, scale: RanParScale): Slot[] {
  const slots: Slot[] = [];
  let base = 0;
  for (const t of vc.terms) {
    const k = t.cnames.length;
    // confint's index of (r, c), r >= c: lower triangle by columns.
    const index = (r: number, c: number) => base + c * k - (c * (c - 1)) / 2 + (r - c);
    for (let i = 0; i < k; i++) {
      const v = scale === 'vcov' ? t.cov[i * (k + 1)] : t.sd[i];
      slots.push({ group: t.group, term: `${scale === 'vcov' ? 'var' : 'sd'}__${t.cnames[i]}`, estimate: v, index: index(i, i) });
      for (let j = i + 1; j < k; j++) {
        const v2 = scale === 'vcov' ? t.cov[j + i * k] : t.corr[j + i * k];
        slots.push({ group: t.group, term: `${scale === 'vcov' ? 'cov' : 'cor'}__${t.cnames[i]}.${t.cnames[j]}`, estimate: v2, index: index(j, i) });
      }
    }
    base += (k * (k + 1)) / 2;
  }
  return slots;
}

/**
 * The rows; `intervals` (confint's rows for the model, or null for Wald) adds
 * conf.low and conf.high. Profile intervals are on the sd/cor scale, so with
 * scales = 'vcov' they are given only for variances (squared), as null for covariances.
 */
export function ranParsRows(m: MixedModel, scale: RanParScale, intervals: readonly ConfidenceInterval[] | null, confInt: boolean): TidyRow[] {
  const vc = m.fit.varCorr;
  const slots = termSlots(vc, scale);
  const nCov = vc.terms.reduce((a, t) => a + (t.cnames.length * (t.cnames.length + 1)) / 2, 0);
  if (hasResidual(m)) {
    const s = vc.residualSd;
    slots.push({ group: 'Residual', term: `${scale === 'vcov' ? 'var' : 'sd'}__Observation`, estimate: scale === 'vcov' ? s * s : s, index: nCov });
  }
  return slots.map((s) => {
    const row: TidyRow = { effect: 'ran_pars', group: s.group, term: s.term, estimate: finite(s.estimate) };
    if (confInt) {
      const ci = intervals?.[s.index];
      const square = scale === 'vcov';
      const usable = ci !== undefined && (!square || s.term.startsWith('var__'));
      row['conf.low'] = usable ? finite(square && ci.lower !== null ? ci.lower * ci.lower : ci.lower) : null;
      row['conf.high'] = usable ? finite(square && ci.upper !== null ? ci.upper * ci.upper : ci.upper) : null;
    }
    return row;
  });
}
