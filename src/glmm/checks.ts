/**
 * Diagnostics that travel with a GLMM fit as messages: groups without
 * information inside them (all responses 0, or all at the trials: a note, the
 * random-effects distribution keeps their modes finite), fitted probabilities
 * or rates at their bounds (separation of the fixed effects), and variance
 * components estimated as zero (lme4's isSingular, tolerance 1e-4).
 */
import type { Family } from '../glm/family.js';
import type { FactorBlock } from '../lmm/factorBlocks.js';
import type { LambdaMap } from '../lmm/lambda.js';
import type { ModelFrame } from '../frame/types.js';
import type { GlmmResponse } from './response.js';

export const SINGULAR_TOL = 1e-4;
const EPS10 = 10 * 2.220446049250313e-16;

/**
 * Per grouping factor, the levels whose responses are all 0 or (binomial) all
 * successes: their conditional modes are set by the random-effects
 * distribution alone and head for the boundary as the variance grows.
 */
export function extremeGroupMessages(frame: ModelFrame, resp: GlmmResponse): string[] {
  const fam = resp.family.name;
  if (fam !== 'binomial' && fam !== 'poisson' && fam !== 'negative.binomial') return [];
  const out: string[] = [];
  const seen = new Set<string>();
  for (const t of frame.reTerms) {
    if (seen.has(t.group)) continue;
    seen.add(t.group);
    const nl = t.levels.length;
    const anyAbove0 = new Uint8Array(nl), anyBelow1 = new Uint8Array(nl), used = new Uint8Array(nl);
    for (let i = 0; i < resp.n; i++) {
      if (!(resp.pw[i] > 0)) continue;
      const g = t.refs[i];
      used[g] = 1;
      if (resp.y[i] > 0) anyAbove0[g] = 1;
      if (resp.y[i] < 1) anyBelow1[g] = 1;
    }
    let zeros = 0, ones = 0;
    for (let g = 0; g < nl; g++) {
      if (!used[g]) continue;
      if (!anyAbove0[g]) zeros++;
      else if (fam === 'binomial' && !anyBelow1[g]) ones++;
    }
    if (zeros + ones === 0) continue;
    const what = fam === 'binomial' ? `no successes (${zeros}) or only successes (${ones})` : 'all counts 0';
    out.push(
      `${zeros + ones} of ${nl} levels of ${t.group} have ${what}: their conditional modes rest on the ` +
        'random-effects distribution alone (complete separation within those groups)',
    );
  }
  return out;
}

/** glm's warning when fitted probabilities (or rates) reach 0 or 1 numerically. */
export function boundaryFitMessages(resp: GlmmResponse, mu: Float64Array): string[] {
  const fam = resp.family.name;
  let count = 0;
  for (let i = 0; i < mu.length; i++) {
    if (!(resp.pw[i] > 0)) continue;
    if (fam === 'binomial' && (mu[i] < EPS10 || mu[i] > 1 - EPS10)) count++;
    if ((fam === 'poisson' || fam === 'negative.binomial') && mu[i] < EPS10) count++;
  }
  if (count === 0) return [];
  return fam === 'binomial'
    ? [`fitted probabilities numerically 0 or 1 occurred in ${count} rows (complete or quasi-complete separation)`]
    : [`fitted rates numerically 0 occurred in ${count} rows`];
}

/** One message per term whose covariance is singular (a variance theta below SINGULAR_TOL). */
export function singularTerms(factors: readonly FactorBlock[], map: LambdaMap, theta: Float64Array): string[] {
  const out: string[] = [];
  const terms = factors.flatMap((f) => f.terms).sort((a, b) => a.term - b.term);
  for (const t of terms) {
    const start = map.termStart[t.term], count = (t.k * (t.k + 1)) / 2;
    let singular = false;
    for (let e = start; e < start + count; e++) if (map.lower[e] === 0 && theta[e] < SINGULAR_TOL) singular = true;
    if (!singular) continue;
    out.push(
      t.k === 1
        ? `boundary (singular) fit: the variance of ${t.name} is estimated as 0; the model without this term fits the same`
        : `boundary (singular) fit: the covariance matrix of ${t.name} is singular (a variance is 0 or a correlation is +-1)`,
    );
  }
  return out;
}

/**
 * For families with a dispersion (gaussian with a link, Gamma,
 * inverse.gaussian), lme4's Laplace criterion, which the fit follows, is
 * -2 log p(y | u, disp = deviance / n) + |u|^2 + log det(L_Z)^2: the penalty
 * |u|^2 is not divided by sigma^2 (u ~ N(0, sigma^2 I) in lme4's scaling), and
 * the dispersion in the density is not sigma^2 (lme4 issue 63). So the
 * criterion is not the Laplace approximation of the likelihood (Gamma(log) on
 * sleepstudy: lme4's logLik -870.40, the marginal log-likelihood at its
 * estimates by quadrature -889.41, its maximum -883.58).
 */
export function dispersionNote(family: Family): string[] {
  if (!family.estimatedDispersion) return [];
  return [
    `for the ${family.name} family lme4's Laplace criterion, followed here, leaves the dispersion out of the random effects' ` +
      'penalty: logLik, AIC and BIC are lme4\'s, not those of the marginal likelihood; compare them only with other such fits',
  ];
}
