/**
 * The model frame in SQL: every model variable (sqlVariables.ts) selected once
 * from the relation under a private alias, the weights and the offset, the
 * condition that a row is complete (no model variable, and no weight,
 * missing: frame/modelFrame.ts's keptRows), and the guards whose rows would be
 * errors in memory. `select()` is the inner query every aggregate reads from.
 *
 * scale() needs the mean and sd of its argument over the complete rows: a
 * first aggregate query computes them when the formula uses scale().
 */
import { MixedModelsError, closest } from '../../errors.js';
import type { ModelFormula } from '../../formula/ast.js';
import { deparse } from '../../formula/deparse.js';
import type { ColumnInfo, Source } from '../source.js';
import type { ExpressionContext, Guard } from './sqlExpression.js';
import { numericSql } from './sqlExpression.js';
import { sqlVariables, variableSql, type SqlVariable } from './sqlVariables.js';

export interface SqlFrameOptions {
  /** Columns read as categorical. */
  factors?: readonly string[];
  /** Prior weights column. */
  weights?: string;
}

/**
 * A model frame whose columns are SQL expressions over a source's relation (the pushdown's design), with the levels of its categorical variables.
 */
export interface SqlFrame {
  source: Source;
  formula: ModelFormula;
  /** The relation's columns by name. */
  columns: ReadonlyMap<string, ColumnInfo>;
  variables: Map<string, SqlVariable>;
  /** Alias of each variable's column(s) in `select()`. */
  alias: Map<string, string[]>;
  /** Alias of the weights, or null. */
  weights: string | null;
  /** SQL (over the aliases) of the sum of the fixed offsets, or null. */
  offset: string | null;
  /** True on complete rows (over the aliases). */
  complete: string;
  /**
   * Whether a row can be incomplete or guarded only through a non-finite
   * value in some sum: every variable a column as it is, no weights, and the
   * engine says no column holds NULL. Then a NaN (missing) or infinite value
   * shows as a non-finite sum or key (momentQuery.ts's lean screen).
   */
  finiteScreen: boolean;
  guards: Guard[];
  /** The inner query: every variable under its alias, from the relation (or from `from`, e.g. a sample of it). */
  select(extra?: readonly string[], from?: string): string;
  /**
   * SQL over the aliases (and nothing the user wrote) rewritten over the
   * relation's columns, each alias replaced by its parenthesised expression:
   * for a query with no inner select (one level, so that ClickHouse runs an
   * aggregate on every shard of a Distributed table, not on rows streamed to
   * the initiator).
   */
  inline(sql: string): string;
}

/** Private aliases, unlikely to meet a user's column name. */
export function aliasName(i: number, j = 0): string {
  return `mm__v${i}_${j}`;
}

/** An alias in SQL written over the aliases. */
const ALIAS = /\bmm__(?:v\d+_\d+|w)\b/g;

function columnMap(columns: readonly ColumnInfo[]): Map<string, ColumnInfo> {
  return new Map(columns.map((c) => [c.name, c]));
}

function context(source: Source, formula: ModelFormula, columns: ReadonlyMap<string, ColumnInfo>, options: SqlFrameOptions, scale: ExpressionContext['scale']): ExpressionContext {
  return { dialect: source.dialect, columns, text: formula.ast.text, factors: new Set(options.factors ?? []), guards: [], used: new Set(), scale, scaled: new Set() };
}

function weightsSql(ctx: ExpressionContext, name: string): string {
  if (!ctx.columns.has(name)) {
    const near = closest(name, [...ctx.columns.keys()]);
    throw new MixedModelsError(`unknown weights column '${name}'${near === null ? '' : ` (did you mean '${near}'?)`}`);
  }
  const c = ctx.columns.get(name)!;
  if (c.kind !== 'integer' && c.kind !== 'float') throw new MixedModelsError(`weights column '${name}' is not numeric`);
  const sql = numericSql(ctx, { kind: 'name', name, start: 0, end: 0 });
  ctx.guards.push({ condition: `(${sql}) < 0`, message: `weights must be finite and non-negative: column '${name}' has negative values` });
  return sql;
}

