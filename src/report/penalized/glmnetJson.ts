/**
 * An elastic-net fit as the CLI's JSON (README, "Penalised models"):
 * `model: "glmnet"`, the lambda path with df and the fraction of deviance
 * explained, the cross-validation (`cv`), every coefficient at lambda.1se
 * (`coefficients`, glmnet's default `s`) and at lambda.min
 * (`coefficientsMin`), and the coefficients at every lambda (`path`).
 * Without cross-validation `coefficients` are at the last lambda.
 */
import { glmnetCoefficients, type CvGlmnetModel, type GlmnetModel } from '../../glmnet/glmnet.js';
import { num, type Json } from '../json.js';

function coefs(model: GlmnetModel, s: number | 'lambda.1se' | 'lambda.min'): Json[] {
  return glmnetCoefficients(model, s).map((c) => ({ term: c.term, estimate: num(c.estimate) }));
}

export function glmnetJson(model: GlmnetModel | CvGlmnetModel): { [key: string]: Json } {
  const { path, frame } = model;
  const pts = path.points;
  const cv = 'cv' in model ? model.cv : null;
  const last = pts[pts.length - 1].lambda;
  return {
    model: 'glmnet',
    formula: model.formula,
    response: frame.responseName,
    family: model.family,
    alpha: model.alpha,
    nobs: frame.nobs,
    nDropped: frame.nDropped,
    nvars: frame.design.p,
    lambda: pts.map((p) => num(p.lambda)),
    df: pts.map((p) => p.index.length),
    devRatio: pts.map((p) => num(p.devRatio)),
    nullDeviance: num(path.nullDeviance),
    cv: cv && {
      measure: cv.measure,
      name: cv.name,
      nfolds: cv.nfolds,
      lambda: Array.from(cv.lambda, num),
      cvm: Array.from(cv.cvm, num),
      cvsd: Array.from(cv.cvsd, num),
      nzero: Array.from(cv.nzero),
      lambdaMin: num(cv.lambdaMin),
      lambda1se: num(cv.lambda1se),
    },
    coefficients: coefs(model, cv ? 'lambda.1se' : last),
    coefficientsMin: cv ? coefs(model, 'lambda.min') : null,
    path: pts.map((p) => ({ lambda: num(p.lambda), coefficients: coefs(model, p.lambda) })),
    messages: [...model.messages],
  };
}
