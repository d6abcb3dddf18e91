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
export { anova, type AnovaOptions, type AnovaRow, type DevianceRow } from './inference/ddf/anova.js';
export { emmeans, type Emmeans, type EmmeansOptions, type EmmRow } from './inference/emmeans/emmeans.js';
export { contrast, pairs, type ContrastOptions, type ContrastRow, type Contrasts } from './inference/emmeans/contrast.js';
export { formatEmmeans } from './report/emmeansTable.js';
export { r2Nakagawa } from './inference/r2.js';
export { confint, type ConfintOptions, type ConfidenceInterval } from './inference/confint.js';
export { profile, type ModelProfile, type ProfileTrace } from './inference/profile/profile.js';
export { fitLmm, lmmProblem, finishLmm, describeBlocks, type LmmFit, type LmmOptions, type VarCorr } from './lmm/index.js';
export { bobyqa, nelderMead, type OptSummary } from './optim/index.js';
export { render, type OutputFormat, type SummaryOptions } from './report/render.js';
export { formatComparison, comparisonJson } from './report/comparison.js';
export {
  glmnet,
  cvGlmnet,
  predictGlmnet,
  glmnetCoefficients,
  type GlmnetOptions,
  type CvGlmnetOptions,
  type GlmnetModel,
  type CvGlmnetModel,
  type GlmnetPrediction,
  type LambdaChoice,
} from './glmnet/glmnet.js';
export { elnetPath, type GlmnetPath, type PathPoint, type PathData, type PathOptions } from './glmnet/path.js';
export { cvElnet, type CvResult } from './glmnet/cv.js';
export { penalizedFrame, type PenalizedFrame } from './glmnet/penalizedFrame.js';
export { lassoMixed, type LassoMixedModel, type LassoMixedOptions, type LassoMixedPoint } from './penalized/lassoMixed.js';
export { evaluateMethods, type Evaluation, type EvaluateOptions, type MethodResult } from './evaluate/evaluate.js';
export { summaryEvaluation } from './report/penalized/evaluationText.js';
export { evaluationReport } from './report/penalized/evaluationReport.js';
export { modelJson } from './report/json.js';
export { modelPlot, modelPlots, PLOT_KINDS, type PlotKind, type ModelPlotOptions } from './plot/fromModel.js';
export { tidy, type TidyOptions, type TidyEffects } from './tidy/tidy.js';
export { glance } from './tidy/glance.js';
export { augment } from './tidy/augment.js';
export type { TidyRow, TidyValue } from './tidy/rows.js';
export { table, type ModelTable, type ModelTableOptions, type ModelTableCell, type ModelTableRow } from './tidy/modelTable.js';
export { formatModelTable, type ModelTableFormat } from './report/modelTableFormat.js';
export { formatTidy, type TidyFormat } from './report/tidyTable.js';
export { toCsv } from './report/csvText.js';
