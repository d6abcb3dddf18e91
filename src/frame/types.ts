import type { ModelFormula } from '../formula/ast.js';

/**
 * A model frame: the formula evaluated on the data, rows with missing values
 * dropped, ready for the numerics. All matrices are dense Float64Arrays.
 */
export interface ModelFrame {
  formula: ModelFormula;
  /** Rows used. */
  nobs: number;
  /** Indices (into the input data) of the rows used, ascending. */
  rows: Int32Array;
  /** Rows dropped because a variable the model uses was missing. */
  nDropped: number;
  /** Deparsed response expression, e.g. `Reaction`, `log(y)`, `cbind(clicks, expos - clicks)`. */
  responseName: string;
  /**
   * The response as a number per row. For `cbind(s, f)`: s / (s + f).
   * For a two-level categorical response: 0 for the first level, 1 for the second.
   */
  y: Float64Array;
  /** `cbind(s, f)` only: s + f per row (binomial trials); null otherwise. */
  trials: Float64Array | null;
  /** Two-level categorical response only: its levels [failure, success]. */
  responseLevels: [string, string] | null;
  /** Prior weights from the `weights` option (null when not given). */
  weights: Float64Array | null;
  /** Sum of all offset(...) terms (null when there are none). */
  offset: Float64Array | null;
  /** Fixed-effects model matrix, column-major, nobs x p, aliased columns removed. */
  X: Float64Array;
  p: number;
  /** R's column names: `(Intercept)`, `recipeB`, `recipeB:temp`, `poly(x, 2)1`. */
  colnames: string[];
  /** Per kept column: 0 for the intercept, i for `formula.fixed.terms[i - 1]`. */
  assign: Int32Array;
  /** Columns removed because they were linear combinations of earlier ones (R's aliased coefficients). */
  aliased: string[];
  /**
   * Random-effects terms, in lme4's order: formula order when the numbers of
   * levels are already non-increasing, else lme4's `rev(order(nlevels))`
   * (decreasing, tied terms in reverse formula order).
   */
  reTerms: ReTerm[];
  /** Notes for the user (rows dropped, columns aliased, ...). */
  messages: string[];
  /**
   * Only for a frame built from sums computed where the data live (src/sources),
   * which has no rows (y, X, rows, and the terms' refs and z are empty): the
   * unweighted moments that stand in for them.
   */
  moments?: FrameMoments;
}

/** Unweighted sums over a model frame's rows (see ModelFrame.moments). */
export interface FrameMoments {
  /** X'X, p x p column-major. */
  xtx: Float64Array;
  /** X'1, length p. */
  xsum: Float64Array;
  /** Per random-effects term (reTerms' order): sum over rows of z z', k x k column-major. */
  ztz: Float64Array[];
  /** The response (y minus the offset) weighted by the prior weights: sum w, sum w y, sum w y^2 (the exact-fit check's spread of y). */
  response?: { sw: number; swy: number; swyy: number };
}

/**
 * One random-effects term: a grouping factor and k per-row columns, so that
 * row i contributes z[i*k .. i*k+k) to the random effects of level refs[i].
 */
export interface ReTerm {
  /** lme4's name of the grouping factor: `Subject`, `cask:batch`. */
  group: string;
  /** Level labels of the grouping factor, in lme4's order; unused levels dropped. */
  levels: string[];
  /** Level index (0-based) per row, length nobs. */
  refs: Int32Array;
  /** Column names of the term's model matrix: `(Intercept)`, `Days`. */
  cnames: string[];
  /** Number of columns (random effects per level). */
  k: number;
  /** Row-major nobs x k values of the term's model matrix. */
  z: Float64Array;
}
