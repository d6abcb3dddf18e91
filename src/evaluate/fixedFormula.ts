/**
 * A mixed-model formula with its random effects turned into fixed ones, as
 * the click-through study compares them: every grouping factor becomes a
 * fixed categorical term and every random slope its interaction with the
 * factor, so `y ~ x + (x | g)` reads `y ~ x + g + x:g` (glm/lm code the factor
 * with treatment contrasts, glmnet with one indicator per level).
 */
import { MixedModelsError } from '../errors.js';
import type { ModelFormula, RandomTerm, Term } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { columnsOf } from '../frame/variables.js';

export interface FixedFormula {
  /** The formula text without bars. */
  text: string;
  /** Columns of the grouping factors (to be read as categorical). */
  groupColumns: string[];
  /** Deparsed grouping variables: a term using one of them belongs to the random part. */
  groupVariables: ReadonlySet<string>;
}

function groupLabel(r: RandomTerm): string {
  return r.group.map(deparse).join(':');
}

export function fixedFormula(f: ModelFormula): FixedFormula {
  if (f.response === null) throw new MixedModelsError('the formula has no response');
  if (f.random.length === 0) throw new MixedModelsError('the formula has no random-effects term such as (1 | g) to compare methods over');
  const rhs: string[] = f.fixed.terms.map((t: Term) => t.label);
  for (const o of f.fixed.offsets) rhs.push(`offset(${deparse(o)})`);
  for (const r of f.random) {
    const g = groupLabel(r);
    if (r.lhs.intercept) rhs.push(g);
    for (const t of r.lhs.terms) rhs.push(`${t.label}:${g}`);
  }
  const head = f.fixed.intercept ? [] : ['0'];
  const groupVariables = new Set(f.random.flatMap((r) => r.group.map(deparse)));
  return {
    text: `${deparse(f.response)} ~ ${[...head, ...rhs].join(' + ')}`,
    groupColumns: [...new Set(f.random.flatMap((r) => r.group.flatMap(columnsOf)))],
    groupVariables,
  };
}

/** Whether a fixed term of the transformed formula comes from the random part (uses a grouping variable). */
export function isGroupTerm(term: Term, groupVariables: ReadonlySet<string>): boolean {
  return term.variables.some((v) => groupVariables.has(deparse(v)));
}
