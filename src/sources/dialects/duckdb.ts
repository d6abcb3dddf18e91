/** DuckDB's SQL (1.x): standard quoting; numbers go through a string cast so they read back exactly. */
import { directQuantiles, doubleText, standardIdent, standardString, type Dialect } from '../dialect.js';

/** DuckDB's SQL dialect. */
export const duckdbDialect: Dialect = {
  doubleType: 'DOUBLE',
  name: 'duckdb',
  ident: standardIdent,
  string: standardString,
  number: (x) => `CAST('${doubleText(x)}' AS DOUBLE)`,
  double: (e) => `CAST(${e} AS DOUBLE)`,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  isNaN: (e) => `isnan(${e})`,
  isInfinite: (e) => `isinf(${e})`,
  float: (c) => `CASE WHEN NOT isnan(CAST(${c} AS DOUBLE)) THEN CAST(${c} AS DOUBLE) END`,
  present: (e) => `${e} IS NOT NULL`,
  countWhere: (c) => `count(*) FILTER (WHERE ${c})`,
  ln: (e) => `ln(${e})`,
  exp: (e) => `exp(${e})`,
  sqrt: (e) => `sqrt(${e})`,
  abs: (e) => `abs(${e})`,
  pow: (a, b) => `pow(${a}, ${b})`,
  fence: '',
  stddev: (e) => `stddev_samp(${e})`,
  quantiles: directQuantiles((e, p) => `quantile_cont(${e}, ${p})`),
  joinAttached: (relation, alias, attached, key) => `${relation} AS ${alias} LEFT JOIN ${attached} USING (${key})`,
};
