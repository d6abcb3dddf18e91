/**
 * lmerTest's type III hypothesis matrices, row for row (lmerTest 3.1's
 * get_contrasts_type3 and extract_contrasts_type3).
 *
 * Why rows and not just the row space: a term with q > 1 numerator df gets
 * Satterthwaite's denominator df from the eigen-directions of L C L' (one t df
 * per direction, combined into one F df; satterthwaite.ts), and those
 * directions change when L is replaced by A L for an invertible A. The F
 * statistic does not change, the DenDF does. So to give lmerTest's DenDF the
 * rows must be lmerTest's, which are built as follows.
 *
 * - X: the model's design in treatment coding, full rank (aliased columns
 *   dropped as R's qr does). When the model was fitted with other contrasts
 *   (sum, helmert, poly) the design is rebuilt in treatment coding and the
 *   matrices are mapped to the fitted coding at the end.
 * - rdX, the "complete" design: the intercept, then for each term the columns
 *   of R's model.matrix(~ 0 + term): every factor of the term by indicators of
 *   all its levels, numeric variables (and the columns of poly(x, 2) and the
 *   like) as they are. A factor combination without data gives a zero column
 *   (lmerTest goes on, with a message about missing cells).
 * - L = zapsmall(t(ginv(X) rdX)), one row per column of rdX, one column per
 *   column of X (X has full rank, so ginv(X) rdX = (X'X)^-1 X' rdX).
 * - Terms contained in other terms (lmerTest's containment, `termContainment`,
 *   with R's dataClasses: poly(x, 2) and scale(x) are matrices there, not
 *   covariates), highest order first: the columns of L for the term are replaced by
 *   zapsmall of their least-squares residuals (over all rows of L) on the
 *   columns of the terms containing it (R's lm.fit, pivoting at 1e-7).
 * - The rows of L that are columns of X are kept; a term's matrix is the
 *   transpose of its columns there, without the rows whose absolute values sum
 *   to 1e-8 or less.
 * - Fitted with other contrasts than treatment: each matrix is multiplied by
 *   zapsmall(ginv(X) X_fitted), which maps treatment-coded coefficients to the
 *   fitted ones.
 *
 * zapsmall is R 4.2's (the R the references come from): round(x, d) with
 * d = max(0, 7 - log10(max |x|)), which round() takes to the nearest whole
 * number. (d = 7 - ceiling(log10(max |x|)) keeps one digit fewer when max |x|
 * lies in (10^k, 10^(k + 1/2)), and then misses R 4.2's matrices in their
 * seventh significant digit.)
 *
 * With at most one term, or at most one column in X, lmerTest uses its type I
 * matrices instead (ddfContrasts.ts's typeIContrasts: the rows of the unit
 * triangular Doolittle factor of X'X).
 *
 * The frame does not keep the variables' values, so they are read back from
 * X: a factor's levels (and their order) by matching the distinct rows of its
 * main-effect columns to the rows of R's coding matrices (treatment, sum,
 * helmert, poly, or indicators without an intercept); a numeric variable is its
 * column; poly(), ns(), bs() and cbind() their columns. A variable that is no
 * main effect is read from an interaction with factors coded there by
 * indicators (`f + f:x`, `f + f:g`), or a factor from an interaction with
 * numeric variables (`x + x:f`: its columns divided by x, fromCovariateInteraction), and
 * a numeric variable from a term where its factor is coded by indicators (`z + x:f`: x is
 * the sum of the term's columns); other non-hierarchical formulas are refused. A two-level factor fits both sum and helmert
 * contrasts, with its levels swapped; the fit's `contrasts` option decides
 * (without it, sum: with helmert contrasts the rows' signs and the seventh
 * digit of the map could then differ from lmerTest's, F and DenDF hardly).
 */
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import type { Node, Term } from '../../formula/ast.js';
import { dropAliased } from '../../frame/aliased.js';
import { CONTRAST_KINDS, contrastFor, contrastKind, contrastMatrix, indicatorMatrix, termCodings, type CodingMatrix, type ContrastKind, type ContrastsOption } from '../../frame/contrasts.js';
import { designMatrix, type DesignMatrix } from '../../frame/modelMatrix.js';
import { roundDigits } from '../../frame/round.js';
import type { ModelFrame } from '../../frame/types.js';
import type { Value } from '../../frame/value.js';
import { QR_TOL, qrCoef, qrDecompose, qrQty, qrQy } from '../../linalg/qr.js';
import { matmul } from './ddfDense.js';
import { termColumns, termContainment, typeIContrasts, type Contrast, type TermContrast } from './ddfContrasts.js';

