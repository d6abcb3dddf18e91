/**
 * A formula expression as SQL over one row, with R's (and our in-memory
 * frame's) meaning of missing values: the SQL is NULL (or, where the dialect
 * keeps a float column's NaN, NaN: Dialect.float) exactly where the
 * in-memory value is NaN (a NULL or NaN input, log of a negative number,
 * sqrt of a negative number, 0/0). Where the in-memory value would be
 * infinite (log(0), x/0, an infinite input), or undefined on a row whose data
 * are complete (log or sqrt of a negative number, 0/0), the row is an error
 * there; here a guard condition is recorded (`guards`), counted by the first
 * query, and a count above zero is the same error.
 *
 * Supported: numbers, numeric columns, unary minus, + - * /, ^ with a whole
 * exponent from 1 to 4 (written out as products), I(), log (natural), log2,
 * log10, exp, sqrt, abs, and scale(x) (mean and sd over the complete rows, from
 * `scale` once known). Anything else throws PushdownUnsupported.
 */
import { FormulaError, closest } from '../../errors.js';
import type { Node } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import type { Dialect } from '../dialect.js';
import type { ColumnInfo } from '../source.js';
import { PushdownUnsupported } from './unsupported.js';

export interface Guard {
  /** True on rows where the in-memory frame refuses the value (infinite, or undefined on complete data). */
  condition: string;
  message: string;
  /** Counted only on rows whose data columns are all there (frame/valueChecks.ts checkDefined); sqlFrame adds that condition. */
  onData?: boolean;
}

export interface ExpressionContext {
  dialect: Dialect;
  columns: ReadonlyMap<string, ColumnInfo>;
  /** The formula text, for carets in errors. */
  text: string;
  /** Columns to be read as categorical (`--factor`). */
  factors: ReadonlySet<string>;
  guards: Guard[];
  /** The columns the expressions read (filled in by lookupColumn). */
  used: Set<string>;
  /**
   * Mean and sd of each scale() argument (keyed by its SQL), or null while
   * they are being collected: then every argument's SQL is added to `scaled`.
   */
  scale: ReadonlyMap<string, { mean: number; sd: number }> | null;
  scaled: Set<string>;
}

function caret(ctx: ExpressionContext, reason: string, node: Node): FormulaError {
  return new FormulaError(reason, ctx.text, node.start, node.end);
}

export function lookupColumn(ctx: ExpressionContext, node: Extract<Node, { kind: 'name' }>): ColumnInfo {
  const c = ctx.columns.get(node.name);
  if (c !== undefined) {
    ctx.used.add(c.name);
    return c;
  }
  const near = closest(node.name, [...ctx.columns.keys()]);
  throw caret(ctx, `unknown column '${node.name}'${near === null ? '' : ` (did you mean '${near}'?)`}`, node);
}

/** A numeric column as a double, NaN read as missing; an infinite value is a guarded error. */
function numericColumn(ctx: ExpressionContext, node: Extract<Node, { kind: 'name' }>): string {
  const c = lookupColumn(ctx, node);
  const d = ctx.dialect, id = d.ident(c.name);
  if (c.kind === 'text' || c.kind === 'boolean' || ctx.factors.has(c.name)) {
    throw caret(ctx, `column '${node.name}' is categorical; arithmetic needs numbers`, node);
  }
  if (c.kind === 'integer') return d.double(id);
  ctx.guards.push({ condition: d.isInfinite(d.double(id)), message: `column '${c.name}' has infinite values` });
  return d.float(id);
}

/** A transform with no value (NaN) on complete data: an error, as in memory (frame/valueChecks.ts checkDefined). */
function undefinedAt(label: string, condition: string, where: string): Guard {
  const message = `'${label}' is not defined (NaN) where ${where}: the transform has no value there; R would drop those rows as missing, which changes the data silently: subset the data or change the transform`;
  return { condition, message, onData: true };
}