function build(source: Source, formula: ModelFormula, ctx: ExpressionContext, options: SqlFrameOptions): SqlFrame {
  const variables = sqlVariables(formula, ctx);
  const weightExpr = options.weights === undefined ? null : weightsSql(ctx, options.weights);
  const alias = new Map<string, string[]>();
  const selects: string[] = [];
  const expressions = new Map<string, string>();
  const present: string[] = [];
  let i = 0;
  for (const v of variables.values()) {
    const sql = variableSql(v);
    alias.set(v.label, sql.map((_, j) => aliasName(i, j)));
    sql.forEach((s, j) => {
      selects.push(`${s} AS ${aliasName(i, j)}`);
      expressions.set(aliasName(i, j), s);
      present.push(v.kind === 'categorical' ? `${aliasName(i, j)} IS NOT NULL` : ctx.dialect.present(aliasName(i, j)));
    });
    i++;
  }
  let weights: string | null = null;
  if (weightExpr !== null) {
    weights = 'mm__w';
    selects.push(`${weightExpr} AS mm__w`);
    expressions.set(weights, weightExpr);
    present.push(ctx.dialect.present(weights));
  }
  const offsets = formula.fixed.offsets.map((node) => alias.get(deparse(node))![0]);
  // The rows whose data columns are all there: where a transform's own missing value is an error.
  const data = [...ctx.used].map((name) => {
    const c = ctx.columns.get(name)!, id = ctx.dialect.ident(name);
    return c.kind === 'integer' || c.kind === 'float' ? ctx.dialect.present(ctx.dialect.double(id)) : `${id} IS NOT NULL`;
  }).join(' AND ');
  const guards = ctx.guards.map((g) => (g.onData ? { ...g, condition: `(${g.condition}) AND ${data}` } : g));
  return {
    source,
    formula,
    columns: ctx.columns,
    variables,
    alias,
    weights,
    offset: offsets.length === 0 ? null : offsets.join(' + '),
    complete: present.join(' AND '),
    finiteScreen: weights === null && [...variables.values()].every((v) => {
      const column = v.kind === 'categorical' || v.kind === 'numeric' ? v.column : undefined;
      return column !== undefined && ctx.columns.get(column)?.nullable === false;
    }),
    guards,
    select: (extra = [], from = source.relation) => `SELECT ${[...selects, ...extra].join(', ')} FROM ${from}`,
    inline: (sql) => sql.replace(ALIAS, (a) => `(${expressions.get(a) ?? a})`),
  };
}

/** The SQL frame of `formula` over `source` (one aggregate query first when scale() is used). */
export async function sqlFrame(source: Source, formula: ModelFormula, options: SqlFrameOptions = {}): Promise<SqlFrame> {
  const columns = columnMap(await source.columns());
  for (const f of options.factors ?? []) {
    if (!columns.has(f)) {
      const near = closest(f, [...columns.keys()]);
      throw new MixedModelsError(`unknown column '${f}' in option 'factors'${near === null ? '' : ` (did you mean '${near}'?)`}`);
    }
  }
  const first = context(source, formula, columns, options, null);
  const frame = build(source, formula, first, options);
  if (first.scaled.size === 0) return frame;
  const args = [...first.scaled];
  const d = source.dialect;
  const aggs = args.flatMap((x, k) => [`avg(mm__s${k}) AS mm__m${k}`, `${d.stddev(`mm__s${k}`)} AS mm__d${k}`]);
  const inner = frame.select(args.map((x, k) => `${x} AS mm__s${k}`));
  const res = await source.query(`SELECT ${aggs.join(', ')} FROM (${inner}) AS d WHERE ${frame.complete}`);
  const stats = new Map(args.map((x, k) => [x, { mean: (res.columns[2 * k] as Float64Array)[0], sd: (res.columns[2 * k + 1] as Float64Array)[0] }]));
  return build(source, formula, context(source, formula, columns, options, stats), options);
}
