/**
 * Contrast matrices L (q x p) for F tests of the fixed-effects terms, one per
 * term in the formula's order (the intercept has none).
 *
 * Type I (sequential, lmerTest's choice): X'X = R'R (Cholesky, columns in
 * term order); the rows of R belonging to a term's columns, each scaled to a
 * unit diagonal as lmerTest's (sequentialRows). Row i of R tests
 * beta_i adjusted for the columns before it only, so the F tests are the
 * sequential ones; lmerTest uses the same unweighted X'X (R's anova.lm the
 * weighted X'WX, so linear models pass their weights).
 *
 * Type II (lmerTest's default "2", get_contrasts_type2_unfolded): a term that
 * no other term contains is tested by its own coefficients (rows of the
 * identity). Any other term T: order the columns as (the columns of the terms
 * neither T nor containing T, then T's, then those of the terms containing T),
 * X'X = R'R in that order, and take the rows of R for T's columns: T adjusted
 * for everything but the terms containing it. Containment is lmerTest's:
 * with V(T) the variables of T that R's terms() codes by contrasts (factor
 * matrix entry 1: the term without that variable is, or lies within, an
 * earlier term) and N(T) the numeric ones among them, T1 lies in T2 when
 * V(T1) is a proper subset of V(T2) and N(T1) = N(T2) (so `f` does not lie in
 * `f:x` for a numeric x, but `x` does).
 *
 * Type III (SAS's, lmerTest's default): lmerTest's own rows, typeIIIContrasts.ts.
 */
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import type { ModelFrame } from '../../frame/types.js';
import { cholesky, crossprod } from './ddfDense.js';
import { symmetricEigen } from './ddfEigen.js';

/** q x p hypothesis matrix, row-major: values[m * p + j] is L[m, j]. */
export interface Contrast {
  q: number;
  p: number;
  values: Float64Array;
}

export interface TermContrast {
  term: string;
  L: Contrast;
}

/** Eigenvalues of L C L' below this times the largest are taken as 0 (dependent rows). */
const RANK_TOL = 1e-8;

/**
 * The rows of V'L for L C L' = V D V', keeping the r directions with D > 0:
 * independent hypotheses, uncorrelated under C, with variances D.
 */
export function diagonaliseContrast(L: Contrast, C: Float64Array): { rows: Float64Array[]; variances: number[] } {
  const { q, p, values } = L;
  const LC = new Float64Array(q * p);
  for (let m = 0; m < q; m++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < p; i++) s += values[m * p + i] * C[i + j * p];
      LC[m * p + j] = s;
    }
  }
  const LCL = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      let s = 0;
      for (let j = 0; j < p; j++) s += LC[a * p + j] * values[b * p + j];
      LCL[a + b * q] = s;
    }
  }
  const { values: d, vectors } = symmetricEigen(q, LCL);
  const rows: Float64Array[] = [];
  const variances: number[] = [];
  d.forEach((lambda, e) => {
    if (!(lambda > RANK_TOL * d[0])) return;
    const row = new Float64Array(p);
    for (let m = 0; m < q; m++) {
      const v = vectors[m + e * q];
      for (let j = 0; j < p; j++) row[j] += v * values[m * p + j];
    }
    rows.push(row);
    variances.push(lambda);
  });
  if (rows.length === 0) throw new MixedModelsError('the hypothesis has no estimable part (L C L\' is zero)');
  return { rows, variances };
}

/** A term's columns of a design with `assign`: term index t (0-based) has assign t + 1. */
export function termColumns(assign: Int32Array, t: number): number[] {
  const out: number[] = [];
  assign.forEach((a, j) => {
    if (a === t + 1) out.push(j);
  });
  return out;
}

/** X'WX (W = diag(weights), or the identity when null) of the frame's design. */
function crossproduct(frame: ModelFrame, weights: Float64Array | null): Float64Array {
  const { X, nobs: n, p } = frame;
  if (weights === null) return crossprod(n, p, p, X, X);
  const WX = new Float64Array(n * p);
  for (let j = 0; j < p; j++) for (let i = 0; i < n; i++) WX[i + j * n] = weights[i] * X[i + j * n];
  return crossprod(n, p, p, X, WX);
}

