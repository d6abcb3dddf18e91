/**
 * The scale a model's marginal means live on, and the way back to the
 * response (emmeans' `tran`, its .make.link and .std.link.labels).
 *
 * A GLM or GLMM with a non-identity link g has its estimates on the link
 * scale; `type = "response"` reports mu = g^-1(eta) with the delta-method
 * standard error |d mu / d eta| SE(eta) and the interval's limits mapped by
 * g^-1. A linear model whose response is transformed in the formula
 * (`log(y)`, `log2(y)`, `log10(y)`, `log1p(y)`, `sqrt(y)`) is treated the
 * same way with that transformation as g.
 *
 * Differences of logits back-transform to odds ratios and differences of logs
 * (log, log2, log10) to ratios: exp(d) (2^d, 10^d) with the delta-method SE;
 * tests stay on the difference scale. Other scales keep their differences.
 */
import type { FittedModel } from '../../api/fit.js';
import type { Node } from '../../formula/ast.js';
import { makeLink, type LinkName } from '../../glm/link.js';

export interface Transform {
  /** emmeans' name of the scale: `logit`, `log`, `probit`, `sqrt`, `log odds ratio`... */
  name: string;
  linkinv(eta: number): number;
  muEta(eta: number): number;
}

export interface ScaleInfo {
  /** The transformation of the means, or null when they are on the response scale already. */
  means: Transform | null;
  /** emmeans' column name of a back-transformed mean: `prob`, `rate` or `response`. */
  responseLabel: string;
  /** The transformation of pairwise differences (ratios), or null when differences stay differences. */
  ratio: (Transform & { label: 'odds.ratio' | 'ratio' }) | null;
}

const positivePart = (x: number) => Math.max(0, x);

/** emmeans' .make.link for the transformations it knows (null for one it does not). */
export function makeTransform(name: string): Transform | null {
  switch (name) {
    case 'logit':
    case 'probit':
    case 'cauchit':
    case 'cloglog':
    case 'log': {
      const link = makeLink(name as LinkName);
      return { name, linkinv: link.linkinv, muEta: link.muEta };
    }
    case 'sqrt':
      return { name, linkinv: (eta) => positivePart(eta) ** 2, muEta: (eta) => 2 * positivePart(eta) };
    case '1/mu^2':
      return { name, linkinv: (eta) => 1 / Math.sqrt(positivePart(eta)), muEta: (eta) => -1 / (2 * positivePart(eta) ** 1.5) };
    case 'inverse':
      return { name, linkinv: (eta) => 1 / positivePart(eta), muEta: (eta) => -1 / positivePart(eta) ** 2 };
    case 'log10':
      return { name, linkinv: (eta) => 10 ** eta, muEta: (eta) => 10 ** eta * Math.LN10 };
    case 'log2':
      return { name, linkinv: (eta) => 2 ** eta, muEta: (eta) => 2 ** eta * Math.LN2 };
    case 'log1p':
      return { name, linkinv: Math.expm1, muEta: Math.exp };
    default:
      return null;
  }
}

/** The transformation applied to the response in the formula: `log` for `log(y)`, null for `y` or anything else. */
function responseTransform(response: Node | null): string | null {
  if (response === null) return null;
  const node = response.kind === 'paren' ? response.expr : response;
  if (node.kind !== 'call' || node.args.length !== 1 || node.args[0].kind !== 'name') return null;
  return ['log', 'log2', 'log10', 'log1p', 'sqrt'].includes(node.fn) ? node.fn : null;
}

function ratioOf(means: Transform | null): ScaleInfo['ratio'] {
  if (means === null) return null;
  if (means.name === 'logit') {
    const log = makeLink('log');
    return { name: 'log odds ratio', linkinv: log.linkinv, muEta: log.muEta, label: 'odds.ratio' };
  }
  if (['log', 'log2', 'log10'].includes(means.name)) return { ...means, label: 'ratio' };
  return null;
}

/** The scales of a model's means and contrasts (module comment). */
export function scaleInfo(model: FittedModel): ScaleInfo {
  let means: Transform | null = null, responseLabel = 'response';
  if (model.kind === 'glm' || model.kind === 'glmm') {
    const { family, link } = model.fit;
    if (link !== 'identity') means = makeTransform(link);
    if (family === 'binomial') responseLabel = 'prob';
    else if (family === 'poisson') responseLabel = 'rate';
  } else {
    const name = responseTransform(model.frame.formula.response);
    means = name === null ? null : makeTransform(name);
  }
  return { means, responseLabel, ratio: ratioOf(means) };
}
