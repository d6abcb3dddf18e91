/** Small helpers for walking formula syntax trees. */
import type { Node } from './ast.js';

/** The direct sub-expressions of a node, left to right. */
export function children(node: Node): Node[] {
  switch (node.kind) {
    case 'call':
      return node.args;
    case 'paren':
      return [node.expr];
    case 'unary':
      return [node.arg];
    case 'binary':
      return [node.left, node.right];
    default:
      return [];
  }
}

/** `node` without enclosing parentheses: `((a + b))` gives `a + b`. */
export function stripParens(node: Node): Node {
  let n = node;
  while (n.kind === 'paren') n = n.expr;
  return n;
}

/** Every node under `root` (root included), in source order; `visit` returning false skips a node's children. */
export function walk(root: Node, visit: (node: Node) => boolean | void): void {
  const stack: Node[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (visit(node) === false) continue;
    const kids = children(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
}