/**
 * With A (p x p) permuted to the column order `order`, A = R'R: the rows of R
 * at the positions of the original columns `wanted`, each divided by its
 * diagonal element, mapped back to the original column order. The rows are
 * lmerTest's (the unit-triangular factor of its Doolittle decomposition, A =
 * L D L', rows of L'): a basis of the same hypothesis, but Satterthwaite's df
 * of a multi-df test depend on the basis (one df per direction of L C L'), so
 * it must be lmerTest's to give its DenDF. lmerTest also zeroes entries of L
 * below 1e-6 and the column of a pivot below 1e-6, which changes the
 * hypothesis for columns of extreme scale; that is not copied.
 */
function sequentialRows(A: Float64Array, p: number, order: readonly number[], wanted: readonly number[], what: string): Contrast {
  const Ap = new Float64Array(p * p);
  for (let b = 0; b < p; b++) for (let a = 0; a < p; a++) Ap[a + b * p] = A[order[a] + order[b] * p];
  const Lc = cholesky(p, Ap);
  if (Lc === null) throw new MixedModelsError(`the fixed-effects columns are collinear: ${what} tests are not defined`);
  const values = new Float64Array(wanted.length * p);
  wanted.forEach((i, m) => {
    const a = order.indexOf(i), d = Lc[a + a * p];
    for (let b = a; b < p; b++) values[m * p + order[b]] = Lc[b + a * p] / d;
  });
  return { q: wanted.length, p, values };
}

/** Type I contrasts (module comment); `weights` gives X'WX instead of X'X. */
export function typeIContrasts(frame: ModelFrame, weights: Float64Array | null = null): TermContrast[] {
  const A = crossproduct(frame, weights);
  const order = Array.from({ length: frame.p }, (_, j) => j);
  return frame.formula.fixed.terms.map((term, t) => ({ term: term.label, L: sequentialRows(A, frame.p, order, termColumns(frame.assign, t), 'sequential') }));
}

/** Per term, R's variables coded by contrasts (module comment). */
function contrastVariables(terms: readonly (readonly string[])[]): string[][] {
  return terms.map((vars, t) => vars.filter((v) => {
    const rest = vars.filter((w) => w !== v);
    return rest.length === 0 || terms.slice(0, t).some((prev) => rest.every((w) => prev.includes(w)));
  }));
}

/** For each term, the indices of the terms that contain it in lmerTest's sense (module comment). */
export function termContainment(terms: readonly (readonly string[])[], isNumeric: (label: string) => boolean): number[][] {
  const vars = contrastVariables(terms);
  const numerics = vars.map((v) => v.filter(isNumeric));
  const sameSet = (a: readonly string[], b: readonly string[]) => a.every((x) => b.includes(x)) && b.every((x) => a.includes(x));
  return vars.map((v1, i) => vars.flatMap((v2, j) => {
    const inside = v1.every((x) => v2.includes(x)) && v2.some((x) => !v1.includes(x)) && sameSet(numerics[i], numerics[j]);
    return inside ? [j] : [];
  }));
}

/**
 * Type II contrasts (module comment). `isNumeric(label)` tells whether a
 * formula variable is numeric (R's dataClasses "numeric"); `weights` gives
 * X'WX instead of X'X (linear models, as car's Anova; lmerTest's are unweighted).
 */
export function typeIIContrasts(frame: ModelFrame, isNumeric: (label: string) => boolean, weights: Float64Array | null = null): TermContrast[] {
  const terms = frame.formula.fixed.terms;
  if (frame.p <= 1 || terms.length <= 1) return typeIContrasts(frame, weights);
  const containing = termContainment(terms.map((t) => t.variables.map((v) => deparse(v))), isNumeric);
  const A = crossproduct(frame, weights);
  const p = frame.p;
  return terms.map((term, t) => {
    const own = termColumns(frame.assign, t);
    if (containing[t].length === 0) {
      const values = new Float64Array(own.length * p);
      own.forEach((j, m) => (values[m * p + j] = 1));
      return { term: term.label, L: { q: own.length, p, values } };
    }
    const last = [...own, ...containing[t].flatMap((u) => termColumns(frame.assign, u))];
    const order = [...Array.from({ length: p }, (_, j) => j).filter((j) => !last.includes(j)), ...last];
    return { term: term.label, L: sequentialRows(A, p, order, own, 'type II') };
  });
}
