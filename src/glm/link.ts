/**
 * GLM link functions, as R's make.link: eta = g(mu) (`linkfun`),
 * mu = g^-1(eta) (`linkinv`), d mu / d eta (`muEta`) and the domain check
 * `validEta`. Scalar kernels; the clamps at machine epsilon are R's, so
 * iterations follow R's path (logit: eta beyond +-30 is treated as +-30).
 */
import { dnorm, pnorm, qnorm } from '../distributions/normal.js';

export type LinkName = 'identity' | 'log' | 'inverse' | 'logit' | 'probit' | 'cloglog' | 'cauchit' | 'sqrt' | '1/mu^2';

export interface Link {
  readonly name: LinkName;
  linkfun(mu: number): number;
  linkinv(eta: number): number;
  muEta(eta: number): number;
  validEta(eta: number): boolean;
}

const EPS = 2.220446049250313e-16;
const LOGIT_THRESH = 30;
/** -qnorm(EPS): beyond it pnorm(eta) is 1 to double precision. */
const PROBIT_THRESH = -qnorm(EPS);
/** -qcauchy(EPS) = 1 / tan(pi EPS). */
const CAUCHIT_THRESH = 1 / Math.tan(Math.PI * EPS);

const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);
const always = () => true;
const positive = (eta: number) => eta > 0;

/** Lower tail of the standard Cauchy distribution, accurate in both tails. */
function pcauchy(x: number): number {
  if (Math.abs(x) <= 1) return 0.5 + Math.atan(x) / Math.PI;
  const y = Math.atan(1 / x) / Math.PI;
  return x > 0 ? 1 - y : -y;
}

/** Quantile of the standard Cauchy distribution. */
function qcauchy(p: number): number {
  return p <= 0.5 ? -1 / Math.tan(Math.PI * p) : 1 / Math.tan(Math.PI * (1 - p));
}

const LINKS: Record<LinkName, Omit<Link, 'name'>> = {
  identity: { linkfun: (mu) => mu, linkinv: (eta) => eta, muEta: () => 1, validEta: always },
  log: {
    linkfun: Math.log,
    linkinv: (eta) => Math.max(Math.exp(eta), EPS),
    muEta: (eta) => Math.max(Math.exp(eta), EPS),
    validEta: always,
  },
  inverse: {
    linkfun: (mu) => 1 / mu,
    linkinv: (eta) => 1 / eta,
    muEta: (eta) => -1 / (eta * eta),
    validEta: (eta) => eta !== 0,
  },
  logit: {
    linkfun: (mu) => Math.log(mu / (1 - mu)),
    linkinv: (eta) => {
      const e = eta < -LOGIT_THRESH ? EPS : eta > LOGIT_THRESH ? 1 / EPS : Math.exp(eta);
      return e / (1 + e);
    },
    muEta: (eta) => {
      if (eta > LOGIT_THRESH || eta < -LOGIT_THRESH) return EPS;
      const e = Math.exp(eta);
      return e / ((1 + e) * (1 + e));
    },
    validEta: always,
  },
  probit: {
    linkfun: qnorm,
    linkinv: (eta) => pnorm(clamp(eta, -PROBIT_THRESH, PROBIT_THRESH)),
    muEta: (eta) => Math.max(dnorm(eta), EPS),
    validEta: always,
  },
  cloglog: {
    linkfun: (mu) => Math.log(-Math.log1p(-mu)),
    linkinv: (eta) => clamp(-Math.expm1(-Math.exp(eta)), EPS, 1 - EPS),
    muEta: (eta) => {
      const e = Math.exp(Math.min(eta, 700));
      return Math.max(e * Math.exp(-e), EPS);
    },
    validEta: always,
  },
  cauchit: {
    linkfun: qcauchy,
    linkinv: (eta) => pcauchy(clamp(eta, -CAUCHIT_THRESH, CAUCHIT_THRESH)),
    muEta: (eta) => Math.max(1 / (Math.PI * (1 + eta * eta)), EPS),
    validEta: always,
  },
  sqrt: { linkfun: Math.sqrt, linkinv: (eta) => eta * eta, muEta: (eta) => 2 * eta, validEta: positive },
  '1/mu^2': {
    linkfun: (mu) => 1 / (mu * mu),
    linkinv: (eta) => 1 / Math.sqrt(eta),
    muEta: (eta) => -1 / (2 * eta ** 1.5),
    validEta: positive,
  },
};

export const LINK_NAMES = Object.keys(LINKS) as LinkName[];

export function isLinkName(name: string): name is LinkName {
  return Object.hasOwn(LINKS, name);
}

/** The link called `name` (a LinkName; callers validate user input with isLinkName). */
export function makeLink(name: LinkName): Link {
  return { name, ...LINKS[name] };
}
