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
  if (all instanceof Float64Array) return numericCoder(name, all, reference);
  // Text in sortLevels order; keys of a mixed column may share one label. `at(i)`: the sorted position of all[i].
  const sorted = sortLevels(all.map(String));
  const labelIndex = new Map(sorted.map((l, i) => [l, i]));
  const levels = reference === undefined ? sorted : withReference(sorted, reference.level, reference.column);
  const position = levels === sorted ? null : new Map<string, number>(levels.map((l, i) => [l, i]));
  const byKey = new Map<number | string, number>();
  const keyOf: (number | string)[] = new Array(levels.length);
  all.forEach((k, i) => {
    const at = labelIndex.get(String(k))!;
    const l = position === null ? at : position.get(sorted[at])!;
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
 * Numbers ascending (`keys`, distinct, no NaN, -0 as 0), labelled as R prints them, each label
 * its own level (sharedLabel); a value's code by binary search in the keys (a Map of 20,000
 * numbers took 10 ms of a fit from ClickHouse).
 */
function numericCoder(name: string, keys: Float64Array, reference?: { level: string; column: string }): LevelCoder {
  const sorted = Array.from(keys, formatNumber);
  sharedLabel(name, keys, sorted);
  const levels = reference === undefined ? sorted : withReference(sorted, reference.level, reference.column);
  const levelOf = new Int32Array(keys.length);
  const keyOf: number[] = new Array(levels.length);
  const position = levels === sorted ? null : new Map<string, number>(levels.map((l, i) => [l, i]));
  for (let i = 0; i < keys.length; i++) {
    const l = position === null ? i : position.get(sorted[i])!;
    levelOf[i] = l;
    keyOf[l] = keys[i];
  }
  return {
    levels,
    keys: keyOf,
    code: (value) => {
      if (typeof value !== 'number' || keys.length === 0) return -1;
      let lo = 0, hi = keys.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keys[mid] < value) lo = mid + 1;
        else hi = mid;
      }
      return keys[lo] === value ? levelOf[lo] : -1;
    },
  };
}

/**
 * Two distinct numbers R labels alike (15 significant digits: 0.3 and 0.1 + 0.2)
 * are one level in R (data/factor.ts merges them in memory); here each level
 * stands for one key value in the SQL that codes it, so such a variable is read
 * instead (PushdownUnsupported). Equal labels are adjacent in ascending order.
 */
function sharedLabel(name: string, keys: ArrayLike<number>, labels: readonly string[]): void {
  for (let i = 1; i < labels.length; i++) {
    if (labels[i] === labels[i - 1]) {
      throw new PushdownUnsupported(name, `its distinct values ${keys[i - 1]} and ${keys[i]} are both labelled ${labels[i]}, one level in R`);
    }
  }
}

/**
 * The distinct values (no null or NaN, -0 as 0): numbers only, ascending in a Float64Array (by a
 * sort, from a typed column without a Set); otherwise in the order first seen.
 */
function distinctValues(values: Iterable<number | string | null>): Float64Array | (number | string)[] {
  if (values instanceof Float64Array) return ascendingDistinct(Float64Array.from(values));
  const distinct = new Set<number | string>();
  let numeric = true;
  for (const v of values) {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) continue;
    distinct.add(typeof v === 'number' && v === 0 ? 0 : v);
    numeric &&= typeof v === 'number';
  }
  return numeric && distinct.size > 0 ? ascendingDistinct(Float64Array.from(distinct as Set<number>)) : [...distinct];
}

/** The distinct numbers of `s` other than NaN, ascending, -0 as 0 (s is sorted in place). */
function ascendingDistinct(s: Float64Array): Float64Array {
  s.sort();
  let n = 0;
  for (let e = 0; e < s.length; e++) {
    const v = s[e] === 0 ? 0 : s[e];
    if (!Number.isNaN(v) && (n === 0 || v !== s[n - 1])) s[n++] = v;
  }
  return s.subarray(0, n);
}
