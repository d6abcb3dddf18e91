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
  glmer,
  buildFrame,
  type FitOptions,
  type FittedModel,
  type LinearModel,
  type GeneralizedLinearModel,
  type LinearMixedModel,
  type GeneralizedLinearMixedModel,
  type MixedModel,
} from './api/fit.js';
export { fitGlmm, type GlmmFit } from './glmm/index.js';
export { predict, type PredictOptions, type Prediction } from './inference/predict/predict.js';
export { simulate } from './inference/bootstrap/simulate.js';
export { bootstrap } from './inference/bootstrap/bootstrap.js';
export { compareModels } from './inference/compare.js';
export { r2Nakagawa } from './inference/r2.js';
export { confint, type ConfintOptions, type ConfidenceInterval } from './inference/confint.js';
export { profile, type ModelProfile, type ProfileTrace } from './inference/profile/profile.js';
export { fitLmm, lmmProblem, finishLmm, describeBlocks, type LmmFit, type LmmOptions, type VarCorr } from './lmm/index.js';
export { bobyqa, nelderMead, type OptSummary } from './optim/index.js';
export { render, type OutputFormat, type SummaryOptions } from './report/render.js';
export { formatComparison, comparisonJson } from './report/comparison.js';
export { modelJson } from './report/json.js';
export { modelPlot, modelPlots, PLOT_KINDS, type PlotKind, type ModelPlotOptions } from './plot/fromModel.js';
