/**
 * The methods `evaluate` compares, each fitted to training data and then
 * predicting the mean response of new rows:
 *
 * - glmm / lmm: the formula as written (glmer with the given nAGQ; lmer by
 *   REML); new rows of seen groups use their conditional modes, rows of new
 *   groups a zero random effect (said in the messages);
 * - glm / lm: the formula with each grouping factor as a fixed factor
 *   (fixedFormula.ts, treatment contrasts); rows with a level the fit has not
 *   seen cannot be predicted (R's predict.glm refuses them) and are left out;
 * - lasso / ridge / enet: the same terms with one indicator per level, lambda
 *   by cross-validation (cv.glmnet), predictions at lambda.1se (or lambda.min);
 *   an unseen level's indicators are 0.
 *
 * `coefficients` are the fixed effects other than the grouping factors.
 */
import { glm, glmer, lm, lmer, type GeneralizedLinearModel, type LinearModel } from '../api/fit.js';
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import { cvGlmnet, glmnetCoefficients, predictGlmnet } from '../glmnet/glmnet.js';
import { makeFamily } from '../glm/family.js';
import { newFrame } from '../inference/predict/newFrame.js';
import { predict } from '../inference/predict/predict.js';
import { isGroupTerm, type FixedFormula } from './fixedFormula.js';
import { tableRows } from './tableRows.js';

export const METHODS = ['glmm', 'glm', 'lasso', 'ridge', 'enet', 'lmm', 'lm'] as const;
export type Method = (typeof METHODS)[number];

export interface MethodSettings {
  /** The formula as written (with bars). */
  formula: string;
  fixed: FixedFormula;
  family: string;
  link?: string;
  nAGQ?: number;
  factors: readonly string[];
  weights?: string;
  /** enet's mixing (default 0.5). */
  alpha?: number;
  /** glmnet's lambda for predictions. */
  s: 'lambda.1se' | 'lambda.min';
  /** glmnet's cross-validation: a fold column of the training data, or random folds. */
  foldid?: string;
  nfolds?: number;
  seed?: number;
}

export interface FittedMethod {
  method: Method;
  fitSeconds: number;
  coefficients: { term: string; estimate: number }[];
  messages: string[];
  /** Predicted means of the new rows (NaN where a row cannot be predicted). */
  predict(newdata: DataTable): { mean: Float64Array; messages: string[] };
}

export function checkMethod(name: string, family: string): Method {
  if (!(METHODS as readonly string[]).includes(name)) throw new MixedModelsError(`unknown method '${name}': use ${METHODS.join(', ')}`);
  const gaussian = family === 'gaussian';
  if ((name === 'lmm' || name === 'lm') && !gaussian) throw new MixedModelsError(`method ${name} needs the gaussian family; use ${name === 'lmm' ? 'glmm' : 'glm'} for ${family}`);
  if ((name === 'glmm' || name === 'glm') && gaussian) throw new MixedModelsError(`method ${name} needs a non-gaussian family (--family); use ${name === 'glmm' ? 'lmm' : 'lm'} for a gaussian response`);
  return name as Method;
}

function timed<T>(f: () => T): { value: T; seconds: number } {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export function fitMethod(method: Method, data: DataTable, s: MethodSettings): FittedMethod {
  switch (method) {
    case 'glmm':
    case 'lmm':
      return fitMixed(method, data, s);
    case 'glm':
    case 'lm':
      return fitFixed(method, data, s);
    default:
      return fitPenalized(method, data, s);
  }
}

function fitMixed(method: 'glmm' | 'lmm', data: DataTable, s: MethodSettings): FittedMethod {
  const opts = { factors: s.factors, weights: s.weights, family: s.family, link: s.link, nAGQ: s.nAGQ };
  const { value: model, seconds } = timed(() => (method === 'lmm' ? lmer(s.formula, data, { ...opts, family: undefined }) : glmer(s.formula, data, opts)));
  const coefficients = model.kind === 'lmm'
    ? model.fit.coefnames.map((term, j) => ({ term, estimate: model.fit.beta[j] }))
    : model.fit.coefficients.map((c) => ({ term: c.term, estimate: c.estimate }));
  return {
    method,
    fitSeconds: seconds,
    coefficients,
    messages: [...model.fit.messages],
    predict(newdata) {
      const p = predict(model, newdata, { allowNewLevels: true, type: 'response' });
      return { mean: p.fit, messages: p.messages };
    },
  };
}

/** Levels of each grouping column in `data`. */
function groupLevels(data: DataTable, columns: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const c of columns) {
    const col = data.columns.get(c);
    if (col?.kind === 'categorical') out.set(c, new Set(col.values.filter((v): v is string => v !== null)));
  }
  return out;
}

