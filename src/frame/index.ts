export type { ModelFrame, ReTerm } from './types.js';
export { modelFrame, modelFrameFromText, type ModelFrameOptions } from './modelFrame.js';
export { evaluate, type EvalContext } from './evaluate.js';
export type { Value } from './value.js';
export { designMatrix, type DesignMatrix } from './modelMatrix.js';
export { dropAliased, findAliased } from './aliased.js';
export { contrastMatrix, indicatorMatrix, termCodings, type Coding, type CodingMatrix, type ContrastKind, type ContrastsOption } from './contrasts.js';
export { reTerms, lme4Order, type ReTermsOptions } from './reTerms.js';
export { poly } from './poly.js';
