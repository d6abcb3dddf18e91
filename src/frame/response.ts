import { MixedModelsError } from '../errors.js';
import type { Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import type { Value } from './value.js';

export interface Response {
  y: Float64Array;
  trials: Float64Array | null;
  responseLevels: [string, string] | null;
}

/**
 * The response as numbers (glm's and glmer's reading of it):
 * - numeric: as is;
 * - `cbind(s, f)`, binomial family only: y = s / (s + f) and trials = s + f (y = 0 when there are no trials);
 * - a two-level categorical response, binomial family only: 0 for the first level, 1 for the second.
 */
export function response(node: Node | null, values: ReadonlyMap<string, Value>, family?: string): Response {
  if (node === null) throw new MixedModelsError('the formula has no response: write it as `y ~ ...`');
  const label = deparse(node);
  const value = values.get(label)!;
  if (value.kind === 'numeric') return { y: value.values, trials: null, responseLevels: null };
  if (value.kind === 'matrix') {
    if (family !== 'binomial') {
      throw twoColumnResponseError(label);
    }
    return successesFailures(label, value);
  }
  if (family !== 'binomial') throw notNumericResponseError(label);
  if (value.levels.length !== 2) {
    throw new MixedModelsError(
      `a categorical response needs exactly two levels; '${label}' has ${value.levels.length} (${value.levels.slice(0, 5).join(', ')}${value.levels.length > 5 ? ', ...' : ''})`,
    );
  }
  return {
    y: Float64Array.from(value.codes),
    trials: null,
    responseLevels: [value.levels[0], value.levels[1]],
  };
}

function successesFailures(label: string, value: Extract<Value, { kind: 'matrix' }>): Response {
  if (value.ncol !== 2) {
    throw new MixedModelsError(`a matrix response must have two columns, successes and failures; '${label}' has ${value.ncol}`);
  }
  const n = value.values.length / 2;
  const trials = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = value.values[i];
    const f = value.values[n + i];
    if (s < 0 || f < 0) throw new MixedModelsError(`'${label}' has a negative count in row ${i + 1} of the rows used`);
    trials[i] = s + f;
    y[i] = trials[i] === 0 ? 0 : s / trials[i];
  }
  return { y, trials, responseLevels: null };
}

/** A cbind() response outside binomial models (in memory, and from a source's sums: sources/lmm/lmmSums.ts). */
export function twoColumnResponseError(label: string): MixedModelsError {
  return new MixedModelsError(
    `a two-column response such as '${label}' means successes and failures, for binomial models only: give the family binomial (--family binomial), or use one response column`,
  );
}

/** A categorical response outside binomial models. */
export function notNumericResponseError(label: string): MixedModelsError {
  return new MixedModelsError(`response '${label}' is not numeric`);
}
