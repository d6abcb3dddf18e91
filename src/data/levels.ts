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
  if (distinct.every((v) => LOWER_ALNUM.test(v)) || distinct.every((v) => UPPER_ALNUM.test(v))) return distinct.sort(byCodeUnit);
  // Digits and letters of both cases: ICU's order written out, without the 10 ms it takes to make a collator.
  if (distinct.every((v) => ALNUM.test(v))) return distinct.sort(alnumOrder);
  const collator = textCollator();
  return distinct.sort(collator === null ? byCodeUnit : (a, b) => collator.compare(a, b) || byCodeUnit(a, b));
}

const LOWER_ALNUM = /^[0-9a-z]*$/;
const UPPER_ALNUM = /^[0-9A-Z]*$/;
const ALNUM = /^[0-9A-Za-z]*$/;

/**
 * ICU's order of texts of ASCII digits and letters: first by the letters regardless of case
 * (digits before letters, a shorter text before one it begins), then at the first place the
 * cases differ, the lower case first (`ab` < `aB` < `Ab` < `AB` < `abc`).
 */
function alnumOrder(a: string, b: string): number {
  const la = a.toLowerCase(), lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return a[i] === la[i] ? -1 : 1;
  }
  return 0;
}
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
