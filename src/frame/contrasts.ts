/**
 * Coding of categorical variables in model matrices (R's `contrasts` and the
 * term-coding rule of Chambers & Hastie 1992, as R's `terms()` and
 * `model.matrix()` implement it).
 */
export type ContrastKind = 'treatment' | 'sum';

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
 * R's `contr.treatment` (column j indicates level j + 1; columns named by
 * level, `recipeB`) or `contr.sum` (level j is +1 in column j, the last level
 * is -1 in every column; columns numbered, `recipe1`).
 */
export function contrastMatrix(kind: ContrastKind, levels: readonly string[]): CodingMatrix {
  const k = levels.length;
  const values = new Float64Array(k * (k - 1));
  for (let j = 0; j < k - 1; j++) {
    if (kind === 'treatment') values[(j + 1) * (k - 1) + j] = 1;
    else {
      values[j * (k - 1) + j] = 1;
      values[(k - 1) * (k - 1) + j] = -1;
    }
  }
  const suffixes = kind === 'treatment' ? levels.slice(1) : levels.slice(1).map((_, j) => String(j + 1));
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