/** How a factor's main effect is coded in X: contrasts of a kind, or indicators of every level (no intercept). */
type Coding = ContrastKind | 'indicators';

/** The fixed-effects variables read back from X (module comment), keyed by label. */
interface Variables {
  values: Map<string, Value>;
  /** Factors only: their coding in the fitted X. */
  coding: Map<string, Coding>;
  /** Variables R's dataClasses calls "numeric" (containment treats them as covariates). */
  numeric: Set<string>;
}

/** A column-major matrix with its number of rows. */
interface Matrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

/** zapsmall's digits (R's getOption("digits")). */
const ZAP_DIGITS = 7;

/** Rows of a term's matrix whose absolute values sum to this or less are dropped (lmerTest's rule). */
const ZERO_ROW = 1e-8;

/** R's zapsmall(x) with 7 digits, as R 4.2 has it (module comment); in place. */
export function zapsmall(x: Float64Array): Float64Array {
  let mx = 0;
  for (const v of x) mx = Math.max(mx, Math.abs(v));
  const digits = mx > 0 ? Math.max(0, ZAP_DIGITS - Math.log10(mx)) : ZAP_DIGITS;
  for (let i = 0; i < x.length; i++) x[i] = roundDigits(x[i], digits) + 0;
  return x;
}

/**
 * lmerTest's type III matrices (module comment), one per term in the formula's
 * order, each q x frame.p. `contrasts` (the fit's option) only decides how a
 * two-level factor read back from X is coded when both sum and helmert fit it.
 */
export function lmerTestTypeIII(frame: ModelFrame, contrasts?: ContrastsOption): TermContrast[] {
  const terms = frame.formula.fixed.terms;
  if (frame.p <= 1 || terms.length <= 1) return typeIContrasts(frame);
  if (frame.moments !== undefined) throw new MixedModelsError('lmerTest\'s type III tests need the model\'s rows, which a model fitted from sums where the data live does not have; use type 1 tests');
  const vars = recoverVariables(frame, contrasts);
  const X = treatmentDesign(frame, vars.values);
  const map = codingMap(frame, X, vars.coding);
  const rdX = completeDesign(frame, vars.values);
  const L = basicContrasts(X, rdX);
  const containing = termContainment(terms.map((t) => t.variables.map(deparse)), (label) => vars.numeric.has(label));
  orthogonaliseContained(L, X.assign, terms, containing);
  const kept = X.colnames.map((name, j) => rdXColumn(rdX, X.assign[j], name));
  return terms.map((term, t) => ({ term: term.label, L: termMatrix(L, kept, termColumns(X.assign, t), map, frame.p) }));
}

/**
 * A term's matrix: the transpose of its columns `own` of L on the rows `kept`
 * (those of X's columns), without the rows that are (nearly) zero, mapped to the
 * fitted coding by `map` (pt x p) unless null.
 */
function termMatrix(L: Matrix, kept: number[], own: number[], map: Float64Array | null, p: number): Contrast {
  const rows = own
    .map((j) => Float64Array.from(kept, (r) => L.values[r + j * L.rows]))
    .filter((row) => row.reduce((s, v) => s + Math.abs(v), 0) > ZERO_ROW);
  return map === null ? stack(rows, kept.length) : mapRows(rows, map, kept.length, p);
}

/** Row vectors (each of length p) as a Contrast. */
function stack(rows: Float64Array[], p: number): Contrast {
  const values = new Float64Array(rows.length * p);
  rows.forEach((row, m) => values.set(row, m * p));
  return { q: rows.length, p, values };
}

