/**
 * The formula box and the guided form are two views of one formula text.
 *
 * The text is the source of truth. The form reads it as a response and a list
 * of top-level pieces of the right-hand side (what `+` and `-` separate at the
 * outermost level), each piece keeping the text the user wrote:
 *
 *   Reaction ~ Days + poly(x, 2) + (Days | Subject)
 *   response   main   other        random (group Subject, slope Days, correlated)
 *
 * A form edit changes only the pieces it is about and writes the formula back
 * from the pieces, so anything the form cannot show (`poly(x, 2)`, `(1 | a/b)`,
 * `log(y)`) survives as written. Parsing is the library's `parseFormula`, so
 * the form and the fit read a formula the same way (imported from the formula
 * folder rather than the library's entry, so the page's main script carries
 * the formula parser only, not the whole core).
 */
import { deparse, parseFormula, type Node } from '../../../src/formula/index.js';

export type PieceKind =
  | { kind: 'main'; column: string }
  | { kind: 'interaction'; columns: string[]; op: ':' | '*' }
  | { kind: 'intercept' }
  | { kind: 'random'; group: string; slopes: string[]; correlated: boolean }
  | { kind: 'other' };

export type Piece = PieceKind & { sign: '+' | '-'; text: string };

/** How the response is written: a column, successes out of trials (`cbind(s, n - s)`), or anything else. */
export type Response =
  | { mode: 'none' }
  | { mode: 'column'; column: string }
  | { mode: 'counts'; successes: string; trials: string }
  | { mode: 'custom'; text: string };

export interface FormulaParts {
  response: Response;
  responseText: string;
  pieces: Piece[];
}

/** A column name as the formula language writes it (backticks when it is not a syntactic name). */
export function nameText(column: string): string {
  return deparse({ kind: 'name', name: column, start: 0, end: 0 });
}

function strip(node: Node): Node {
  return node.kind === 'paren' ? strip(node.expr) : node;
}

/** The names of `node` if it is a sum of plain names (and `1`/`0`), else null; `intercept` tells whether it keeps one. */
function sumOfNames(node: Node): { names: string[]; intercept: boolean } | null {
  const n = strip(node);
  if (n.kind === 'name') return { names: [n.name], intercept: true };
  if (n.kind === 'number' && (n.value === 1 || n.value === 0)) return { names: [], intercept: n.value === 1 };
  if (n.kind === 'binary' && n.op === '+') {
    const l = sumOfNames(n.left), r = sumOfNames(n.right);
    if (!l || !r) return null;
    return { names: [...l.names, ...r.names], intercept: l.intercept && r.intercept };
  }
  return null;
}

function classify(node: Node, sign: '+' | '-'): PieceKind {
  if (sign === '-') return { kind: 'other' };
  if (node.kind === 'name') return { kind: 'main', column: node.name };
  if (node.kind === 'number' && node.value === 1) return { kind: 'intercept' };
  if (node.kind === 'binary' && (node.op === ':' || node.op === '*') && node.left.kind === 'name' && node.right.kind === 'name') {
    return { kind: 'interaction', columns: [node.left.name, node.right.name], op: node.op };
  }
  if (node.kind === 'paren') {
    const bar = strip(node);
    if (bar.kind === 'binary' && (bar.op === '|' || bar.op === '||') && strip(bar.right).kind === 'name') {
      const lhs = sumOfNames(bar.left);
      if (lhs && lhs.intercept) return { kind: 'random', group: (strip(bar.right) as { name: string }).name, slopes: lhs.names, correlated: bar.op === '|' };
    }
  }
  return { kind: 'other' };
}

/** The top-level `+`/`-` pieces of a right-hand side, in order. */
function split(node: Node, sign: '+' | '-', text: string, out: Piece[]): void {
  if (node.kind === 'binary' && (node.op === '+' || node.op === '-')) {
    split(node.left, sign, text, out);
    split(node.right, node.op, text, out);
    return;
  }
  if (node.kind === 'unary' && node.op === '-') {
    split(node.arg, '-', text, out);
    return;
  }
  out.push({ ...classify(node, sign), sign, text: text.slice(node.start, node.end) });
}

