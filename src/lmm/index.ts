/** Linear mixed models: the pipeline stages and the fitted-model type. */
export { fitLmm, fitLmmProblem, optimizeLmm, type LmmOptions, type LmmOptimizerName } from './lmer.js';
export { hasRows, lmmProblem, registerBlocks, withCriterion, type LmmProblem } from './problem.js';
export { finishLmm, singularMessages, SINGULAR_TOL } from './finish.js';
export { convergenceDerivatives, convergenceMessages, GRADIENT_TOL } from './convergence.js';
export { describeBlocks, formBlocks, type BlockDiagonal, type LmmBlocks, type SparseBlock } from './blocks.js';
export { factorBlocks, termName, type FactorBlock, type TermSlot } from './factorBlocks.js';
export { lambdaMap, setLambda, type LambdaMap } from './lambda.js';
export type { LmmFit, LmmOptSummary, RanefGroup } from './types.js';
export type { VarCorr, VarCorrTerm } from './varCorr.js';
export type { Icc } from './icc.js';