/** Each row (length pt) times the pt x p column-major `map`, as a Contrast. */
function mapRows(rows: Float64Array[], map: Float64Array, pt: number, p: number): Contrast {
  const values = new Float64Array(rows.length * p);
  rows.forEach((row, m) => {
    for (let j = 0; j < p; j++) {
      let s = 0;
      for (let i = 0; i < pt; i++) s += row[i] * map[i + j * pt];
      values[m * p + j] = s;
    }
  });
  return { q: rows.length, p, values };
}

/** Calls whose value R keeps as a matrix: dataClasses "nmatrix.k", not "numeric" (scale(x) too). */
const MATRIX_CALLS = ['poly', 'ns', 'bs', 'cbind', 'scale'];

/** Calls whose columns the design names label + suffix (`poly(x, 2)1`). */
const MULTI_COLUMN_CALLS = ['poly', 'ns', 'bs', 'cbind'];

const isCall = (node: Node, fns: readonly string[]) => node.kind === 'call' && fns.includes(node.fn);

/**
 * Every fixed-effects variable read back from X (module comment): from its
 * main-effect columns, or else (`f + f:x`, `f + f:g`) from an interaction
 * (`fromInteraction`).
 */
function recoverVariables(frame: ModelFrame, contrasts: ContrastsOption | undefined): Variables {
  const terms = frame.formula.fixed.terms;
  const vars: Variables = { values: new Map(), coding: new Map(), numeric: new Set() };
  const n = frame.nobs;
  const column = (j: number) => frame.X.slice(j * n, (j + 1) * n);
  const pending: { node: Node; label: string; term: string }[] = [];
  for (const term of terms) {
    for (const node of term.variables) {
      const label = deparse(node);
      if (vars.values.has(label)) continue;
      const main = terms.findIndex((t) => t.variables.length === 1 && deparse(t.variables[0]) === label);
      const cols = main < 0 ? [] : termColumns(frame.assign, main);
      if (cols.length === 0) pending.push({ node, label, term: term.label });
      else setVariable(vars, node, label, cols.map(column), cols.length === 1 && frame.colnames[cols[0]] === label, contrasts);
    }
  }
  // In rounds: a variable read here can make another readable (`z + x:f`: x, then f from x:f).
  for (let left = pending; left.length > 0;) {
    const next = left.filter(({ node, label }) => {
      if (vars.values.has(label)) return false;
      const found = fromInteraction(frame, vars, label) ?? fromCovariateInteraction(frame, vars, label) ?? numericFromIndicatorTerm(frame, vars, label);
      if (found !== null) setVariable(vars, node, label, found.columns, found.numeric, contrasts);
      return found === null;
    });
    if (next.length === left.length) {
      const { label, term } = next[0];
      throw new MixedModelsError(`lmerTest's type III tests: cannot read the values of '${label}' back from the model matrix; add it as a main effect to '${term}' (a hierarchical formula), or use type 1 tests`);
    }
    left = next;
  }
  return vars;
}

/**
 * A numeric variable that is no main effect, from a term `x:f` whose factor is coded there by
 * indicators of all its levels (`z + x:f`; R's coding rule, termCodings): each column is x at
 * the rows of one level and 0 elsewhere, so x is the sum of the term's columns at each row
 * (f follows from the same term, fromCovariateInteraction). With an intercept only (without one,
 * R's switch of the first factor to indicators would need every variable's kind). Null when no
 * term qualifies.
 */
