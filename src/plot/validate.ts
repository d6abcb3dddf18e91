/**
 * Input checks shared by the plot builders. They throw `MixedModelsError`
 * with the builder's name, so a bad adapter fails with a readable message.
 */
import { MixedModelsError } from '../errors.js';

/** The common length of `columns`; throws when they differ or are empty. */
export function commonLength(plot: string, columns: Record<string, ArrayLike<unknown>>): number {
  const entries = Object.entries(columns);
  const n = entries[0][1].length;
  for (const [name, column] of entries) {
    if (column.length !== n) {
      const sizes = entries.map(([k, c]) => `${k} ${c.length}`).join(', ');
      throw new MixedModelsError(`${plot}: columns differ in length (${sizes}); ${name} does not match`);
    }
  }
  if (n === 0) throw new MixedModelsError(`${plot}: no data to plot`);
  return n;
}

/** Checks that `level` is a coverage probability strictly between 0 and 1. */
export function checkLevel(plot: string, level: number): number {
  if (!(level > 0 && level < 1)) {
    throw new MixedModelsError(`${plot}: level must be between 0 and 1, got ${level}`);
  }
  return level;
}

/** Checks that `value` is a whole number of at least `min`. */
export function checkCount(plot: string, name: string, value: number, min: number): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new MixedModelsError(`${plot}: ${name} must be a whole number >= ${min}, got ${value}`);
  }
  return value;
}