function readResponse(node: Node | null, text: string): Response {
  if (node === null) return { mode: 'none' };
  if (node.kind === 'name') return { mode: 'column', column: node.name };
  if (node.kind === 'call' && node.fn === 'cbind' && node.args.length === 2 && !node.argNames) {
    const [s, f] = node.args;
    if (s.kind === 'name' && f.kind === 'binary' && f.op === '-' && f.left.kind === 'name' && f.right.kind === 'name' && f.right.name === s.name) {
      return { mode: 'counts', successes: s.name, trials: f.left.name };
    }
  }
  return { mode: 'custom', text: text.slice(node.start, node.end) };
}

/** The formula read as parts; throws the library's FormulaError (with a caret) when it does not parse. */
export function formulaParts(formula: string): FormulaParts {
  const ast = parseFormula(formula);
  const pieces: Piece[] = [];
  split(ast.rhs, '+', ast.text, pieces);
  const response = readResponse(ast.lhs, ast.text);
  return { response, responseText: ast.lhs ? ast.text.slice(ast.lhs.start, ast.lhs.end) : '', pieces };
}

/** Empty parts: what the form starts from when the formula box is empty. */
export function emptyParts(): FormulaParts {
  return { response: { mode: 'none' }, responseText: '', pieces: [] };
}

export function responseText(r: Response): string {
  switch (r.mode) {
    case 'none':
      return '';
    case 'column':
      return nameText(r.column);
    case 'counts':
      return `cbind(${nameText(r.successes)}, ${nameText(r.trials)} - ${nameText(r.successes)})`;
    case 'custom':
      return r.text;
  }
}

/** The formula the parts stand for: `response ~ piece + piece - piece`, `1` when nothing is left on the right. */
export function formulaText(parts: FormulaParts): string {
  const rhs = parts.pieces.length === 0
    ? '1'
    : parts.pieces.map((p, i) => (i === 0 ? (p.sign === '-' ? `-${p.text}` : p.text) : ` ${p.sign} ${p.text}`)).join('');
  return `${parts.responseText} ~ ${rhs}`;
}

function piece(kind: PieceKind, text: string): Piece {
  return { ...kind, sign: '+', text };
}

/**
 * Inserts `p` after the last fixed-effects piece (before the random-effects
 * terms), dropping a bare `1` (the intercept is implied once there is a term).
 */
function insertFixed(all: readonly Piece[], p: Piece): Piece[] {
  const pieces = all.filter((q) => q.kind !== 'intercept');
  let at = 0;
  pieces.forEach((q, i) => {
    if (q.kind !== 'random' && !/\|/.test(q.text)) at = i + 1;
  });
  return [...pieces.slice(0, at), p, ...pieces.slice(at)];
}

export function withResponse(parts: FormulaParts, response: Response): FormulaParts {
  return { ...parts, response, responseText: responseText(response) };
}

/** Adds or removes `column` as a main effect. */
export function withMainEffect(parts: FormulaParts, column: string, on: boolean): FormulaParts {
  const has = parts.pieces.some((p) => p.kind === 'main' && p.column === column);
  if (on === has) return parts;
  const pieces = on
    ? insertFixed(parts.pieces, piece({ kind: 'main', column }, nameText(column)))
    : parts.pieces.filter((p) => !(p.kind === 'main' && p.column === column));
  return { ...parts, pieces };
}

/** Adds the interaction `a:b` (the main effects are separate pieces). */
export function withInteraction(parts: FormulaParts, a: string, b: string): FormulaParts {
  if (a === b) return parts;
  const exists = parts.pieces.some((p) => p.kind === 'interaction' && p.columns.includes(a) && p.columns.includes(b));
  if (exists) return parts;
  return { ...parts, pieces: insertFixed(parts.pieces, piece({ kind: 'interaction', columns: [a, b], op: ':' }, `${nameText(a)}:${nameText(b)}`)) };
}

export function withoutPiece(parts: FormulaParts, index: number): FormulaParts {
  return { ...parts, pieces: parts.pieces.filter((_, i) => i !== index) };
}

