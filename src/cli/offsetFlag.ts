/**
 * `--offset col`: lme4's and glm's `offset =` argument. The column is added to
 * the linear predictor exactly as the term `offset(col)` in the formula would
 * add it, so the flag appends that term to the formula: every fit (lm, glm,
 * lmer, glmer, a database's pushdown, a penalised mixed model) then reads it
 * as it reads the formula's own offsets, and an `offset()` already in the
 * formula adds to it, as in R. A missing or non-numeric column is the
 * formula's error (`unknown column 'x'`, `offset(x) must be numeric`).
 */
import { MixedModelsError } from '../errors.js';
import { deparse, parseFormula } from '../formula/index.js';

/**
 * `formula + offset(column)` (the column quoted as R would print it); `formula` itself without a column.
 * The formula is parsed alone first, so that its own syntax errors point into the text the user wrote.
 */
export function withOffset(formula: string, column: string | undefined): string {
  if (column === undefined) return formula;
  if (column.trim() === '') throw new MixedModelsError('--offset needs a column name');
  parseFormula(formula);
  return `${formula} + offset(${deparse({ kind: 'name', name: column, start: 0, end: 0 })})`;
}