function fitFixed(method: 'glm' | 'lm', data: DataTable, s: MethodSettings): FittedMethod {
  const factors = [...new Set([...s.factors, ...s.fixed.groupColumns])];
  const { value: model, seconds } = timed<LinearModel | GeneralizedLinearModel>(() =>
    method === 'lm' ? lm(s.fixed.text, data, { factors, weights: s.weights }) : glm(s.fixed.text, data, { factors, weights: s.weights, family: s.family, link: s.link }),
  );
  const terms = model.frame.formula.fixed.terms;
  const own = (j: number) => model.frame.assign[j] === 0 || !isGroupTerm(terms[model.frame.assign[j] - 1], s.fixed.groupVariables);
  const estimate = new Map(model.fit.coefficients.map((c) => [c.term, c.estimate]));
  const beta = Float64Array.from(model.frame.colnames, (c) => estimate.get(c) ?? 0);
  const linkinv = method === 'lm' ? (e: number) => e : makeFamily(s.family, s.link).link.linkinv;
  const seen = groupLevels(model.data, s.fixed.groupColumns);
  return {
    method,
    fitSeconds: seconds,
    coefficients: model.frame.colnames.filter((_, j) => own(j)).map((term) => ({ term, estimate: estimate.get(term) ?? NaN })),
    messages: [...model.fit.messages],
    predict(newdata) {
      const table = newdata;
      const known = Array.from({ length: table.nrow }, (_, i) => i).filter((i) =>
        [...seen].every(([c, levels]) => {
          const col = table.columns.get(c);
          const v = col?.kind === 'categorical' ? col.values[i] : col?.kind === 'numeric' ? String(col.values[i]) : null;
          return v === null || levels.has(v);
        }),
      );
      const mean = new Float64Array(table.nrow).fill(NaN);
      const messages: string[] = [];
      if (known.length < table.nrow) messages.push(`${method}: ${table.nrow - known.length} rows have a level of ${s.fixed.groupColumns.join(', ')} the fit has not seen; they cannot be predicted and are left out of its score`);
      if (known.length === 0) return { mean, messages };
      const nf = newFrame(model.frame, { data: model.data, factors }, tableRows(table, known), { random: false });
      known.forEach((row, i) => {
        if (nf.missing[i]) return;
        let e = nf.offset?.[i] ?? 0;
        for (let j = 0; j < nf.p; j++) e += nf.X[i + j * nf.n] * beta[j];
        mean[row] = linkinv(e);
      });
      return { mean, messages };
    },
  };
}

function fitPenalized(method: 'lasso' | 'ridge' | 'enet', data: DataTable, s: MethodSettings): FittedMethod {
  const alpha = method === 'lasso' ? 1 : method === 'ridge' ? 0 : (s.alpha ?? 0.5);
  const factors = [...new Set([...s.factors, ...s.fixed.groupColumns])];
  const { value: model, seconds } = timed(() =>
    cvGlmnet(s.fixed.text, data, { family: s.family, alpha, factors, weights: s.weights, foldid: s.foldid, nfolds: s.nfolds, seed: s.seed }),
  );
  const terms = model.frame.formula.fixed.terms;
  const groupCols = new Set(model.frame.design.colnames.filter((_, j) => isGroupTerm(terms[model.frame.design.assign[j]], s.fixed.groupVariables)));
  return {
    method,
    fitSeconds: seconds,
    coefficients: glmnetCoefficients(model, s.s).filter((c) => !groupCols.has(c.term)),
    messages: [...model.messages],
    predict(newdata) {
      const p = predictGlmnet(model, newdata, { s: s.s, type: 'response' });
      return { mean: p.fit, messages: p.messages.map((m) => `${method}: ${m}`) };
    },
  };
}
