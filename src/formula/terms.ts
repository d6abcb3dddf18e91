/**
 * expandFormula: a parsed formula to its model structure, as R's `terms()`
 * reads the fixed part and lme4's `findbars`/`nobars`/`expandDoubleVerts`/
 * `expandSlash` read the random part.
 *
 * `.` stands for every column in `columns` except the response's variables
 * and the grouping factors (columns already in the formula merge with their
 * own terms, as in R). Throws FormulaError with a caret for anything invalid.
 */
import type { FormulaAST, ModelFormula, Node } from './ast.js';
import { splitBars } from './bars.js';
import { validateFormula } from './functions.js';
import { expandBar } from './random.js';
import { expandTerms, type ExpandContext } from './termlist.js';
import { walk } from './walk.js';
import { expectArgument } from '../errors.js';

/**
 * Expands a parsed formula as R's `terms()` does: the fixed-effects terms (interactions, `*`, `/`, `^`, `-` removed) and the random-effects bars. `columns` expands `.` to the data's other columns.
 * @example
 * ```ts
 * const f = expandFormula(parseFormula('y ~ a * b + (1 | g)'));
 * f.fixed; // terms a, b, a:b (and the intercept)
 * ```
 */
export function expandFormula(ast: FormulaAST, columns?: readonly string[]): ModelFormula {
  expectArgument('expandFormula', 'ast', ast, { object: 'a parsed formula (from parseFormula)', keys: ['text', 'rhs'] });
  validateFormula(ast);
  const { fixed, bars } = splitBars(ast.rhs, ast.text);
  const dotExcludes = new Set([...namesIn(ast.lhs), ...bars.flatMap((b) => namesIn(b.bar.right))]);
  const ctx: ExpandContext = { text: ast.text, columns, dotExcludes };
  return {
    ast,
    response: ast.lhs,
    fixed: expandTerms(fixed, { ...ctx, response: ast.lhs }),
    random: bars.flatMap((b) => expandBar(b, ctx)),
  };
}

function namesIn(node: Node | null): string[] {
  const names: string[] = [];
  if (node !== null) walk(node, (n) => void (n.kind === 'name' && names.push(n.name)));
  return names;
}
