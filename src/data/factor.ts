import { MixedModelsError } from '../errors.js';
import { sortLevels } from './levels.js';
import { formatNumber } from './rnumber.js';
import type { Column } from './types.js';

/** A column seen as categorical: 0-based level index per row (-1 = missing) and the level labels. */
export interface Factor {
  codes: Int32Array;
  levels: string[];
}

/**
 * R's `factor()` of a column. Numbers become levels in numeric order,
 * labelled as R prints them (`1`, `2.5`, `308`); NaN is missing. Text keeps
 * the column's declared levels, or sorts its values with `sortLevels`.
 */
export function toFactor(column: Column, name: string): Factor {
  return column.kind === 'numeric' ? numericFactor(column.values) : textFactor(column, name);
}

/** The same column as a categorical column (numbers labelled as R prints them). */
export function asCategorical(column: Column, name: string): Column {
  if (column.kind === 'categorical') return column;
  const { codes, levels } = toFactor(column, name);
  const values = Array.from(codes, (c) => (c < 0 ? null : levels[c]));
  return { kind: 'categorical', values, levels };
}

function numericFactor(values: Float64Array): Factor {
  const distinct = [...new Set(values)].filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  const index = new Map<number, number>();
  distinct.forEach((v, i) => index.set(v, i));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i]) ?? -1;
  return { codes, levels: distinct.map(formatNumber) };
}

function textFactor(column: Extract<Column, { kind: 'categorical' }>, name: string): Factor {
  const values = column.values;
  const levels = column.levels ? [...column.levels] : sortLevels(values.filter((v): v is string => v !== null));
  const index = new Map<string, number>();
  levels.forEach((l, i) => index.set(l, i));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) {
      codes[i] = -1;
      continue;
    }
    const code = index.get(v);
    if (code === undefined) {
      throw new MixedModelsError(`column '${name}' has value '${v}' in row ${i + 1}, which is not one of its levels`);
    }
    codes[i] = code;
  }
  return { codes, levels };
}