function call(ctx: ExpressionContext, node: Extract<Node, { kind: 'call' }>): string {
  const d = ctx.dialect;
  const label = deparse(node);
  if (node.argNames?.some((n) => n !== null) || node.args.length !== 1) throw new PushdownUnsupported(label, 'only one unnamed argument is translated');
  const x = numericSql(ctx, node.args[0]);
  switch (node.fn) {
    case 'I':
      return x;
    case 'log':
    case 'log2':
    case 'log10': {
      ctx.guards.push({ condition: `(${x}) = 0`, message: `'${label}' is -Infinity where its argument is 0` });
      const ln = d.ln(x);
      const scaled = node.fn === 'log' ? ln : `${ln} / ${d.ln(d.number(node.fn === 'log2' ? 2 : 10))}`;
      ctx.guards.push(undefinedAt(label, `(${x}) < 0`, 'its argument is negative'));
      return `CASE WHEN (${x}) > 0 THEN ${scaled} END`;
    }
    case 'sqrt':
      ctx.guards.push(undefinedAt(label, `(${x}) < 0`, 'its argument is negative'));
      return `CASE WHEN (${x}) >= 0 THEN ${d.sqrt(x)} END`;
    case 'exp':
      return d.exp(x);
    case 'abs':
      return d.abs(x);
    case 'scale': {
      if (ctx.scale === null) {
        ctx.scaled.add(x);
        return x;
      }
      const s = ctx.scale.get(x);
      if (s === undefined || !(s.sd > 0)) throw caret(ctx, `cannot scale: '${label}' needs at least two different values`, node);
      return `((${x}) - ${d.number(s.mean)}) / ${d.number(s.sd)}`;
    }
    default:
      throw new PushdownUnsupported(label, `${node.fn}() is not translated to SQL`);
  }
}

/** The SQL of a numeric formula expression (see the module comment). */
export function numericSql(ctx: ExpressionContext, node: Node): string {
  const d = ctx.dialect;
  switch (node.kind) {
    case 'number':
      return d.number(node.value);
    case 'name':
      return numericColumn(ctx, node);
    case 'paren':
      return numericSql(ctx, node.expr);
    case 'unary':
      return node.op === '-' ? `(-(${numericSql(ctx, node.arg)}))` : numericSql(ctx, node.arg);
    case 'call':
      return call(ctx, node);
    case 'binary':
      return binary(ctx, node);
    case 'dot':
      throw caret(ctx, "'.' cannot be used here", node);
    case 'string':
      throw caret(ctx, 'a quoted string is not a number', node);
  }
}

function binary(ctx: ExpressionContext, node: Extract<Node, { kind: 'binary' }>): string {
  const a = numericSql(ctx, node.left);
  if (node.op === '^') {
    const e = node.right.kind === 'paren' ? node.right.expr : node.right;
    if (e.kind !== 'number' || !Number.isInteger(e.value) || e.value < 1 || e.value > 4) {
      throw new PushdownUnsupported(deparse(node), 'powers are translated for whole exponents from 1 to 4');
    }
    return `(${Array.from({ length: e.value }, () => `(${a})`).join(' * ')})`;
  }
  const b = numericSql(ctx, node.right), d = ctx.dialect;
  switch (node.op) {
    case '+':
    case '-':
    case '*':
      return `((${a}) ${node.op} (${b}))`;
    case '/':
      ctx.guards.push({ condition: `(${b}) = 0 AND ${d.present(`(${a})`)} AND (${a}) <> 0`, message: `'${deparse(node)}' divides by zero` });
      ctx.guards.push(undefinedAt(deparse(node), `(${b}) = 0 AND (${a}) = 0`, 'it is 0/0'));
      return `((${a}) / NULLIF(${b}, 0))`;
    default:
      throw caret(ctx, `operator '${node.op}' cannot be used in arithmetic; only + - * / ^`, node);
  }
}
