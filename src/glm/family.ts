/**
 * GLM families, as R's `family` objects: variance function V(mu), unit
 * deviance d(y, mu) times the prior weight, R's `aic` (-2 log-likelihood, +2
 * when the dispersion is estimated), the valid range of mu, and R's starting
 * values. Scalar kernels except `aic`, which sums over the rows.
 *
 * | family           | V(mu)      | d(y, mu) / wt                          | default link |
 * | gaussian         | 1          | (y - mu)^2                             | identity     |
 * | binomial         | mu (1-mu)  | 2 [y log(y/mu) + (1-y) log((1-y)/(1-mu))] | logit     |
 * | poisson          | mu         | 2 [y log(y/mu) - (y - mu)]             | log          |
 * | Gamma            | mu^2       | -2 [log(y/mu) - (y - mu)/mu]           | inverse      |
 * | inverse.gaussian | mu^3       | (y - mu)^2 / (y mu^2)                  | 1/mu^2       |
 * | negative.binomial | mu + mu^2/theta | negativeBinomial.ts               | log          |
 *
 * The negative binomial family needs its theta (glm.ts and glmm/ estimate it
 * when it is not given); the others take none.
 */
import { closest, MixedModelsError, expectArgument } from '../errors.js';
import { isLinkName, LINK_NAMES, makeLink, type Link, type LinkName } from './link.js';
import { dbinomLog, dgammaLog, dpoisLog, integerLgamma } from './logDensity.js';
import { checkNegativeBinomial, negativeBinomialKernels } from './negativeBinomial.js';

export type FamilyName = 'gaussian' | 'binomial' | 'poisson' | 'Gamma' | 'inverse.gaussian' | 'negative.binomial';

/**
 * An error distribution and its link, as R's `family` objects: variance function, deviance residuals, the valid range of the mean and the log-likelihood. Made by `makeFamily`.
 * @example
 * ```ts
 * const binomial = makeFamily('binomial', 'probit');
 * binomial.variance(0.5); // 0.25
 * ```
 */
export interface Family {
  readonly name: FamilyName;
  readonly link: Link;
  /** The negative binomial's theta (size): V(mu) = mu + mu^2 / theta. Absent for the other families. */
  readonly theta?: number;
  /** Dispersion estimated from the data (gaussian, Gamma, inverse.gaussian): t tests, one more parameter. */
  readonly estimatedDispersion: boolean;
  /** The variance function V(mu) (R's `family$variance`). */
  variance(mu: number): number;
  /** wt * d(y, mu): the row's contribution to the deviance. */
  devResid(y: number, mu: number, wt: number): number;
  /** Whether mu is inside the family's range (R's `family$validmu`). */
  validMu(mu: number): boolean;
  /**
   * R's family$aic(y, n, mu, wt, dev): -2 log-likelihood at mu (+2 for an
   * estimated dispersion, itself taken from dev). n: binomial trials per row
   * (ones unless the response is cbind), wt: prior weights.
   */
  aic(y: Float64Array, n: Float64Array, mu: Float64Array, wt: Float64Array, dev: number): number;
  /** R's starting mu. m: binomial size (cbind trials, else the prior weight); other families ignore it. */
  initMu(y: number, m: number): number;
  /**
   * Throws MixedModelsError when y is outside the family's support (or no
   * start exists for the link); returns warnings (non-integer counts).
   * m as for initMu; rows with m = 0 are not checked.
   */
  checkResponse(y: Float64Array, m: Float64Array): string[];
}

interface LinkRules {
  defaultLink: LinkName;
  /** The links R's family function accepts (default first). */
  links: readonly LinkName[];
  check(y: Float64Array, m: Float64Array, link: LinkName): string[];
}
type Kernels = Omit<Family, 'name' | 'link' | 'checkResponse' | 'theta'> & LinkRules;

const NEGATIVE_BINOMIAL: LinkRules = { defaultLink: 'log', links: ['log', 'sqrt', 'identity'], check: checkNegativeBinomial };

/** y log(y / mu), 0 at y = 0. */
const ylogy = (y: number, mu: number) => (y === 0 ? 0 : y * Math.log(y / mu));

function sum(n: number, f: (i: number) => number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += f(i);
  return s;
}

function requireAll(y: Float64Array, m: Float64Array, ok: (v: number) => boolean, message: string): void {
  for (let i = 0; i < y.length; i++) if (m[i] > 0 && !ok(y[i])) throw new MixedModelsError(message);
}

