/** Generalized linear mixed models: the pipeline stages and the fitted-model type. */
export { fitGlmm, LAPLACE_GAP, type GlmmOptions } from './glmer.js';
export { glmmProblem, isScalarModel, type GlmmProblem, type ProblemOptions } from './problem.js';
export { finishGlmm, type FinishInput } from './finish.js';
export { glmmResponse, minus2LogLik, type GlmmResponse } from './response.js';
export { aggregateRows, AGGREGATE_RATIO, type Aggregated } from './aggregate.js';
export { PIRLS_TOL, PIRLS_MAXIT, PIRLS_MAXHALVE, type PirlsEngine, type PirlsResult } from './pirls/pirls.js';
export { ScalarPirls, type ScalarTerm } from './pirls/pirlsScalar.js';
export { BlockedPirls } from './pirls/pirlsBlocked.js';
export { laplaceDeviance } from './laplace/laplace.js';
export { agqDeviance, allocateAgq, type AgqBuffers } from './quadrature/agq.js';
export { gaussHermite, type GaussHermiteRule } from './quadrature/ghq.js';
export { extremeGroupMessages, boundaryFitMessages, singularTerms } from './checks.js';
export type { GlmmFit, GlmmOptSummary, GlmmStage } from './types.js';
