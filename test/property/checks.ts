/**
 * What the property suites assert of one fit and of a fit next to a
 * transformed one (rows permuted, levels relabelled, a column rescaled).
 */
import assert from 'node:assert/strict';
import { glmer, lmer, type MixedModel } from '../../src/api/fit.js';
import { MixedModelsError } from '../../src/errors.js';
import { modelJson } from '../../src/report/json.js';
import type { Coefficient } from '../../src/lm/coefficient.js';
import type { Case } from './generators.js';

/** The fit of a case, or the MixedModelsError it was refused with; any other exception fails the property. */
export function fitCase(c: Case, glmm: { optimizer?: 'lme4' | 'bobyqa' } = {}): MixedModel | MixedModelsError {
  try {
    return c.family === 'gaussian'
      ? lmer(c.formula, c.data, { REML: c.REML, weights: c.weights })
      : glmer(c.formula, c.data, { family: c.family, ...glmm });
  } catch (err) {
    if (err instanceof MixedModelsError) return err;
    throw new Error(`${c.formula} (${c.family}) threw ${(err as Error)?.constructor?.name}: ${(err as Error)?.message}\n${(err as Error)?.stack}`);
  }
}

/** The fit's convergence flag as the JSON output reports it. */
export function reportedConverged(m: MixedModel): boolean {
  return modelJson(m).converged === true;
}

/** -2 log-likelihood (LMM: the REML or ML criterion). */
export function criterion(m: MixedModel): number {
  return m.fit.objective;
}

/** A converged fit has no NaN, infinite or missing number in its estimates, tests and variance components. */
export function assertFinite(m: MixedModel, label: string): void {
  const f = m.fit;
  const coefs = m.kind === 'lmm' ? m.coefficients : m.fit.coefficients;
  const values: [string, number | null][] = [
    ['objective', f.objective], ['logLik', f.logLik], ['sigma', f.sigma],
    ...Array.from(f.beta, (v, j): [string, number] => [`beta ${j}`, v]),
    ...Array.from(f.se, (v, j): [string, number] => [`se ${j}`, v]),
    ...Array.from(f.theta, (v, e): [string, number] => [`theta ${e}`, v]),
    ...coefs.flatMap((c: Coefficient): [string, number | null][] => [[`${c.term} statistic`, c.statistic], [`${c.term} p`, c.pValue], ...(m.kind === 'lmm' ? [[`${c.term} df`, c.df] as [string, number | null]] : [])]),
    ...f.varCorr.terms.flatMap((t) => Array.from(t.sd, (v, r): [string, number] => [`sd ${t.group} ${t.cnames[r]}`, v])),
  ];
  for (const [name, v] of values) assert.ok(v !== null && Number.isFinite(v), `${label}: ${name} is ${v} in a converged fit`);
}

/** The messages that say the fit failed or did not converge. */
export function failureMessages(m: MixedModel): string[] {
  return m.fit.messages.filter((s) => /fail|not converge/i.test(s));
}

/**
 * Notes that do not put the estimates in doubt: rows collapsed, a singular
 * fit. Any other message (separation, fitted rates of 0, a Hessian that is
 * not positive definite, ...) marks a fit whose estimates the suites do not
 * compare.
 */
const BENIGN = [/^collapsed \d+ rows/, /^boundary \(singular\) fit/];

/** A fit the suites treat as converged and sound: the flag says so and every message is benign. */
export function trulyConverged(m: MixedModel): boolean {
  return reportedConverged(m) && m.fit.messages.every((s) => BENIGN.some((b) => b.test(s)));
}

/** `converged` is false whenever a message says the fit failed or did not converge. */
export function assertConvergedAgrees(m: MixedModel, label: string): void {
  const failed = failureMessages(m);
  assert.ok(!(failed.length > 0 && reportedConverged(m)), `${label}: converged is true while a message says ${JSON.stringify(failed[0])}`);
}

/** Estimates of two fits of the same model that must agree (row order, level labels). */
export interface Transform {
  /** Expected criterion of the second from the first's. */
  criterion?: (c: number) => number;
  /** Expected beta_j, se_j of the second from the first's (by coefficient name). */
  coef?: (term: string, v: number) => number;
  /** Expected sd of a random-effects column of the second from the first's. */
  sd?: (column: string, v: number) => number;
  sigma?: (v: number) => number;
}