const FAMILIES: Record<Exclude<FamilyName, 'negative.binomial'>, Kernels> = {
  gaussian: {
    defaultLink: 'identity',
    links: ['identity', 'log', 'inverse'],
    estimatedDispersion: true,
    variance: () => 1,
    devResid: (y, mu, wt) => wt * (y - mu) * (y - mu),
    validMu: () => true,
    // R: nobs (log(2 pi dev / nobs) + 1) + 2 - sum(log(wt)); here over rows with wt > 0.
    aic: (y, _n, _mu, wt, dev) => {
      const nobs = sum(y.length, (i) => (wt[i] > 0 ? 1 : 0));
      const sumLogW = sum(y.length, (i) => (wt[i] > 0 ? Math.log(wt[i]) : 0));
      return nobs * (Math.log((2 * Math.PI * dev) / nobs) + 1) + 2 - sumLogW;
    },
    initMu: (y) => y,
    check: (y, m, link) => {
      if (link === 'log') requireAll(y, m, (v) => v > 0, 'cannot find valid starting values: the log link needs a positive response');
      if (link === 'inverse') requireAll(y, m, (v) => v !== 0, 'cannot find valid starting values: the inverse link needs a non-zero response');
      return [];
    },
  },
  binomial: {
    defaultLink: 'logit',
    links: ['logit', 'probit', 'cauchit', 'log', 'cloglog'],
    estimatedDispersion: false,
    variance: (mu) => mu * (1 - mu),
    devResid: (y, mu, wt) => 2 * wt * (ylogy(y, mu) + ylogy(1 - y, 1 - mu)),
    validMu: (mu) => mu > 0 && mu < 1,
    // R: m = n if any n > 1, else wt; -2 sum (wt / m) dbinom(round(m y), round(m), mu, log = TRUE).
    aic: (y, n, mu, wt) => {
      const useN = n.some((v) => v > 1), lg = integerLgamma();
      return -2 * sum(y.length, (i) => {
        const m = useN ? n[i] : wt[i];
        return m > 0 ? (wt[i] / m) * dbinomLog(Math.round(m * y[i]), Math.round(m), mu[i], lg) : 0;
      });
    },
    initMu: (y, m) => (m * y + 0.5) / (m + 1),
    check: (y, m) => {
      requireAll(y, m, (v) => v >= 0 && v <= 1, 'binomial response must be 0/1, a proportion in [0, 1], a two-level factor or cbind(successes, failures)');
      const nonInt = y.some((v, i) => Math.abs(m[i] * v - Math.round(m[i] * v)) > 1e-3);
      return nonInt ? ['non-integer #successes in a binomial glm'] : [];
    },
  },
  poisson: {
    defaultLink: 'log',
    links: ['log', 'identity', 'sqrt'],
    estimatedDispersion: false,
    variance: (mu) => mu,
    devResid: (y, mu, wt) => 2 * wt * (ylogy(y, mu) - (y - mu)),
    validMu: (mu) => mu > 0 && Number.isFinite(mu),
    aic: (y, _n, mu, wt) => -2 * sum(y.length, (i) => (wt[i] === 0 ? 0 : dpoisLog(y[i], mu[i]) * wt[i])),
    initMu: (y) => y + 0.1,
    check: (y, m) => {
      requireAll(y, m, (v) => v >= 0, 'negative values not allowed for the poisson family');
      return [];
    },
  },
  Gamma: {
    defaultLink: 'inverse',
    links: ['inverse', 'identity', 'log'],
    estimatedDispersion: true,
    variance: (mu) => mu * mu,
    devResid: (y, mu, wt) => -2 * wt * (Math.log(y === 0 ? 1 : y / mu) - (y - mu) / mu),
    validMu: (mu) => mu > 0 && Number.isFinite(mu),
    // R: disp = dev / sum(wt); -2 sum wt log dgamma(y; shape 1/disp, scale mu disp) + 2.
    aic: (y, _n, mu, wt, dev) => {
      const disp = dev / sum(y.length, (i) => wt[i]);
      return -2 * sum(y.length, (i) => (wt[i] === 0 ? 0 : dgammaLog(y[i], 1 / disp, mu[i] * disp) * wt[i])) + 2;
    },
    initMu: (y) => y,
    check: (y, m) => {
      requireAll(y, m, (v) => v > 0, 'non-positive values not allowed for the Gamma family');
      return [];
    },
  },
  'inverse.gaussian': {
    defaultLink: '1/mu^2',
    links: ['1/mu^2', 'inverse', 'identity', 'log'],
    estimatedDispersion: true,
    variance: (mu) => mu * mu * mu,
    devResid: (y, mu, wt) => (wt * (y - mu) * (y - mu)) / (y * mu * mu),
    // R's validmu is TRUE; a mean that is not positive has no inverse Gaussian (its variance mu^3 < 0).
    validMu: (mu) => mu > 0 && Number.isFinite(mu),
    // R: sum(wt) (log(2 pi disp) + 1) + 3 sum(wt log y) + 2, disp = dev / sum(wt).
    aic: (y, _n, _mu, wt, dev) => {
      const sw = sum(y.length, (i) => wt[i]);
      const sumLogY = sum(y.length, (i) => (wt[i] === 0 ? 0 : wt[i] * Math.log(y[i])));
      return sw * (Math.log((2 * Math.PI * dev) / sw) + 1) + 3 * sumLogY + 2;
    },
    initMu: (y) => y,
    check: (y, m) => {
      requireAll(y, m, (v) => v > 0, 'positive values only allowed for the inverse.gaussian family');
      return [];
    },
  },
};