function numericFromIndicatorTerm(frame: ModelFrame, vars: Variables, label: string): { columns: Float64Array[]; numeric: boolean } | null {
  const { terms, intercept } = frame.formula.fixed;
  if (!intercept) return null;
  const keys = terms.map((t) => t.variables.map(deparse));
  const n = frame.nobs;
  for (let t = 0; t < keys.length; t++) {
    const key = keys[t];
    if (key.length !== 2 || !key.includes(label)) continue;
    const other = key[key[0] === label ? 1 : 0];
    if (vars.values.get(other)?.kind === 'numeric') continue;
    const coding = termCodings(keys, intercept, (k) => (k === label ? 0 : k === other ? 2 : nlevelsOf(vars, k)))[t];
    if (coding[key.indexOf(other)] !== 'indicators') continue;
    const cols = termColumns(frame.assign, t);
    if (cols.length < 2 || !cols.every((j) => frame.colnames[j].split(':').includes(label))) continue;
    const x = new Float64Array(n);
    let single = true;
    for (let i = 0; i < n && single; i++) {
      let nonzero = 0;
      for (const j of cols) {
        const v = frame.X[i + j * n];
        if (v !== 0) {
          nonzero++;
          x[i] = v;
        }
      }
      single = nonzero <= 1;
    }
    if (single) return { columns: [x], numeric: true };
  }
  return null;
}

/** Levels of a variable read already (0 for a numeric one, 2 for one not read yet: taken as a factor). */
function nlevelsOf(vars: Variables, key: string): number {
  const v = vars.values.get(key);
  return v === undefined ? 2 : v.kind === 'categorical' ? v.levels.length : 0;
}

/** Records a variable from its columns: a matrix (poly(), ...), a number per row (`numeric`: its column is named by the label), or a factor. */
function setVariable(vars: Variables, node: Node, label: string, columns: Float64Array[], numeric: boolean, contrasts: ContrastsOption | undefined): void {
  if (isCall(node, MULTI_COLUMN_CALLS)) {
    const n = columns[0].length;
    const values = new Float64Array(n * columns.length);
    columns.forEach((c, k) => values.set(c, k * n));
    vars.values.set(label, { kind: 'matrix', values, ncol: columns.length, suffixes: columns.map((_, k) => String(k + 1)) });
  } else if (numeric && columns.length === 1) {
    vars.values.set(label, { kind: 'numeric', values: columns[0] });
    if (!isCall(node, MATRIX_CALLS)) vars.numeric.add(label);
  } else {
    const { value, coding } = recoverFactor(columns, label, contrastFor(contrasts, label, ownKind(node)));
    vars.values.set(label, value);
    vars.coding.set(label, coding);
  }
}

/**
 * A variable that is no main effect, from an interaction T in which every
 * other variable is a factor already read and coded by indicators of all its
 * levels (`f + f:x`, `f + f:g`, `f + g + f:g:x`): at each row exactly one
 * cell of the others has a nonzero column block, and that block is the
 * variable's columns. Null when no term qualifies (or a column of T is
 * aliased, so that a row's block is missing).
 */
function fromInteraction(frame: ModelFrame, vars: Variables, label: string): { columns: Float64Array[]; numeric: boolean } | null {
  const { terms, intercept } = frame.formula.fixed;
  const keys = terms.map((t) => t.variables.map(deparse));
  const factorOf = (key: string) => {
    const v = vars.values.get(key);
    return v?.kind === 'categorical' ? v : null;
  };
  const codings = termCodings(keys, intercept, (key) => factorOf(key)?.levels.length ?? 0);
  for (let t = 0; t < terms.length; t++) {
    const pos = keys[t].indexOf(label);
    const others = keys[t].map((key, i) => (i === pos ? null : factorOf(key)));
    if (pos < 0 || others.some((f, i) => i !== pos && (f === null || codings[t][i] !== 'indicators'))) continue;
    const cols = termColumns(frame.assign, t);
    const cells = others.reduce((s, f) => s * (f?.levels.length ?? 1), 1);
    if (cols.length === 0 || cols.length % cells !== 0) continue;
    const columns = blockColumns(frame, cols, others, pos, cols.length / cells);
    if (columns !== null) return { columns, numeric: cols.some((j) => frame.colnames[j].split(':').includes(label)) };
  }
  return null;
}

