/**
 * What a SQL engine spells differently: quoting, literals, casts, the math
 * functions a formula may use, and how a small table sent with a query is
 * joined. Everything the pushdown code writes into SQL goes through these
 * functions: identifiers and string literals are always quoted here (no
 * engine we speak to takes parameters for every statement we need: ClickHouse
 * 18.16 has none), numbers are written as exact double literals, and nothing
 * from a formula is ever spliced in any other way.
 */
import { MixedModelsError } from '../errors.js';

/**
 * How an engine spells SQL: quoting, literals, casts, functions, quantiles and attached tables. Everything the pushdown writes goes through it.
 */
export interface Dialect {
  readonly name: string;
  /** The type name of a double column (for attached tables). */
  readonly doubleType: string;
  /** A quoted identifier. */
  ident(name: string): string;
  /** A quoted string literal. */
  string(value: string): string;
  /** A finite double as a literal that reads back as the same double. */
  number(x: number): string;
  /** expr cast to a double. */
  double(expr: string): string;
  /** expr cast to text. */
  text(expr: string): string;
  /** True where the double expr is NaN. */
  isNaN(expr: string): string;
  /** True where the double expr is +-Infinity. */
  isInfinite(expr: string): string;
  /**
   * A float column read as a double with NaN missing, as the engine carries a
   * missing value most cheaply: NULL (PostgreSQL, DuckDB), or the NaN itself
   * (ClickHouse, whose Nullable arithmetic is several times slower than plain
   * Float64 and whose IEEE division and logarithms give NaN where R does).
   */
  float(column: string): string;
  /** True where a numeric variable's value is there: neither NULL nor (where `float` keeps it) NaN. */
  present(expr: string): string;
  /** The aggregate counting the rows where condition holds. */
  countWhere(condition: string): string;
  /** Natural logarithm, exponential, square root, absolute value, power. */
  ln(expr: string): string;
  /** e^expr. */
  exp(expr: string): string;
  /** The square root of expr. */
  sqrt(expr: string): string;
  /** The absolute value of expr. */
  abs(expr: string): string;
  /** base to the power exponent. */
  pow(base: string, exponent: string): string;
  /**
   * Text to end a subquery with so that the planner computes its columns once
   * per row instead of copying their expressions into every use above
   * (PostgreSQL flattens subqueries: `OFFSET 0` stops it); '' where not needed.
   */
  readonly fence: string;
  /** Sample standard deviation aggregate. */
  stddev(expr: string): string;
  /**
   * R's type-7 quantiles of expr over n rows: aggregate SQL, and how the
   * values those aggregates return make the quantiles.
   */
  quantiles(expr: string, probs: readonly number[], n: number): {
    sql: string[];
    /** The quantiles at probs from the values the `sql` aggregates returned. */
    combine(values: readonly number[]): number[];
  };
  /**
   * `FROM relation AS alias` joined to an attached table (see Source.query)
   * on the column `key` that both have, every relation row kept.
   */
  joinAttached(relation: string, alias: string, attached: string, key: string): string;
}

/** Type-7 quantiles by an aggregate that is type 7 itself (quantile_cont, percentile_cont). */
export function directQuantiles(aggregate: (expr: string, p: number) => string) {
  return (expr: string, probs: readonly number[]) => ({ sql: probs.map((p) => aggregate(expr, p)), combine: (v: readonly number[]) => [...v] });
}

/** An attached table's value as a SQL literal (text quoted, numbers exact). */
export function literal(dialect: Dialect, column: readonly string[] | Float64Array, r: number): string {
  return column instanceof Float64Array ? (Number.isNaN(column[r]) ? 'NULL' : dialect.number(column[r])) : dialect.string(column[r]);
}

/** Rejects what no engine can quote (a NUL byte). */
export function checkText(value: string, what: string): string {
  if (value.includes('\u0000')) throw new MixedModelsError(`${what} contains a NUL byte: ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/** Shortest round-trip decimal of a finite double (JavaScript's own), or an error. */
export function doubleText(x: number): string {
  if (!Number.isFinite(x)) throw new MixedModelsError(`internal error: the non-finite number ${x} cannot be sent to a database`);
  return Object.is(x, -0) ? '0' : String(x);
}

/** "name" with embedded double quotes doubled (SQL standard). */
export function standardIdent(name: string): string {
  return `"${checkText(name, 'an identifier').replaceAll('"', '""')}"`;
}

/** 'value' with embedded single quotes doubled (SQL standard, no backslash escapes). */
export function standardString(value: string): string {
  return `'${checkText(value, 'a string').replaceAll("'", "''")}'`;
}
