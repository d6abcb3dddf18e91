/**
 * The model options the page offers, as the CLI's flags: `--family`, `--link`,
 * `--reml`/`--ml`, `--nagq`, `--factor`, `--weights`. `fitOptions` turns them
 * into the library's FitOptions exactly as the CLI does, so that the page's
 * JSON is the CLI's: gaussian with its default link is no family at all (lm
 * without random effects, lmer with them), as when `--family` is left out.
 */
import type { FitOptions } from '../../../src/index.js';

export const FAMILIES = ['gaussian', 'binomial', 'poisson', 'Gamma', 'inverse.gaussian'] as const;
export type FamilyName = (typeof FAMILIES)[number];

/** Each family's links, canonical first (R's defaults; any of R's links is accepted). */
export const LINKS: Record<FamilyName, readonly string[]> = {
  gaussian: ['identity', 'log', 'inverse'],
  binomial: ['logit', 'probit', 'cloglog', 'cauchit', 'log'],
  poisson: ['log', 'identity', 'sqrt'],
  Gamma: ['inverse', 'identity', 'log'],
  'inverse.gaussian': ['1/mu^2', 'inverse', 'identity', 'log'],
};

/** What each family is for, in words (the select's option labels). */
export const FAMILY_LABELS: Record<FamilyName, string> = {
  gaussian: 'gaussian: a measurement (score, time, distance)',
  binomial: 'binomial: yes/no, or successes out of trials',
  poisson: 'poisson: a count (clicks, errors)',
  Gamma: 'Gamma: a positive, right-skewed amount',
  'inverse.gaussian': 'inverse.gaussian: a positive, very skewed amount',
};

export interface ModelOptions {
  family: FamilyName;
  /** '' = the family's canonical link. */
  link: string;
  /** false = maximum likelihood (`--ml`). */
  reml: boolean;
  /** GLMMs: adaptive Gauss-Hermite points (1 = Laplace). */
  nagq: number;
  /** Numeric columns treated as categorical (`--factor`). */
  factors: string[];
  /** Prior-weights column, '' for none. */
  weights: string;
}

export function defaultOptions(): ModelOptions {
  return { family: 'gaussian', link: '', reml: true, nagq: 1, factors: [], weights: '' };
}

export function isFamily(x: string): x is FamilyName {
  return (FAMILIES as readonly string[]).includes(x);
}

/** True when the options name no family: gaussian with the identity link (`--family` left out). */
export function isDefaultFamily(o: ModelOptions): boolean {
  return o.family === 'gaussian' && (o.link === '' || o.link === 'identity');
}

/** The library's options for these settings, built as the CLI's `fit` builds them from its flags. */
export function fitOptions(o: ModelOptions): FitOptions {
  const family = isDefaultFamily(o) ? undefined : o.family;
  return {
    factors: [...o.factors],
    family,
    link: family === undefined || o.link === '' ? undefined : o.link,
    weights: o.weights === '' ? undefined : o.weights,
    REML: o.reml,
    nAGQ: o.nagq === 1 ? undefined : o.nagq,
    ddf: 'auto',
  };
}
