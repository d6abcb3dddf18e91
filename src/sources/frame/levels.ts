/**
 * Levels of a categorical variable from the distinct keys an aggregate query
 * returned (the complete rows only, so unused levels are already gone), in
 * the in-memory order: numbers ascending and labelled as R prints them
 * (data/factor.ts), text in sortLevels order (data/levels.ts), the reference
 * level (if any) first.
 */
import { sortLevels, withReference } from '../../data/levels.js';
import { formatNumber } from '../../data/rnumber.js';
import { PushdownUnsupported } from './unsupported.js';

export interface LevelCoder {
  levels: string[];
  /** The key value of each level, as the query returned it. */
  keys: (number | string)[];
  /** Level index of a key value (as the query returned it). */
  code(value: number | string | null): number;
}

export function levelCoder(name: string, values: Iterable<number | string | null>, reference?: { level: string; column: string }): LevelCoder {
  const all = distinctValues(values);
  const numeric = all.length > 0 && all.every((v) => typeof v === 'number');
  // Numbers ascending, labelled as R prints them; text in sortLevels order. `at(i)`: the sorted position of all[i].
  const keys = numeric ? (all as number[]).sort((a, b) => a - b) : all;
  const sorted = numeric ? keys.map((k) => formatNumber(k as number)) : sortLevels(all.map(String));
  if (numeric) sharedLabel(name, keys as number[], sorted);
  // Integers have one label each (and other numbers, after sharedLabel); keys of a mixed column may share one.
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

/**
 * Two distinct numbers R labels alike (15 significant digits: 0.3 and 0.1 + 0.2)
 * are one level in R (data/factor.ts merges them in memory); here each level
 * stands for one key value in the SQL that codes it, so such a variable is read
 * instead (PushdownUnsupported). Equal labels are adjacent in ascending order.
 */
function sharedLabel(name: string, keys: readonly number[], labels: readonly string[]): void {
  for (let i = 1; i < labels.length; i++) {
    if (labels[i] === labels[i - 1]) {
      throw new PushdownUnsupported(name, `its distinct values ${keys[i - 1]} and ${keys[i]} are both labelled ${labels[i]}, one level in R`);
    }
  }
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
