/**
 * Satterthwaite's degrees of freedom for t and F tests of the fixed effects
 * (Kuznetsova, Brockhoff & Christensen 2017, section 3.2; lmerTest).
 *
 * t test of l'beta (l: 1 x p): with C = vcov(beta)(varpar), A = vcov(varpar)
 * and g_i = l' (dC/dvarpar_i) l (varpar.ts),
 *
 *   df = 2 (l' C l)^2 / (g' A g).
 *
 * F test of L beta = 0 (L: q x p): diagonalise L C L' = V D V' and test the
 * rank(L C L') = r independent rows of V'L, whose estimates are uncorrelated:
 * F = sum_m t_m^2 / r with t_m the t statistic and nu_m the t df of row m, and
 * the denominator df 2E / (E - r), E = sum_m nu_m / (nu_m - 2), the df of an F
 * whose mean matches (nu = nu_1 for r = 1; 2 when some nu_m <= 2, where the
 * mean does not exist).
 */
import type { LinearMixedModel } from '../../api/fit.js';
import { pchisqUpper, pfUpper, ptTwoSided } from '../../distributions/index.js';
import type { Coefficient } from '../../lm/coefficient.js';
import type { LmmProblem } from '../../lmm/problem.js';
import { bilinear } from './ddfDense.js';
import { diagonaliseContrast, type Contrast } from './ddfContrasts.js';
import { varpar, type Varpar } from './varpar.js';

export interface FTest {
  F: number;
  numDf: number;
  denDf: number;
  pValue: number;
}

/** Variance l' C l and Satterthwaite df of l'beta. */
export function satterthwaiteT(vp: Varpar, l: ArrayLike<number>): { variance: number; df: number } {
  const { p, k } = vp;
  const variance = bilinear(p, l, vp.vcovBeta, l);
  const g = vp.jacobian.map((J) => bilinear(p, l, J, l));
  const denom = bilinear(k, g, vp.vcovVarpar, g);
  return { variance, df: (2 * variance * variance) / denom };
}

/** The denominator df of an F statistic from its rows' t dfs (module comment). */
export function fDenominatorDf(nu: readonly number[]): number {
  if (nu.length === 1) return nu[0];
  if (nu.some((v) => !(v > 2))) return 2;
  const E = nu.reduce((s, v) => s + v / (v - 2), 0);
  return (2 * E) / (E - nu.length);
}

/** Upper tail of F(numDf, denDf), the chi-square limit for denDf = Infinity. */
export function fPValue(F: number, numDf: number, denDf: number): number {
  return denDf === Infinity ? pchisqUpper(F * numDf, numDf) : pfUpper(F, numDf, denDf);
}

/** The F test of L beta = 0 with Satterthwaite's denominator df. */
export function satterthwaiteF(vp: Varpar, beta: ArrayLike<number>, L: Contrast): FTest {
  const { rows, variances } = diagonaliseContrast(L, vp.vcovBeta);
  const r = variances.length;
  let sum = 0;
  const nu: number[] = [];
  for (let m = 0; m < r; m++) {
    const row = rows[m];
    let est = 0;
    for (let j = 0; j < L.p; j++) est += row[j] * beta[j];
    sum += (est * est) / variances[m];
    nu.push(satterthwaiteT(vp, row).df);
  }
  const F = sum / r, denDf = fDenominatorDf(nu);
  return { F, numDf: r, denDf, pValue: fPValue(F, r, denDf) };
}

/**
 * Each fixed effect's t test with Satterthwaite's df (lmerTest's summary).
 * Costs one Varpar per fit (varpar.ts: 1 + 2m(m + 1) criterion evaluations for m
 * = length(theta)), then O(k p^2) per coefficient.
 */
export function satterthwaiteCoefficients(model: LinearMixedModel, problem?: LmmProblem): Coefficient[] {
  const vp = varpar(model, problem);
  const { beta, se, coefnames } = model.fit;
  return coefnames.map((term, j) => {
    const l = new Float64Array(vp.p);
    l[j] = 1;
    const { df } = satterthwaiteT(vp, l);
    const statistic = beta[j] / se[j];
    return { term, estimate: beta[j], stdError: se[j], statistic, df, pValue: ptTwoSided(statistic, df) };
  });
}
