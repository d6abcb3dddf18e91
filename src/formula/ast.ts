/**
 * The formula language's syntax tree (R / Wilkinson notation as lme4 reads it).
 *
 * Every node carries `start`/`end`: character offsets into the formula text
 * (end exclusive), so later stages can point a caret at the culprit.
 */
export type BinaryOp = '+' | '-' | '*' | '/' | ':' | '^' | '|' | '||' | '%in%';

/**
 * A node of the formula's syntax tree: a name, number, string, call, unary or binary operation or parenthesised expression, with its `start`/`end` offsets in the formula text.
 */
export type Node =
  | { kind: 'name'; name: string; start: number; end: number }
  | { kind: 'number'; value: number; text: string; start: number; end: number }
  /** A quoted string, only meaningful as a call's argument (`relevel(style, "no flip")`). */
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'dot'; start: number; end: number }
  | {
      kind: 'call';
      fn: string;
      args: Node[];
      /** Names of named arguments (`poly(x, 2, raw = TRUE)`), null for positional ones; absent if none is named. */
      argNames?: (string | null)[];
      start: number;
      end: number;
    }
  | { kind: 'paren'; expr: Node; start: number; end: number }
  | { kind: 'unary'; op: '+' | '-'; arg: Node; start: number; end: number }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node; start: number; end: number };

/** `lhs ~ rhs` (lhs null for a one-sided formula `~ rhs`). */
export interface FormulaAST {
  text: string;
  lhs: Node | null;
  rhs: Node;
}

/**
 * One term of the expanded formula: a product (`:`) of one or more variables,
 * each variable an expression node (`x`, `log(x)`, `factor(g)`, `poly(x, 2)`).
 * `label` is R's term label (`recipe:temp`, `I(Days^2)`), factors in R's
 * variable order (order of first appearance in the formula).
 */
export interface Term {
  label: string;
  variables: Node[];
}

/**
 * The expanded right-hand side of a formula, as R's `terms()` gives it:
 * terms ordered by degree (main effects, then two-way interactions, ...),
 * within a degree in order of appearance; duplicates removed; `-` applied.
 */
export interface TermList {
  intercept: boolean;
  terms: Term[];
  /** `offset(...)` arguments, in order of appearance. */
  offsets: Node[];
  /** True when the response also appeared as a term and was dropped (R warns so). */
  responseDropped?: boolean;
}

/**
 * One random-effects term after lme4's expansion: `(x || g)` becomes
 * `(1 | g) + (0 + x | g)`, `(1 | a/b)` becomes `(1 | b:a) + (1 | a)` and
 * `(1 | a/b/c)` becomes `(1 | c:(b:a)) + (1 | b:a) + (1 | a)` (lme4's order
 * and names). `group` lists the variables whose interaction is the grouping
 * factor ([c, b, a]); `groupLabel` is lme4's name for it (`Subject`,
 * `cask:batch`, `c:(b:a)`). start/end span the term's parentheses.
 */
export interface RandomTerm {
  lhs: TermList;
  group: Node[];
  groupLabel: string;
  start: number;
  end: number;
}

/** A whole model formula, expanded. */
export interface ModelFormula {
  ast: FormulaAST;
  response: Node | null;
  fixed: TermList;
  random: RandomTerm[];
}
