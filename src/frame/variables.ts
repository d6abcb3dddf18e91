import type { ModelFormula, Node } from '../formula/ast.js';
import { deparse } from '../formula/deparse.js';
import { walk } from '../formula/walk.js';

/**
 * Every variable a model uses, keyed by its deparsed label, in order of first
 * use: the response, the fixed terms' variables and offsets, then each random
 * term's left-hand-side variables, offsets and grouping variables.
 */
export function modelVariables(formula: ModelFormula): Map<string, Node> {
  const nodes: Node[] = [];
  if (formula.response !== null) nodes.push(formula.response);
  for (const list of [formula.fixed, ...formula.random.map((r) => r.lhs)]) {
    for (const term of list.terms) nodes.push(...term.variables);
    nodes.push(...list.offsets);
  }
  for (const r of formula.random) nodes.push(...r.group);
  const variables = new Map<string, Node>();
  for (const node of nodes) {
    const key = deparse(node);
    if (!variables.has(key)) variables.set(key, node);
  }
  return variables;
}

/** The data columns a node refers to, in order of first appearance. */
export function columnsOf(node: Node): string[] {
  const names = new Set<string>();
  walk(node, (n) => {
    if (n.kind === 'name') names.add(n.name);
  });
  return [...names];
}
