export { lmFit, type LmFit, type FStatistic } from './lm.js';
export type { Coefficient } from './coefficient.js';
