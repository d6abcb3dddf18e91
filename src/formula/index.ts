/** The formula language: parse R model formulas, print them back, expand them into terms. */
export type { BinaryOp, FormulaAST, ModelFormula, Node, RandomTerm, Term, TermList } from './ast.js';
export { parseFormula } from './parse.js';
export { deparse, formatFormula } from './deparse.js';
export { expandFormula } from './terms.js';
export { KNOWN_FUNCTIONS } from './functions.js';