export const FAMILY_NAMES = [...Object.keys(FAMILIES), 'negative.binomial'] as FamilyName[];

function linkRules(name: FamilyName): LinkRules {
  return name === 'negative.binomial' ? NEGATIVE_BINOMIAL : FAMILIES[name];
}

/**
 * The family's name and link as makeFamily resolves them, checked without
 * building the family (so also for the negative binomial without its theta).
 */
export function resolveFamilyLink(name: string, link?: string): { family: FamilyName; link: LinkName } {
  expectArgument('makeFamily', "the family's name", name, 'string');
  if (link !== undefined) expectArgument('makeFamily', 'the link', link, 'string');
  const family = resolveFamily(name);
  const { defaultLink, links } = linkRules(family);
  const linkName = link ?? defaultLink;
  if (!isLinkName(linkName)) {
    const hint = closest(linkName, LINK_NAMES);
    throw new MixedModelsError(`unknown link '${linkName}'${hint ? ` (did you mean '${hint}'?)` : ''}; links: ${LINK_NAMES.join(', ')}`);
  }
  if (!links.includes(linkName)) {
    throw new MixedModelsError(`link '${linkName}' is not available for family ${family}; its links are ${links.join(', ')}`);
  }
  return { family, link: linkName };
}

/**
 * The family called `name` with link `link` (default: the canonical link).
 * Accepts `gamma` for `Gamma`. The links are those R's family functions accept
 * (binomial: logit, probit, cauchit, log, cloglog; gaussian: identity, log,
 * inverse; Gamma: inverse, identity, log; poisson: log, identity, sqrt;
 * inverse.gaussian: 1/mu^2, inverse, identity, log; negative.binomial: log,
 * sqrt, identity); any other is refused here, before any work. `theta`: the
 * negative binomial's (refused for the others). Without it the negative
 * binomial family names its link but has no likelihood: its kernels throw.
 */
export function makeFamily(name: string, link?: string, theta?: number): Family {
  const resolved = resolveFamilyLink(name, link);
  const famName = resolved.family, linkName = resolved.link;
  if (famName !== 'negative.binomial') {
    if (theta !== undefined) throw new MixedModelsError(`theta (nbTheta) belongs to the negative binomial family, not ${famName}`);
    const { defaultLink: _d, links: _l, check, ...kernels } = FAMILIES[famName];
    return { name: famName, link: makeLink(linkName), ...kernels, checkResponse: (y, m) => check(y, m, linkName) };
  }
  const kernels = theta === undefined ? withoutTheta() : negativeBinomialKernels(theta);
  return { name: famName, link: makeLink(linkName), ...kernels, checkResponse: (y, m) => NEGATIVE_BINOMIAL.check(y, m, linkName) };
}

/** The negative binomial's kernels before theta is known: each refuses to run. */
function withoutTheta(): Omit<Kernels, keyof LinkRules> {
  const refuse = (): never => {
    throw new MixedModelsError('the negative binomial family needs its theta (nbTheta, --nb-theta), or a fit that estimates it (glm, glmer)');
  };
  return { estimatedDispersion: false, variance: refuse, devResid: refuse, validMu: refuse, aic: refuse, initMu: refuse };
}

function resolveFamily(name: string): FamilyName {
  if (name === 'gamma') return 'Gamma';
  if (name === 'negative.binomial' || Object.hasOwn(FAMILIES, name)) return name as FamilyName;
  const hint = closest(name, FAMILY_NAMES);
  throw new MixedModelsError(`unknown family '${name}'${hint ? ` (did you mean '${hint}'?)` : ''}; families: ${FAMILY_NAMES.join(', ')}`);
}
