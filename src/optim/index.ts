/** Bounded derivative-free minimisation and finite-difference derivatives. */
export { bobyqa, type BobyqaOptions } from './bobyqa.js';
export { nelderMead, type NelderMeadOptions } from './neldermead.js';
export {
  runOptimizer, type OptResult, type OptSummary, type OptimizerName, type OptimizerOptions,
} from './optsummary.js';
export { fdGradient, fdHessian, fdDerivatives, type FdDerivatives } from './gradient.js';
export { quasiNewton, type QuasiNewtonOptions, type QuasiNewtonResult, type GradientFunction, type ValueFunction } from './quasiNewton.js';
export { brentMinimize, type BrentResult } from './brent.js';
