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
  const distinct = new Set<number | string>();
  for (const v of values) if (v !== null && !(typeof v === 'number' && Number.isNaN(v))) distinct.add(typeof v === 'number' && v === 0 ? 0 : v);
  const all = [...distinct];
  const numeric = all.length > 0 && all.every((v) => typeof v === 'number');
  const keys: (number | string)[] = numeric ? (all as number[]).sort((a, b) => a - b) : [];
  let levels = numeric ? keys.map((k) => formatNumber(k as number)) : sortLevels(all.map(String));
  if (reference !== undefined) levels = withReference(levels, reference.level, reference.column);
  const index = new Map<string, number>(levels.map((l, i) => [l, i]));
  const byKey = new Map<number | string, number>();
  if (numeric) keys.forEach((k) => byKey.set(k, index.get(formatNumber(k as number))!));
  else all.forEach((k) => byKey.set(k, index.get(String(k))!));
  const keyOf: (number | string)[] = new Array(levels.length);
  byKey.forEach((l, k) => (keyOf[l] = k));
  return {
    levels,
    keys: keyOf,
    code: (value) => (value === null ? -1 : byKey.get(typeof value === 'number' && value === 0 ? 0 : value) ?? -1),
  };
}