/** Tolerances of assertSameFit. */
export interface Tolerance {
  /** Absolute, on the criterion (plus 1e-9 relative). */
  criterion: number;
  /** On beta, in units of its standard error. */
  beta: number;
  /** Relative, on standard errors and sigma. */
  se: number;
  /** On random-effect sds: relative, plus `sdFloor` sigma / rms(column). */
  sd: number;
  sdFloor: number;
}

/**
 * LMMs: the optimum to 1e-8 in the criterion (BFGS) or 1e-6 in phi (BOBYQA),
 * exact derivatives elsewhere; standard deviations are flat near 0 in
 * singular fits, hence the floor.
 */
export const LMM_TOLERANCE: Tolerance = { criterion: 1e-6, beta: 1e-4, se: 1e-4, sd: 1e-4, sdFloor: 1e-3 };

/**
 * GLMMs: stage 2 stops at 2e-5 standard errors (BOBYQA's rhoend), and the
 * standard errors come from second differences of the criterion with step
 * 1e-4 (lme4's), so estimates agree to about 1e-4 of their standard errors
 * and standard errors to about 1e-3.
 */
export const GLMM_TOLERANCE: Tolerance = { criterion: 1e-5, beta: 2e-3, se: 2e-3, sd: 2e-3, sdFloor: 1e-2 };

/**
 * Singular GLMM fits: BOBYQA wanders along the flat boundary valley (the
 * criterion to about 1e-5) and the standard errors come from second
 * differences taken across the boundary, so only the criterion is compared.
 */
export const GLMM_SINGULAR_TOLERANCE: Tolerance = { criterion: 1e-4, beta: Infinity, se: Infinity, sd: Infinity, sdFloor: Infinity };

/**
 * The second fit against the first transformed, within `tol` (`rms`: a
 * column's root mean square in b's data, times sqrt(w) with weights; 1 for
 * the intercept).
 */
export function assertSameFit(a: MixedModel, b: MixedModel, t: Transform, label: string, rms: (column: string) => number, tol: Tolerance): void {
  const id = (v: number) => v;
  const crit = (t.criterion ?? id)(criterion(a));
  assert.ok(Math.abs(criterion(b) - crit) <= tol.criterion + 1e-9 * Math.abs(crit), `${label}: criterion ${criterion(b)}, expected ${crit}`);
  if (tol.beta === Infinity) return;
  const coef = t.coef ?? ((_: string, v: number) => v);
  a.fit.coefnames.forEach((term, j) => {
    const k = b.fit.coefnames.indexOf(term);
    assert.ok(k >= 0, `${label}: coefficient ${term} missing`);
    const beta = coef(term, a.fit.beta[j]), se = coef(term, a.fit.se[j]);
    assert.ok(Math.abs(b.fit.beta[k] - beta) <= tol.beta * Math.abs(se) + 1e-9 * Math.abs(beta), `${label}: ${term} estimate ${b.fit.beta[k]}, expected ${beta} (se ${se})`);
    assert.ok(Math.abs(b.fit.se[k] - se) <= tol.se * Math.abs(se), `${label}: ${term} se ${b.fit.se[k]}, expected ${se}`);
  });
  const sigma = (t.sigma ?? id)(a.fit.sigma);
  assert.ok(Math.abs(b.fit.sigma - sigma) <= tol.se * Math.abs(sigma), `${label}: sigma ${b.fit.sigma}, expected ${sigma}`);
  a.fit.varCorr.terms.forEach((ta, i) => {
    const tb = b.fit.varCorr.terms[i];
    ta.cnames.forEach((cn, r) => {
      const want = (t.sd ?? ((_: string, v: number) => v))(cn, ta.sd[r]);
      const floor = (tol.sdFloor * sigma) / rms(cn);
      assert.ok(Math.abs(tb.sd[r] - want) <= floor + tol.sd * want, `${label}: sd of ${cn} | ${ta.group} ${tb.sd[r]}, expected ${want}`);
    });
  });
}

/** Root mean square of a numeric column of the data times sqrt(w) ('(Intercept)': of sqrt(w), 1 without weights). */
export function rmsOf(data: Record<string, (number | string)[]>, weights?: string): (column: string) => number {
  const w = weights === undefined ? null : (data[weights] as number[]);
  return (column) => {
    const v = data[column] ?? data.y.map(() => 1);
    const big = Math.max(...v.map((x) => Math.abs(x as number)));
    if (big === 0) return 1;
    return big * Math.sqrt(v.reduce((s: number, x, i) => s + (w ? w[i] : 1) * ((x as number) / big) ** 2, 0) / v.length);
  };
}
