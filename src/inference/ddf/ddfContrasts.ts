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
 * Type III (SAS's, lmerTest's default): the hypothesis that a term's
 * coefficients are zero when every categorical variable is coded by sum-to-zero
 * contrasts: for a main effect, equal marginal means averaged with equal weights
 * over the levels of the other factors it interacts with (numeric variables
 * at 0); for an interaction, its interaction contrasts of those means. The model
 * is rebuilt with sum coding (X_s, the same column space as X, so X = X_s N
 * and beta_s = N beta); a term's L is the rows of N for its columns of X_s.
 * This needs each variable's values, recovered from its main-effect columns
 * (levels from the distinct rows of a factor's contrast columns), so every
 * variable of an interaction must also be a main effect, and X must have no
 * aliased columns.
 */
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import type { Node } from '../../formula/ast.js';
import { designMatrix } from '../../frame/modelMatrix.js';
import type { ContrastKind } from '../../frame/contrasts.js';
import type { ModelFrame } from '../../frame/types.js';
import type { Value } from '../../frame/value.js';
import { cholSolve, cholesky, crossprod, matmul } from './ddfDense.js';
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
function termColumns(assign: Int32Array, t: number): number[] {
  const out: number[] = [];
  assign.forEach((a, j) => {
    if (a === t + 1) out.push(j);
  });
  return out;
}

/** Rows `rows` of the p x p column-major N as a Contrast. */
function rowsOf(N: Float64Array, p: number, rows: readonly number[]): Contrast {
  const values = new Float64Array(rows.length * p);
  rows.forEach((i, m) => {
    for (let j = 0; j < p; j++) values[m * p + j] = N[i + j * p];
  });
  return { q: rows.length, p, values };
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

/** The values of one variable, recovered from its main-effect columns `cols` of X. */
function recoverValue(frame: ModelFrame, node: Node, label: string, cols: number[]): Value {
  const n = frame.nobs;
  const column = (j: number) => frame.X.subarray(j * n, (j + 1) * n);
  if (node.kind === 'call' && ['poly', 'ns', 'bs', 'cbind'].includes(node.fn)) {
    const values = new Float64Array(n * cols.length);
    cols.forEach((j, c) => values.set(column(j), c * n));
    return { kind: 'matrix', values, ncol: cols.length, suffixes: cols.map((_, c) => String(c + 1)) };
  }
  if (cols.length === 1 && frame.colnames[cols[0]] === label) return { kind: 'numeric', values: column(cols[0]).slice() };
  const codes = new Int32Array(n);
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = cols.map((j) => frame.X[i + j * n]).join(',');
    let code = seen.get(key);
    if (code === undefined) {
      code = seen.size;
      seen.set(key, code);
    }
    codes[i] = code;
  }
  if (seen.size !== cols.length + 1 && seen.size !== cols.length) {
    throw new MixedModelsError(`type III tests: cannot recover the levels of '${label}' from its ${cols.length} columns`);
  }
  return { kind: 'categorical', codes, levels: Array.from({ length: seen.size }, (_, c) => String(c + 1)) };
}

/** Every fixed-effects variable's values (module comment), keyed by label, and the categorical ones. */
function recoverValues(frame: ModelFrame): { values: Map<string, Value>; sum: Record<string, ContrastKind> } {
  const terms = frame.formula.fixed.terms;
  const values = new Map<string, Value>();
  const sum: Record<string, ContrastKind> = {};
  for (const term of terms) {
    for (const node of term.variables) {
      const label = deparse(node);
      if (values.has(label)) continue;
      const main = terms.findIndex((t) => t.variables.length === 1 && deparse(t.variables[0]) === label);
      const cols = main < 0 ? [] : termColumns(frame.assign, main);
      if (cols.length === 0) {
        throw new MixedModelsError(`type III tests need '${label}' as a main effect as well as in '${term.label}' (a hierarchical formula); use type 1 tests`);
      }
      const value = recoverValue(frame, node, label, cols);
      values.set(label, value);
      if (value.kind === 'categorical') sum[label] = 'sum';
    }
  }
  return { values, sum };
}

/** Type III contrasts (module comment). */
export function typeIIIContrasts(frame: ModelFrame): TermContrast[] {
  const { X, nobs: n, p } = frame;
  if (frame.aliased.length > 0) {
    throw new MixedModelsError(`type III tests need a full-rank design, but ${frame.aliased.join(', ')} ${frame.aliased.length === 1 ? 'is' : 'are'} aliased (empty cells?); use type 1 tests`);
  }
  const { values, sum } = recoverValues(frame);
  const Xs = designMatrix(frame.formula.fixed, values, n, sum);
  const Ls = Xs.p === p ? cholesky(p, crossprod(n, p, p, Xs.values, Xs.values)) : null;
  if (Ls === null) throw new MixedModelsError('type III tests: the sum-coded design is not of full rank; use type 1 tests');
  const N = cholSolve(p, Ls, crossprod(n, p, p, Xs.values, X), p);
  checkSameSpace(n, p, Xs.values, N, X);
  return frame.formula.fixed.terms.map((term, t) => ({ term: term.label, L: rowsOf(N, p, termColumns(Xs.assign, t)) }));
}

/** X = X_s N must hold (same column space); anything else is a bug in the recovery. */
function checkSameSpace(n: number, p: number, Xs: Float64Array, N: Float64Array, X: Float64Array): void {
  const fitted = matmul(n, p, p, Xs, N);
  for (let j = 0; j < p; j++) {
    let scale = 0, err = 0;
    for (let i = 0; i < n; i++) {
      scale = Math.max(scale, Math.abs(X[i + j * n]));
      err = Math.max(err, Math.abs(fitted[i + j * n] - X[i + j * n]));
    }
    if (err > 1e-8 * Math.max(1, scale)) throw new MixedModelsError('type III tests: the sum-coded design does not reproduce the model matrix; use type 1 tests');
  }
}
