import { MixedModelsError, closest } from '../errors.js';

const NUMERIC_CODE = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/**
 * R's order for the levels of a categorical variable: the distinct values in
 * numeric order when every one is a number (`1`, `2`, `10`, as `factor()` of a
 * numeric column gives), else as R's sort() orders text where ICU collates it
 * (R's builds for Linux, macOS and Windows, in an English or the C.UTF-8 locale):
 * `_x` < `1a` < `a` < `A` < `Ä` < `b` < `B` < `control` < `e` < `é` < `Treatment`,
 * where the C locale's code-unit order would put every capital first (`A` < `B` <
 * `Treatment` < `a`) and so choose another reference level. Values the
 * collation finds equal (other Unicode forms of one text) keep code-unit order.
 */
export function sortLevels(values: Iterable<string>): string[] {
  const distinct = [...new Set(values)];
  if (distinct.length > 0 && distinct.every((v) => NUMERIC_CODE.test(v))) {
    const number = new Map(distinct.map((v) => [v, Number(v)]));
    return distinct.sort((a, b) => number.get(a)! - number.get(b)!);
  }
  const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  // Digits with lower-case letters only (or with capitals only) collate in code-unit order: ids like u17200 skip ICU.
  const collator = distinct.every((v) => LOWER_ALNUM.test(v)) || distinct.every((v) => UPPER_ALNUM.test(v)) ? null : textCollator();
  return distinct.sort(collator === null ? byCodeUnit : (a, b) => collator.compare(a, b) || byCodeUnit(a, b));
}

const LOWER_ALNUM = /^[0-9a-z]*$/;
const UPPER_ALNUM = /^[0-9A-Z]*$/;
let collatorMade: Intl.Collator | null | undefined;

/** ICU's collation for English (its root order for these texts), or null where Intl has none (then code units). */
function textCollator(): Intl.Collator | null {
  if (collatorMade === undefined) {
    try {
      collatorMade = new Intl.Collator('en', { usage: 'sort', sensitivity: 'variant' });
    } catch {
      collatorMade = null;
    }
  }
  return collatorMade;
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