/**
 * A factor that is no main effect, from an interaction with numeric variables already read
 * (`x + x:f`, `x:f`, `x + z + x:z:f`): the term's columns divided, row by row, by the product of
 * those variables. Where the product is 0 the columns are 0 whatever the factor's level there,
 * and so is every other column of the designs built from the values (the factor must appear
 * only in such terms, all with a product that vanishes only where this one does); those rows
 * take the level of the first row read. Null when no term qualifies.
 */
function fromCovariateInteraction(frame: ModelFrame, vars: Variables, label: string): { columns: Float64Array[]; numeric: boolean } | null {
  const keys = frame.formula.fixed.terms.map((t) => t.variables.map(deparse));
  const n = frame.nobs;
  const products: (Float64Array | null)[] = keys.map((key) => {
    if (!key.includes(label)) return null;
    const prod = new Float64Array(n).fill(1);
    for (const other of key) {
      if (other === label) continue;
      const v = vars.values.get(other);
      if (v?.kind !== 'numeric' || !vars.numeric.has(other)) return null;
      for (let i = 0; i < n; i++) prod[i] *= v.values[i];
    }
    return prod;
  });
  const using = keys.findIndex((key, t) => key.includes(label) && products[t] !== null);
  if (using < 0 || keys.some((key, t) => key.includes(label) && products[t] === null)) return null;
  const cols = termColumns(frame.assign, using), prod = products[using]!;
  if (cols.length === 0) return null;
  // Another term with this factor must vanish wherever this one's product does.
  for (let t = 0; t < keys.length; t++) {
    if (products[t] === null || t === using) continue;
    for (let i = 0; i < n; i++) if (prod[i] === 0 && products[t]![i] !== 0) return null;
  }
  const first = Array.from({ length: n }, (_, i) => i).find((i) => prod[i] !== 0);
  if (first === undefined) return null;
  const columns = cols.map((j) => {
    const c = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = prod[i] !== 0 ? i : first;
      c[i] = frame.X[r + j * n] / prod[r];
    }
    return c;
  });
  return { columns, numeric: false };
}

/**
 * For `fromInteraction`: the k columns of the variable at position `pos` of a
 * term with columns `cols` (first variable varying fastest), taking at each row
 * the block of the others' cell; null unless every other column is zero there.
 */
function blockColumns(frame: ModelFrame, cols: number[], others: (Extract<Value, { kind: 'categorical' }> | null)[], pos: number, k: number): Float64Array[] | null {
  const n = frame.nobs;
  const sizes = others.map((f, i) => (i === pos ? k : f!.levels.length));
  const strides = sizes.map((_, i) => sizes.slice(0, i).reduce((s, m) => s * m, 1));
  const columns = Array.from({ length: k }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const base = others.reduce((s, f, j) => (f === null ? s : s + f.codes[i] * strides[j]), 0);
    let inBlock = 0, total = 0;
    for (let c = 0; c < k; c++) {
      const v = frame.X[i + cols[base + c * strides[pos]] * n];
      columns[c][i] = v;
      inBlock += Math.abs(v);
    }
    for (const j of cols) total += Math.abs(frame.X[i + j * n]);
    if (total !== inBlock) return null;
  }
  return columns;
}

/** A factor's own contrasts in the formula: poly for ordered(f), the kind named in C(f, kind); undefined otherwise. */
function ownKind(node: Node): ContrastKind | undefined {
  if (node.kind !== 'call') return undefined;
  if (node.fn === 'ordered') return 'poly';
  if (node.fn !== 'C') return undefined;
  const named = node.argNames?.indexOf('contr') ?? -1;
  const arg = node.args[named >= 0 ? named : 1];
  const name = arg?.kind === 'name' ? arg.name : arg?.kind === 'string' ? arg.value : null;
  return (name === null ? null : contrastKind(name)) ?? undefined;
}

/**
 * A factor from its main-effect columns: the distinct rows of those columns
 * are its levels, ordered and coded by the first coding matrix whose rows they
 * are (indicators when there are as many columns as levels, else the
 * contrasts the model asked for, then treatment, sum, helmert, poly: only a
 * two-level factor fits two of them, sum and helmert, with its levels swapped).
 * Levels are named 1, 2, ...
 */
