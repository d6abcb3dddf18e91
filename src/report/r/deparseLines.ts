/**
 * R's deparse() of a formula or a call into lines (src/main/deparse.c at
 * width.cutoff = 60), as summaries print `Formula:` and `Call:`. The text is
 * the formula module's deparse (spaces around `+ - * | || %in% ~`, none around
 * `/ : ^`); a line ends after an operator with spaces (`a + `) or a call's
 * argument separator (`, `) once it is longer than 60 characters, and the
 * following lines of that operator or call are indented by four spaces per
 * level (two beyond the fourth), as deparse's linebreak() does.
 */
import type { BinaryOp, FormulaAST, Node } from '../../formula/ast.js';
import { formatNumber, quoteName, quoteString } from '../../formula/deparse.js';
import { PRECEDENCE, UNARY_PRECEDENCE, isRightAssoc } from '../../formula/precedence.js';

const CUTOFF = 60;
const TIGHT_OPS: ReadonlySet<BinaryOp> = new Set(['/', ':', '^']);

/** An argument of a call to deparse: `name = value`, the value a formula, a node or R code as text. */
export interface DeparseArg {
  name: string | null;
  value: { formula: FormulaAST } | { node: Node } | { text: string };
}

class Buffer {
  lines: string[] = [];
  private line = '';
  private startLine = true;
  indent = 0;

  print(s: string): void {
    if (this.startLine) {
      this.startLine = false;
      for (let i = 1; i <= this.indent; i++) this.line += i <= 4 ? '    ' : '  ';
    }
    this.line += s;
  }

  writeLine(): void {
    this.lines.push(this.line);
    this.line = '';
    this.startLine = true;
  }

  /** deparse's linebreak(): a new line once this one passes the cutoff; true when it indented. */
  lineBreak(indented: boolean): boolean {
    if (this.line.length <= CUTOFF) return indented;
    if (!indented) this.indent++;
    this.writeLine();
    return true;
  }

  finish(): string[] {
    if (!this.startLine || this.lines.length === 0) this.writeLine();
    return this.lines.map((l) => l.trimEnd());
  }
}

function node(b: Buffer, n: Node): void {
  switch (n.kind) {
    case 'name':
      return b.print(quoteName(n.name));
    case 'number':
      return b.print(formatNumber(n.value));
    case 'string':
      return b.print(quoteString(n.value));
    case 'dot':
      return b.print('.');
    case 'paren':
      b.print('(');
      node(b, n.expr);
      return b.print(')');
    case 'call':
      b.print(`${quoteName(n.fn)}(`);
      args(b, n.args.map((a, i) => ({ name: n.argNames?.[i] ?? null, value: { node: a } })));
      return b.print(')');
    case 'unary':
      b.print(n.op);
      return operand(b, n.arg, UNARY_PRECEDENCE, false, false);
    case 'binary':
      return binary(b, n.op, n.left, n.right);
  }
}

function binary(b: Buffer, op: BinaryOp | '~', left: Node, right: Node): void {
  const prec = op === '~' ? 0 : PRECEDENCE[op];
  const rightAssoc = op !== '~' && isRightAssoc(op);
  operand(b, left, prec, rightAssoc, true);
  if (op !== '~' && TIGHT_OPS.has(op)) {
    b.print(op);
    return operand(b, right, prec, rightAssoc, false);
  }
  b.print(` ${op} `);
  const indented = b.lineBreak(false);
  operand(b, right, prec, rightAssoc, false);
  if (indented) b.indent--;
}

/** An operand, parenthesised where the tree would otherwise read back differently (as formula/deparse.ts). */
function operand(b: Buffer, n: Node, prec: number, rightAssoc: boolean, isLeft: boolean): void {
  const own = n.kind === 'binary' ? PRECEDENCE[n.op] : n.kind === 'unary' && isLeft ? UNARY_PRECEDENCE : Infinity;
  const parens = own < prec || (own === prec && isLeft === rightAssoc);
  if (parens) b.print('(');
  node(b, n);
  if (parens) b.print(')');
}

function formula(b: Buffer, f: FormulaAST): void {
  if (f.lhs === null) {
    b.print('~');
    return operand(b, f.rhs, 0, false, false);
  }
  binary(b, '~', f.lhs, f.rhs);
}

function args(b: Buffer, list: readonly DeparseArg[]): void {
  let indented = false;
  list.forEach((a, i) => {
    if (a.name !== null) b.print(`${quoteName(a.name)} = `);
    const v = a.value;
    if ('formula' in v) formula(b, v.formula);
    else if ('node' in v) node(b, v.node);
    else b.print(v.text);
    if (i < list.length - 1) {
      b.print(', ');
      indented = b.lineBreak(indented);
    }
  });
  if (indented) b.indent--;
}

/** deparse(formula) as lines. */
export function deparseFormula(f: FormulaAST): string[] {
  const b = new Buffer();
  formula(b, f);
  return b.finish();
}

/** deparse(fn(args...)) as lines, e.g. `lm(formula = y ~ x, data = d)`. */
export function deparseCall(fn: string, list: readonly DeparseArg[]): string[] {
  const b = new Buffer();
  b.print(`${fn}(`);
  args(b, list);
  b.print(')');
  return b.finish();
}
