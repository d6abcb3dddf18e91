import { MixedModelsError, closest } from '../errors.js';

const NUMERIC_CODE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * R's order for the levels of a categorical variable: the distinct values in
 * numeric order when every one is a number (`1`, `2`, `10`, as `factor()` of a
 * numeric column gives), else in UTF-16 code-unit order (`A` < `B` < `a`,
 * R's sort in the C locale).
 */
export function sortLevels(values: Iterable<string>): string[] {
  const distinct = [...new Set(values)];
  if (distinct.length > 0 && distinct.every((v) => NUMERIC_CODE.test(v))) {
    const number = new Map(distinct.map((v) => [v, Number(v)]));
    return distinct.sort((a, b) => number.get(a)! - number.get(b)!);
  }
  return distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * `levels` with `reference` moved to the front (R's `relevel()`), so that
 * treatment contrasts compare every other level with it.
 */
export function withReference(levels: readonly string[], reference: string, variable: string): string[] {
  if (!levels.includes(reference)) {
    const near = closest(reference, levels);
    const hint = near === null ? `; its levels are ${listLevels(levels)}` : ` (did you mean '${near}'?)`;
    throw new MixedModelsError(`reference level '${reference}' is not a level of '${variable}'${hint}`);
  }
  return [reference, ...levels.filter((l) => l !== reference)];
}

function listLevels(levels: readonly string[]): string {
  const shown = levels.slice(0, 8).map((l) => `'${l}'`).join(', ');
  return levels.length > 8 ? `${shown}, ...` : shown;
}
