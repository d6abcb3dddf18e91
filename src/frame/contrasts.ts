/**
 * Coding of categorical variables in model matrices (R's `contrasts` and the
 * term-coding rule of Chambers & Hastie 1992, as R's `terms()` and
 * `model.matrix()` implement it).
 */
import { poly } from './poly.js';

export type ContrastKind = 'treatment' | 'sum' | 'helmert' | 'poly';

/**
 * The contrasts a model uses: a kind per variable label (`{ style: 'sum' }`), or one
 * kind for every categorical variable (R's `options(contrasts = ...)` for unordered
 * factors). A variable's own kind (from `C(f, sum)` or `ordered(f)`) wins over the
 * global kind; a per-label kind wins over both. The default is treatment.
 */
export type ContrastsOption = Readonly<Record<string, ContrastKind>> | ContrastKind;

/** The kind for the variable `label` whose own kind (C(), ordered()) is `own`. */
export function contrastFor(option: ContrastsOption | undefined, label: string, own: ContrastKind | undefined): ContrastKind {
  if (typeof option === 'string') return own ?? option;
  return option?.[label] ?? own ?? 'treatment';
}

/** Every contrast kind, as a user may name it (`sum` or R's `contr.sum`). */
export const CONTRAST_KINDS: readonly ContrastKind[] = ['treatment', 'sum', 'helmert', 'poly'];

/** The kind a user's name stands for (`sum`, `contr.sum`), or null. */
export function contrastKind(name: string): ContrastKind | null {
  const bare = name.startsWith('contr.') ? name.slice(6) : name;
  return (CONTRAST_KINDS as readonly string[]).includes(bare) ? (bare as ContrastKind) : null;
}

/** How a variable enters the columns of one term. */
export type Coding = 'numeric' | 'contrasts' | 'indicators';

/**
 * A coding matrix: `nlevels` x `ncol`, row-major (row = level), and the
 * suffix R appends to the variable's label to name each column.
 */
export interface CodingMatrix {
  ncol: number;
  values: Float64Array;
  suffixes: string[];
}

/**
 * R's contrast matrices for k levels (k x (k - 1)):
 * - `contr.treatment`: column j indicates level j + 1; columns named by level (`recipeB`);
 * - `contr.sum`: level j is +1 in column j, the last level -1 in every column; numbered (`recipe1`);
 * - `contr.helmert`: column j is -1 for levels 1..j, j for level j + 1, 0 after; numbered;
 * - `contr.poly`: orthonormal polynomials in the scores 1..k (R's make.poly, the same basis as
 *   `poly(1:k, k - 1)`); named `.L`, `.Q`, `.C`, `^4`, `^5`, ...
 */
export function contrastMatrix(kind: ContrastKind, levels: readonly string[]): CodingMatrix {
  const k = levels.length;
  if (kind === 'poly') return polyContrasts(k);
  const values = new Float64Array(k * (k - 1));
  for (let j = 0; j < k - 1; j++) {
    if (kind === 'treatment') values[(j + 1) * (k - 1) + j] = 1;
    else if (kind === 'sum') {
      values[j * (k - 1) + j] = 1;
      values[(k - 1) * (k - 1) + j] = -1;
    } else {
      for (let l = 0; l <= j; l++) values[l * (k - 1) + j] = -1;
      values[(j + 1) * (k - 1) + j] = j + 1;
    }
  }
  const suffixes = kind === 'treatment' ? levels.slice(1) : levels.slice(1).map((_, j) => String(j + 1));
  return { ncol: k - 1, values, suffixes };
}

const POLY_NAMES = ['.L', '.Q', '.C'];

function polyContrasts(k: number): CodingMatrix {
  const basis = poly(Float64Array.from({ length: k }, (_, i) => i + 1), k - 1);
  const values = new Float64Array(k * (k - 1));
  for (let j = 0; j < k - 1; j++) for (let l = 0; l < k; l++) values[l * (k - 1) + j] = basis[l + j * k];
  const suffixes = Array.from({ length: k - 1 }, (_, j) => POLY_NAMES[j] ?? `^${j + 1}`);
  return { ncol: k - 1, values, suffixes };
}

/** Full indicator coding: one column per level, named by level (`fA`, `fB`). */
export function indicatorMatrix(levels: readonly string[]): CodingMatrix {
  const k = levels.length;
  const values = new Float64Array(k * k);
  for (let j = 0; j < k; j++) values[j * k + j] = 1;
  return { ncol: k, values, suffixes: [...levels] };
}

/**
 * R's rule for coding each variable of each term. `terms[t]` lists the keys of
 * term t's variables; `nlevels(key)` is a variable's number of levels (0 for
 * a numeric variable).
 *
 * A categorical variable F in term T is coded by contrasts when T without F is
 * empty or contained in a preceding term, and by indicators otherwise
 * (R's TermCode). Without an intercept, the first categorical variable with
 * two or more levels in the first term that has one is then switched to
 * indicators (R's model.matrix), so `~ 0 + f` gives one column per level.
 */
export function termCodings(
  terms: readonly (readonly string[])[],
  intercept: boolean,
  nlevels: (key: string) => number,
): Coding[][] {
  const codings = terms.map((vars, t) =>
    vars.map((v): Coding => {
      if (nlevels(v) === 0) return 'numeric';
      const rest = vars.filter((w) => w !== v);
      const marginal = rest.length === 0 || terms.slice(0, t).some((prev) => rest.every((w) => prev.includes(w)));
      return marginal ? 'contrasts' : 'indicators';
    }),
  );
  if (!intercept) switchFirstFactor(terms, codings, nlevels);
  return codings;
}

function switchFirstFactor(
  terms: readonly (readonly string[])[],
  codings: Coding[][],
  nlevels: (key: string) => number,
): void {
  for (let t = 0; t < terms.length; t++) {
    const i = terms[t].findIndex((v) => nlevels(v) > 1);
    if (i >= 0) {
      codings[t][i] = 'indicators';
      return;
    }
  }
}