function recoverFactor(columns: Float64Array[], label: string, preferred: ContrastKind): { value: Value; coding: Coding } {
  const n = columns[0].length;
  const distinct: number[][] = [];
  const seen = new Map<string, number>();
  const rowCodes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const row = columns.map((c) => c[i]);
    const key = row.join(',');
    let code = seen.get(key);
    if (code === undefined) {
      code = distinct.length;
      seen.set(key, code);
      distinct.push(row);
    }
    rowCodes[i] = code;
  }
  const k = distinct.length, c = columns.length;
  const levels = Array.from({ length: k }, (_, l) => String(l + 1));
  const candidates: Coding[] = c === k ? ['indicators'] : c === k - 1 ? [preferred, ...CONTRAST_KINDS.filter((kind) => kind !== preferred)] : [];
  for (const coding of candidates) {
    const level = matchLevels(distinct, coding === 'indicators' ? indicatorMatrix(levels) : contrastMatrix(coding, levels));
    if (level !== null) return { value: { kind: 'categorical', codes: rowCodes.map((d) => level[d]), levels }, coding };
  }
  throw new MixedModelsError(`lmerTest's type III tests: cannot read the levels of '${label}' back from its ${c} columns`);
}

/** For each distinct row, the level (row of `M`) it equals; null unless every row matches a different level. */
function matchLevels(rows: number[][], M: CodingMatrix): number[] | null {
  const taken = new Set<number>();
  const level: number[] = [];
  for (const row of rows) {
    const l = Array.from({ length: rows.length }, (_, m) => m).find((m) => !taken.has(m) && row.every((v, c) => Math.abs(v - M.values[m * M.ncol + c]) <= 1e-10));
    if (l === undefined) return null;
    taken.add(l);
    level.push(l);
  }
  return level;
}

/** The fitted model's design rebuilt in treatment coding, aliased columns dropped (R's ensure_full_rank). */
function treatmentDesign(frame: ModelFrame, values: ReadonlyMap<string, Value>): DesignMatrix {
  const X = dropAliased(designMatrix(frame.formula.fixed, values, frame.nobs, 'treatment')).design;
  if (X.p === 0) throw new MixedModelsError('lmerTest\'s type III tests: the model has no fixed-effects columns');
  return X;
}

/**
 * The map from treatment-coded coefficients to the fitted ones:
 * null when the model was fitted in treatment coding (X is then the model's
 * matrix), else zapsmall(ginv(X) X_fitted). X map must give back the model's
 * matrix (to the 7 digits zapsmall leaves in the map); anything else is a bug
 * in reading the variables back.
 */
function codingMap(frame: ModelFrame, X: DesignMatrix, coding: ReadonlyMap<string, Coding>): Float64Array | null {
  const n = frame.nobs, p = frame.p;
  const treatment = [...coding.values()].every((c) => c === 'treatment' || c === 'indicators');
  const map = treatment ? null : zapsmall(leastSquares(X, { rows: n, cols: p, values: frame.X }).values);
  const fitted = map === null ? X.values : matmul(n, X.p, p, X.values, map);
  let err = fitted.length === frame.X.length ? 0 : Infinity, scale = 0;
  for (let i = 0; i < frame.X.length && err < Infinity; i++) {
    scale = Math.max(scale, Math.abs(frame.X[i]));
    err = Math.max(err, Math.abs(fitted[i] - frame.X[i]));
  }
  if (!(err <= 1e-6 * Math.max(1, scale))) throw new MixedModelsError('internal error: lmerTest\'s type III tests could not rebuild the model matrix in treatment coding');
  return map;
}

