/**
 * What the sums must be grouped by and multiplied: the distinct grouping
 * factors of the random-effects terms (by lme4's name, `Subject`, `b:a`), the
 * categorical variables of the fixed part and of each term (the cells), and
 * the monomials (numeric products) of every model-matrix column.
 */
import { MixedModelsError } from '../../errors.js';
import type { RandomTerm, TermList } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import { designSpec, monomialKey } from './designSpec.js';
import type { SqlFrame } from './sqlFrame.js';
import type { SqlVariable } from './sqlVariables.js';

export interface GroupFactor {
  /** lme4's name of the grouping factor. */
  label: string;
  /** Its variables (labels), first varying slowest. */
  vars: string[];
}

/** The distinct grouping factors, in order of first appearance. */
export function groupFactors(frame: SqlFrame): GroupFactor[] {
  const out: GroupFactor[] = [];
  for (const r of frame.formula.random) {
    if (out.some((g) => g.label === r.groupLabel)) continue;
    const vars = r.group.map(deparse);
    for (const v of vars) {
      if (frame.variables.get(v)?.kind === 'matrix') throw new MixedModelsError(`grouping factor '${v}' must be a single column, not a matrix`);
    }
    out.push({ label: r.groupLabel, vars });
  }
  return out;
}

/** The categorical variables of a term list, in order of first use. */
export function cellVariables(list: TermList, variables: ReadonlyMap<string, SqlVariable>): string[] {
  const out: string[] = [];
  for (const t of list.terms) {
    for (const node of t.variables) {
      const label = deparse(node);
      if (variables.get(label)?.kind === 'categorical' && !out.includes(label)) out.push(label);
    }
  }
  return out;
}

/** The monomials of a term list's columns (their keys; '' for columns without a numeric factor). */
export function listMonomials(list: TermList, variables: ReadonlyMap<string, SqlVariable>): string[] {
  const cells = cellVariables(list, variables);
  const twoLevels = new Map(cells.map((c) => [c, ['a', 'b']]));
  const spec = designSpec(list, variables, twoLevels);
  return [...new Set(spec.columns.map((c) => monomialKey(c.monomial)))];
}

export function unique<T>(...lists: readonly (readonly T[])[]): T[] {
  return [...new Set(lists.flat())];
}

/** The random terms on one grouping factor. */
export function termsOf(frame: SqlFrame, label: string): RandomTerm[] {
  return frame.formula.random.filter((r) => r.groupLabel === label);
}
