/**
 * mixedmodels: the public API. Everything a user imports is listed here;
 * other modules are internal.
 */
export { MixedModelsError, FormulaError } from './errors.js';
export { parseFormula, expandFormula, deparse, formatFormula } from './formula/index.js';
export type { FormulaAST, ModelFormula, Node, Term, TermList, RandomTerm } from './formula/index.js';
export { toTable, type Column, type DataTable } from './data/index.js';
export { parseCsv } from './io/csv.js';
export { modelFrame, modelFrameFromText, type ModelFrame, type ReTerm, type ModelFrameOptions } from './frame/index.js';
export { lmFit, type LmFit } from './lm/index.js';
export { glmFit, makeFamily, type GlmFit, type Family } from './glm/index.js';
export {
  fitModel,
  lm,
  glm,
  lmer,
  buildFrame,
  type FitOptions,
  type FittedModel,
  type LinearModel,
  type GeneralizedLinearModel,
  type LinearMixedModel,
} from './api/fit.js';
export { fitLmm, lmmProblem, finishLmm, describeBlocks, type LmmFit, type LmmOptions, type VarCorr } from './lmm/index.js';
export { bobyqa, nelderMead, type OptSummary } from './optim/index.js';
export { render, type OutputFormat } from './report/render.js';
export { modelJson } from './report/json.js';
