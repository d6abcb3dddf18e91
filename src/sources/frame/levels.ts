/**
 * Levels of a categorical variable from the distinct keys an aggregate query
 * returned (the complete rows only, so unused levels are already gone), in
 * the in-memory order: numbers ascending and labelled as R prints them
 * (data/factor.ts), text in sortLevels order (data/levels.ts), the reference
 * level (if any) first.
 */
import { sortLevels, withReference } from '../../data/levels.js';
import { formatNumber } from '../../data/rnumber.js';

export interface LevelCoder {
  levels: string[];
  /** The key value of each level, as the query returned it. */
  keys: (number | string)[];
  /** Level index of a key value (as the query returned it). */
  code(value: number | string | null): number;
}

export function levelCoder(values: Iterable<number | string | null>, reference?: { level: string; column: string }): LevelCoder {
  const all = distinctValues(values);
  const numeric = all.length > 0 && all.every((v) => typeof v === 'number');
  // Numbers ascending, labelled as R prints them; text in sortLevels order. `at(i)`: the sorted position of all[i].
  const keys = numeric ? (all as number[]).sort((a, b) => a - b) : all;
  const sorted = numeric ? keys.map((k) => formatNumber(k as number)) : sortLevels(all.map(String));
  // Integers have one label each; other numbers (15 significant digits) and text may share one.
  const labelIndex = numeric && keys.every((k) => Number.isInteger(k) && Math.abs(k as number) < 1e15) ? null : new Map(sorted.map((l, i) => [l, i]));
  const at = (i: number): number => (labelIndex === null ? i : labelIndex.get(numeric ? sorted[i] : String(keys[i]))!);
  const levels = reference === undefined ? sorted : withReference(sorted, reference.level, reference.column);
  const position = levels === sorted ? null : new Map<string, number>(levels.map((l, i) => [l, i]));
  const byKey = new Map<number | string, number>();
  const keyOf: (number | string)[] = new Array(levels.length);
  keys.forEach((k, i) => {
    const l = position === null ? at(i) : position.get(sorted[at(i)])!;
    byKey.set(k, l);
    keyOf[l] = k;
  });
  return {
    levels,
    keys: keyOf,
    code: (value) => (value === null ? -1 : byKey.get(typeof value === 'number' && value === 0 ? 0 : value) ?? -1),
  };
}

/** The distinct values (no null or NaN, -0 as 0), by a sort when they are numbers in a typed array. */
function distinctValues(values: Iterable<number | string | null>): (number | string)[] {
  if (values instanceof Float64Array) {
    const s = Float64Array.from(values).sort();
    const out: number[] = [];
    for (const v of s) if (!Number.isNaN(v) && (out.length === 0 || v !== out[out.length - 1])) out.push(v === 0 ? 0 : v);
    return out;
  }
  const distinct = new Set<number | string>();
  for (const v of values) if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) distinct.add(typeof v === 'number' && v === 0 ? 0 : v);
  return [...distinct];
}
