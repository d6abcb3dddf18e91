/**
 * Contrast coefficients over k levels (emmeans' .emmc functions): a k x m
 * matrix C, one column per contrast, with emmeans' names and defaults.
 *
 * - pairwise:    e_i - e_j for i < j, named `a - b`; Tukey-adjusted.
 * - revpairwise: e_i - e_j for i > j (i ascending, then j), named `b - a`; Tukey-adjusted.
 * - trt.vs.ctrl: e_i - e_ref for i != ref, named `b - a`; Dunnett-adjusted (dunnettx).
 * - eff:         e_i - 1/k (every level against the average), named `a effect`; FDR-adjusted.
 * - custom:      named coefficient vectors; unadjusted.
 *
 * `famSize` is the number of means in the family (Tukey's k) and `pairs`
 * marks one set of pairwise comparisons, the only family the Tukey
 * adjustment fits.
 */
import { MixedModelsError } from '../../errors.js';

export type ContrastMethodName = 'pairwise' | 'revpairwise' | 'trt.vs.ctrl' | 'eff';
export type ContrastMethod = ContrastMethodName | Readonly<Record<string, readonly number[]>>;

export interface ContrastMatrix {
  names: string[];
  /** coefficients[c][i]: weight of level i in contrast c. */
  coefficients: number[][];
  adjust: string;
  famSize: number;
  pairs: boolean;
}

export const CONTRAST_METHODS: readonly ContrastMethodName[] = ['pairwise', 'revpairwise', 'trt.vs.ctrl', 'eff'];

function unit(k: number, i: number, j: number): number[] {
  const c = new Array<number>(k).fill(0);
  c[i] = 1;
  c[j] = -1;
  return c;
}

function pairwise(levels: readonly string[], reverse: boolean): ContrastMatrix {
  const k = levels.length, names: string[] = [], coefficients: number[][] = [];
  if (!reverse) {
    for (let i = 0; i < k - 1; i++) {
      for (let j = i + 1; j < k; j++) {
        names.push(`${levels[i]} - ${levels[j]}`);
        coefficients.push(unit(k, i, j));
      }
    }
  } else {
    for (let i = 1; i < k; i++) {
      for (let j = 0; j < i; j++) {
        names.push(`${levels[i]} - ${levels[j]}`);
        coefficients.push(unit(k, i, j));
      }
    }
  }
  return { names, coefficients, adjust: 'tukey', famSize: k, pairs: true };
}

/** The index of the control level: a 1-based number or a level label. */
function referenceIndex(levels: readonly string[], ref: number | string): number {
  const i = typeof ref === 'number' ? ref - 1 : levels.indexOf(ref);
  if (!(Number.isInteger(i) && i >= 0 && i < levels.length)) {
    throw new MixedModelsError(`the control level ${typeof ref === 'number' ? ref : `'${ref}'`} is not one of the ${levels.length} levels (${levels.join(', ')})`);
  }
  return i;
}

function trtVsCtrl(levels: readonly string[], ref: number | string): ContrastMatrix {
  const r = referenceIndex(levels, ref);
  const names: string[] = [], coefficients: number[][] = [];
  levels.forEach((level, i) => {
    if (i === r) return;
    names.push(`${level} - ${levels[r]}`);
    coefficients.push(unit(levels.length, i, r));
  });
  return { names, coefficients, adjust: 'dunnettx', famSize: levels.length, pairs: false };
}

function effects(levels: readonly string[]): ContrastMatrix {
  const k = levels.length;
  const coefficients = levels.map((_, i) => levels.map((__, j) => (j === i ? 1 : 0) - 1 / k));
  return { names: levels.map((l) => `${l} effect`), coefficients, adjust: 'fdr', famSize: k, pairs: false };
}

function custom(levels: readonly string[], method: Readonly<Record<string, readonly number[]>>): ContrastMatrix {
  const names = Object.keys(method);
  if (names.length === 0) throw new MixedModelsError('custom contrasts: give at least one named coefficient vector');
  const coefficients = names.map((name) => {
    const c = method[name];
    if (!Array.isArray(c) || c.length !== levels.length || !c.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new MixedModelsError(`custom contrast '${name}' needs ${levels.length} finite coefficients, one per level (${levels.join(', ')})`);
    }
    return [...c];
  });
  return { names, coefficients, adjust: 'none', famSize: levels.length, pairs: false };
}

/** The contrast matrix of `method` over `levels` (module comment). */
export function contrastMatrix(method: ContrastMethod, levels: readonly string[], ref: number | string = 1): ContrastMatrix {
  if (typeof method !== 'string') return custom(levels, method);
  switch (method) {
    case 'pairwise':
      return pairwise(levels, false);
    case 'revpairwise':
      return pairwise(levels, true);
    case 'trt.vs.ctrl':
      return trtVsCtrl(levels, ref);
    case 'eff':
      return effects(levels);
    default:
      throw new MixedModelsError(`unknown contrast method '${String(method)}'; use one of ${CONTRAST_METHODS.join(', ')} or named coefficient vectors`);
  }
}