/** The complete design rdX (module comment): the intercept, then each term's model.matrix(~ 0 + term). */
function completeDesign(frame: ModelFrame, values: ReadonlyMap<string, Value>): DesignMatrix {
  const n = frame.nobs;
  const parts: DesignMatrix[] = frame.formula.fixed.terms.map((term: Term, t) => {
    const d = designMatrix({ intercept: false, terms: [term], offsets: [] }, values, n);
    return { ...d, assign: d.assign.map(() => t + 1) };
  });
  if (frame.formula.fixed.intercept) {
    parts.unshift({ n, p: 1, values: new Float64Array(n).fill(1), colnames: ['(Intercept)'], assign: Int32Array.of(0) });
  }
  const p = parts.reduce((s, d) => s + d.p, 0);
  const out = new Float64Array(n * p);
  let at = 0;
  for (const d of parts) {
    out.set(d.values, at);
    at += d.values.length;
  }
  return { n, p, values: out, colnames: parts.flatMap((d) => d.colnames), assign: Int32Array.from(parts.flatMap((d) => [...d.assign])) };
}

/** The column of rdX of term `assign` (0: intercept) named `name`: where a column of X sits among rdX's. */
function rdXColumn(rdX: DesignMatrix, assign: number, name: string): number {
  const r = rdX.colnames.findIndex((c, j) => rdX.assign[j] === assign && c === name);
  if (r < 0) throw new MixedModelsError(`internal error: lmerTest's type III tests found no column '${name}' in the complete design`);
  return r;
}

/** Least-squares coefficients of each column of Y on the full-rank design X (X.p x Y.cols). */
function leastSquares(X: DesignMatrix, Y: Matrix): Matrix {
  const qr = qrDecompose(X.values, X.n, X.p);
  if (qr.rank < X.p) throw new MixedModelsError('internal error: lmerTest\'s type III tests need a full-rank treatment-coded design');
  const values = new Float64Array(X.p * Y.cols);
  for (let c = 0; c < Y.cols; c++) values.set(qrCoef(qr, Y.values.subarray(c * Y.rows, (c + 1) * Y.rows)), c * X.p);
  return { rows: X.p, cols: Y.cols, values };
}

/** L = zapsmall(t(ginv(X) rdX)): rdX.p x X.p, column-major. */
function basicContrasts(X: DesignMatrix, rdX: DesignMatrix): Matrix {
  const B = leastSquares(X, { rows: rdX.n, cols: rdX.p, values: rdX.values });
  const m = rdX.p, p = X.p;
  const values = new Float64Array(m * p);
  for (let r = 0; r < m; r++) for (let j = 0; j < p; j++) values[r + j * m] = B.values[j + r * p];
  return { rows: m, cols: p, values: zapsmall(values) };
}

/**
 * For each term contained in others, highest order first, its columns of L
 * replaced by zapsmall of their residuals on the columns of the terms that
 * contain it (module comment); in place.
 */
function orthogonaliseContained(L: Matrix, assign: Int32Array, terms: readonly Term[], containing: number[][]): void {
  const m = L.rows;
  const order = terms.map((_, t) => t).sort((a, b) => terms[b].variables.length - terms[a].variables.length);
  for (const t of order) {
    const own = termColumns(assign, t);
    if (containing[t].length === 0 || own.length === 0) continue;
    const by = containing[t].flatMap((u) => termColumns(assign, u));
    const resid = residuals(L, by, own);
    zapsmall(resid);
    own.forEach((j, c) => L.values.set(resid.subarray(c * m, (c + 1) * m), j * m));
  }
}

/** Residuals of L's columns `ys` on its columns `xs` (R's lm.fit: QR with pivoting at 1e-7), column-major. */
function residuals(L: Matrix, xs: number[], ys: number[]): Float64Array {
  const m = L.rows;
  const column = (j: number) => L.values.subarray(j * m, (j + 1) * m);
  const out = new Float64Array(m * ys.length);
  if (xs.length === 0) {
    ys.forEach((j, c) => out.set(column(j), c * m));
    return out;
  }
  const x = new Float64Array(m * xs.length);
  xs.forEach((j, c) => x.set(column(j), c * m));
  const qr = qrDecompose(x, m, xs.length, QR_TOL);
  ys.forEach((j, c) => {
    const effects = qrQty(qr, column(j));
    effects.fill(0, 0, qr.rank);
    out.set(qrQy(qr, effects), c * m);
  });
  return out;
}
