/**
 * expandBar: one `(lhs | g)` as lme4 expands it into RandomTerms.
 *
 * - `lhs` is a term list of its own (intercept unless `0 +` / `- 1`).
 * - `(lhs || g)` is lme4's expandDoubleVerts: `(1 | g)` if lhs has an
 *   intercept, then `(0 + t | g)` for each term t of lhs.
 * - `g` may be a variable, an interaction `a:b` (group [a, b]), or a nesting
 *   `a/b/c` (lme4's expandSlash), which gives, in lme4's order and names,
 *   `c:(b:a)`, `b:a`, `a`: each level interacted with all the levels above it.
 *   Each (lhs, g) pair is one RandomTerm, lhs in the outer loop.
 */
import { FormulaError } from '../errors.js';
import type { Node, RandomTerm, TermList } from './ast.js';
import type { Bar } from './bars.js';
import { deparse } from './deparse.js';
import { expandTerms, type ExpandContext } from './termlist.js';
import { stripParens } from './walk.js';

interface Grouping {
  group: Node[];
  groupLabel: string;
}

export function expandBar(bar: Bar, ctx: ExpandContext): RandomTerm[] {
  const lhs = expandTerms(bar.bar.left, { ...ctx, response: null });
  checkLhs(bar, lhs, ctx.text);
  const lhsList = bar.bar.op === '||' ? splitDoubleVert(lhs) : [lhs];
  const groups = groupings(bar.bar.right, ctx.text);
  return lhsList.flatMap((l) => groups.map((g) => ({ lhs: l, ...g, start: bar.start, end: bar.end })));
}

function checkLhs(bar: Bar, lhs: TermList, text: string): void {
  const left = bar.bar.left;
  if (lhs.offsets.length > 0) throw new FormulaError('offset() cannot be part of a random-effects term', text, left.start, left.end);
  if (!lhs.intercept && lhs.terms.length === 0)
    throw new FormulaError('random-effects term has neither an intercept nor any terms', text, left.start, left.end);
}

/** `(1 + x + z || g)` as `(1 | g) + (0 + x | g) + (0 + z | g)`. */
function splitDoubleVert(lhs: TermList): TermList[] {
  const intercept: TermList[] = lhs.intercept ? [{ intercept: true, terms: [], offsets: [] }] : [];
  return [...intercept, ...lhs.terms.map((t) => ({ intercept: false, terms: [t], offsets: [] }))];
}

/** The grouping factors of `g`: one, or one per level of a nesting `a/b/...`. */
function groupings(g: Node, text: string): Grouping[] {
  const levels = slashLevels(stripParens(g));
  let node = levels[0];
  const nodes = [node];
  for (const level of levels.slice(1)) {
    node = { kind: 'binary', op: ':', left: level, right: node, start: Math.min(level.start, node.start), end: Math.max(level.end, node.end) };
    nodes.unshift(node);
  }
  return nodes.map((n) => ({ group: interactionVariables(n, text), groupLabel: deparse(n) }));
}

/** `a/b/c` as [a, b, c] (parentheses dropped); anything else as [itself]. */
function slashLevels(node: Node): Node[] {
  if (node.kind !== 'binary' || node.op !== '/') return [node];
  return [...slashLevels(stripParens(node.left)), ...slashLevels(stripParens(node.right))];
}

/** The variables of an interaction `a:b:...`, in order; each must be a name or a call. */
function interactionVariables(node: Node, text: string): Node[] {
  const n = stripParens(node);
  if (n.kind === 'binary' && n.op === ':') return [...interactionVariables(n.left, text), ...interactionVariables(n.right, text)];
  if (n.kind === 'name' || n.kind === 'call') return [n];
  throw new FormulaError('a grouping factor must be a variable (g), an interaction (a:b) or a nesting (a/b)', text, n.start, n.end);
}