function randomText(group: string, slopes: readonly string[], correlated: boolean): string {
  if (slopes.length === 0) return `(1 | ${nameText(group)})`;
  return `(${slopes.map(nameText).join(' + ')} ${correlated ? '|' : '||'} ${nameText(group)})`;
}

/** Adds a random intercept for `group`, or removes every form-readable random term of `group`. */
export function withGroup(parts: FormulaParts, group: string, on: boolean): FormulaParts {
  const has = parts.pieces.some((p) => p.kind === 'random' && p.group === group);
  if (on === has) return parts;
  const pieces = on
    ? [...parts.pieces, piece({ kind: 'random', group, slopes: [], correlated: true }, randomText(group, [], true))]
    : parts.pieces.filter((p) => !(p.kind === 'random' && p.group === group));
  return { ...parts, pieces };
}

/** Rewrites the first random term of `group` with these random slopes (`(x | g)`, or `(x || g)` uncorrelated). */
export function withSlopes(parts: FormulaParts, group: string, slopes: readonly string[], correlated: boolean): FormulaParts {
  const i = parts.pieces.findIndex((p) => p.kind === 'random' && p.group === group);
  if (i < 0) return parts;
  const next = piece({ kind: 'random', group, slopes: [...slopes], correlated }, randomText(group, slopes, correlated));
  return { ...parts, pieces: parts.pieces.map((p, j) => (j === i ? next : p)) };
}

/** Every variable name in a formula (not function names), in order of first appearance; throws on a formula that does not parse. */
export function formulaNames(formula: string): string[] {
  const ast = parseFormula(formula);
  const found = new Set<string>();
  const visit = (n: Node): void => {
    if (n.kind === 'name') found.add(n.name);
    else if (n.kind === 'call') n.args.forEach(visit);
    else if (n.kind === 'paren') visit(n.expr);
    else if (n.kind === 'unary') visit(n.arg);
    else if (n.kind === 'binary') {
      visit(n.left);
      visit(n.right);
    }
  };
  if (ast.lhs) visit(ast.lhs);
  visit(ast.rhs);
  return [...found];
}

/** The data columns a formula names (anywhere), in order of first appearance. */
export function formulaColumns(formula: string, columns: readonly string[]): string[] {
  return formulaNames(formula).filter((n) => columns.includes(n));
}

/** The columns of the right-hand side only (what a new row for a prediction needs). */
export function predictorColumns(formula: string, columns: readonly string[]): string[] {
  const ast = parseFormula(formula);
  const lhs = ast.lhs ? formulaColumns(`${ast.text.slice(ast.lhs.start, ast.lhs.end)} ~ 1`, columns) : [];
  const rhs = formulaColumns(`~ ${ast.text.slice(ast.rhs.start, ast.rhs.end)}`, columns);
  return rhs.filter((c) => !lhs.includes(c));
}

/** The formula without its random-effects terms: the fixed-effects-only model to compare with. */
export function fixedOnlyFormula(formula: string): string {
  const parts = formulaParts(formula);
  return formulaText({ ...parts, pieces: parts.pieces.filter((p) => p.kind !== 'random' && !/\|/.test(p.text)) });
}

/**
 * A smaller model nested in `formula`, to suggest for a likelihood-ratio test:
 * random slopes dropped to random intercepts if there are any, else the last
 * fixed-effects term removed, else the fixed-effects-only model.
 */
export function nestedSuggestion(formula: string): string {
  const parts = formulaParts(formula);
  const slopes = parts.pieces.filter((p) => p.kind === 'random' && p.slopes.length > 0);
  if (slopes.length > 0) {
    return formulaText(slopes.reduce((acc, p) => (p.kind === 'random' ? withSlopes(acc, p.group, [], true) : acc), parts));
  }
  const fixed = parts.pieces.map((p, i) => ({ p, i })).filter(({ p }) => p.kind !== 'random' && p.kind !== 'intercept' && !p.text.includes('|'));
  if (fixed.length > 0 && parts.pieces.some((p) => p.kind === 'random' || p.text.includes('|'))) return formulaText(withoutPiece(parts, fixed[fixed.length - 1].i));
  return fixedOnlyFormula(formula);
}
