/**
 * A model-matrix column written back as SQL over the frame's aliases: its
 * monomial times, for each categorical factor, `CASE WHEN key = level THEN
 * coefficient ... ELSE 0 END` (levels by the key values the engine returned).
 * Used where a pass over the rows needs the linear predictor (residuals, PIRLS).
 */
import { doubleText } from '../dialect.js';
import type { ColumnSpec } from './designSpec.js';
import type { LevelCoder } from './levels.js';
import { monomialSql } from './momentQuery.js';
import type { SqlFrame } from './sqlFrame.js';

function keyLiteral(frame: SqlFrame, key: number | string): string {
  return typeof key === 'number' ? frame.source.dialect.number(key) : frame.source.dialect.string(key);
}

/** The column's categorical coefficient as SQL ('1' when it has none). */
function coefficientSql(frame: SqlFrame, c: ColumnSpec, coders: ReadonlyMap<string, LevelCoder>): string {
  if (c.factors.length === 0) return '1';
  return c.factors.map((f) => {
    const coder = coders.get(f.variable)!;
    const alias = frame.alias.get(f.variable)![0];
    const arms = Array.from(f.weights, (w, l) => (w === 0 ? '' : ` WHEN ${alias} = ${keyLiteral(frame, coder.keys[l])} THEN ${doubleText(w)}`)).join('');
    return `(CASE${arms} ELSE 0 END)`;
  }).join(' * ');
}

/** The column's value as SQL. */
export function columnSql(frame: SqlFrame, c: ColumnSpec, coders: ReadonlyMap<string, LevelCoder>): string {
  const parts = [coefficientSql(frame, c, coders), monomialSql(frame, c.monomial.join('\u0001'))].filter((s) => s !== '1');
  return parts.length === 0 ? '1' : parts.map((s) => `(${s})`).join(' * ');
}

/** sum_t coef_t * column_t as SQL ('0' when empty); coefficients written exactly. */
export function linearSql(frame: SqlFrame, columns: readonly ColumnSpec[], beta: ArrayLike<number>, coders: ReadonlyMap<string, LevelCoder>): string {
  const terms = columns.map((c, t) => (beta[t] === 0 ? '' : `${frame.source.dialect.number(beta[t])} * ${columnSql(frame, c, coders)}`)).filter((s) => s !== '');
  return terms.length === 0 ? '0' : terms.join(' + ');
}
