/**
 * Separation in a binomial or Poisson GLM: the maximum-likelihood estimate
 * does not exist when a direction d in coefficient space (a combination of the
 * columns of X, e.g. one level of a factor whose responses are all 0) drives
 * the fitted probabilities of some rows to 0 or 1 (or Poisson rates to 0)
 * without worsening any other row (Albert and Anderson 1984, complete or
 * quasi-complete separation). The likelihood then rises along d forever, the
 * deviance converges, and IRLS stops on the deviance with estimates that are
 * just where it stopped (standard errors in the thousands).
 *
 * Two checks, either one enough:
 * - R's glm.fit warning: a fitted mu within 10 eps of 0 or 1 (binomial) or of
 *   0 (poisson): "fitted probabilities numerically 0 or 1 occurred".
 * - drift (Lesaffre and Albert 1989: on separated data the estimates keep
 *   moving while the likelihood settles): one more IRLS step from the result.
 *   At a true optimum IRLS converges quadratically and the step moves eta by
 *   about 1e-8; on a separated row it moves eta towards the bound by about 1
 *   (logit, log) or 1 / |eta| (probit). Rows moving by more than DRIFT_ETA
 *   towards a bound they are within NEAR_BOUND of are separated; R's glm stays
 *   silent about them (its mu is still about 1e-9). Made only when IRLS
 *   converged (otherwise its own message says so and every row may still move).
 * Rows with zero prior weight take no part. Other families have no separation.
 */
import type { Family } from './family.js';
import { irlsStep, type IrlsProblem, type IrlsResult } from './irls.js';

const EPS10 = 10 * 2.220446049250313e-16;
/** Movement of eta in one more IRLS step that a converged row never makes. */
const DRIFT_ETA = 1e-3;
/** Distance of mu from its bound within which a drifting row counts as separated. */
const NEAR_BOUND = 1e-3;
/** A coefficient moving by more than this (relative to 1 + |b|) in that step diverges. */
const DRIFT_COEF = 1e-3;

export interface Separation {
  /** Rows (with positive prior weight) whose mu is at, or heading for, 0 or 1. */
  rows: number;
  /** Columns of X whose estimates diverge (empty when only R's check fired). */
  diverging: number[];
}

function hasSeparation(family: Family): boolean {
  return family.name === 'binomial' || family.name === 'poisson';
}

/** -1 when mu is near 0, +1 near 1 (binomial only), 0 otherwise. */
function boundSide(family: Family, mu: number, tol: number): number {
  if (mu < tol) return -1;
  return family.name === 'binomial' && mu > 1 - tol ? 1 : 0;
}

/** Separated rows and diverging coefficients of an IRLS result; null when there are none. */
export function detectSeparation(prob: IrlsProblem, res: IrlsResult): Separation | null {
  const { family, weights, n, p } = prob;
  if (!hasSeparation(family)) return null;
  const atBound = new Uint8Array(n);
  let near = false;
  for (let i = 0; i < n; i++) {
    if (!(weights[i] > 0)) continue;
    if (boundSide(family, res.mu[i], EPS10) !== 0) atBound[i] = 1;
    if (boundSide(family, res.mu[i], NEAR_BOUND) !== 0) near = true;
  }
  const diverging: number[] = [];
  const next = near && res.converged ? irlsStep(prob, res.eta, res.mu) : null;
  if (next !== null && next.wls.coef.every(Number.isFinite)) {
    for (let i = 0; i < n; i++) {
      const side = weights[i] > 0 ? boundSide(family, res.mu[i], NEAR_BOUND) : 0;
      if (side !== 0 && side * (next.eta[i] - res.eta[i]) > DRIFT_ETA) atBound[i] = 1;
    }
    for (let j = 0; j < p; j++) {
      if (Math.abs(next.wls.coef[j] - res.coef[j]) > DRIFT_COEF * (1 + Math.abs(res.coef[j]))) diverging.push(j);
    }
  }
  const rows = atBound.reduce((s, v) => s + v, 0);
  return rows === 0 ? null : { rows, diverging };
}

/** The message for a separation, in R's words first; `names` are the columns of X. */
export function separationMessage(family: Family, sep: Separation, names: readonly string[]): string {
  const what = family.name === 'binomial' ? 'fitted probabilities numerically 0 or 1 occurred' : 'fitted rates numerically 0 occurred';
  const cols = sep.diverging.map((j) => names[j]);
  const shown = cols.length > 5 ? `${cols.slice(0, 5).join(', ')} and ${cols.length - 5} more` : cols.join(', ');
  const estimates = cols.length > 0 ? `the estimates of ${shown} diverge and their standard errors are meaningless` : 'some estimates diverge';
  return `${what} (complete or quasi-complete separation, ${sep.rows} row${sep.rows === 1 ? '' : 's'}): ` +
    `${estimates}; the maximum-likelihood estimates do not exist`;
}
