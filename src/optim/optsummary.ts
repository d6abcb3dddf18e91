/**
 * What an optimiser returns, and the record of a fit's optimisation that the
 * models keep (after MixedModels.jl's OptSummary: all optimiser state and
 * outcome in one documented value).
 */
import { bobyqa, type BobyqaOptions } from './bobyqa.js';
import { nelderMead, type NelderMeadOptions } from './neldermead.js';

export interface OptResult {
  /** The best point evaluated. */
  x: Float64Array;
  /** f(x) */
  fx: number;
  /** Evaluations of f made. */
  evaluations: number;
  /** True when the optimiser's own convergence test was met (not the evaluation limit). */
  converged: boolean;
  message: string;
}

/**
 * What an optimiser did: its name, the optimum and its value, the number of evaluations, whether it converged and its messages.
 */
export interface OptSummary {
  optimizer: string;
  /** Starting values as given. */
  initial: number[];
  final: number[];
  fmin: number;
  evaluations: number;
  /** Wall-clock time of the run. */
  seconds: number;
  converged: boolean;
  /** The optimiser's message, then any warnings added by the models. */
  messages: string[];
}

export type OptimizerName = 'bobyqa' | 'neldermead';

/** Options of either optimiser; each ignores the other's. Bounds are given separately. */
export type OptimizerOptions = Omit<BobyqaOptions, 'lower' | 'upper'> & Omit<NelderMeadOptions, 'lower' | 'upper'>;

/** Runs the named optimiser within bounds and times it. */
export function runOptimizer(
  name: OptimizerName,
  f: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  opts: OptimizerOptions = {},
): { summary: OptSummary; result: OptResult } {
  const started = performance.now();
  const result = name === 'bobyqa'
    ? bobyqa(f, x0, { ...opts, lower, upper })
    : nelderMead(f, x0, { ...opts, lower, upper });
  const seconds = (performance.now() - started) / 1000;
  const summary: OptSummary = {
    optimizer: name,
    initial: Array.from(x0),
    final: Array.from(result.x),
    fmin: result.fx,
    evaluations: result.evaluations,
    seconds,
    converged: result.converged,
    messages: [result.message],
  };
  return { summary, result };
}
