/**
 * Checks on a model frame before a mixed model is fitted, as small named
 * functions (lme4's checkControl habit): each returns a message to attach to
 * the result, or throws a MixedModelsError for input that cannot be fitted.
 */
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';

/** A constant response leaves nothing to model: the residual variance would be 0. */
export function checkResponseVaries(frame: ModelFrame): void {
  const y = frame.y;
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return;
  throw new MixedModelsError(`the response '${frame.responseName}' is constant (every value is ${y[0]}): a mixed model needs variation in the response`);
}

/** Levels above which a numeric grouping column is probably a covariate used by mistake. */
const MANY_LEVELS = 100;

/** The note for a numeric column used as a grouping factor with more than MANY_LEVELS values (also for sums from a database), or null. */
export function manyLevelsNote(group: string, levels: number): string | null {
  if (levels <= MANY_LEVELS) return null;
  return `grouping factor '${group}' is a numeric column with ${levels} distinct values, each made a level; ` +
    `if '${group}' is a covariate, it belongs among the fixed effects or left of another grouping factor's bar, e.g. (1 + ${group} | <grouping factor>)`;
}

/**
 * The note for a grouping factor made from numbers beyond 2^53 in magnitude
 * (64-bit ids, e.g. hashed user ids), which doubles cannot all tell apart:
 * ids that differ only beyond about 16 digits become one number, and so one
 * level, or null when every value is below that.
 */
export function unsafeIdNote(group: string, values: ArrayLike<number>): string | null {
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const a = Math.abs(values[i]);
    if (a > largest) largest = a;
  }
  if (!(largest > Number.MAX_SAFE_INTEGER)) return null;
  return `grouping factor '${group}' is made from numbers as large as ${largest.toExponential(6)}, beyond 2^53: a double cannot tell all such ids apart, ` +
    `so different ids may have become one level; read the ids as text (in SQL, CAST(${group} AS VARCHAR) in --query)`;
}

/**
 * A bar over a numeric column with many distinct values is legal but rarely
 * meant: say so, suggesting the covariate form; and ids too large for doubles
 * (unsafeIdNote), whether or not the column is in `factors`.
 */
export function numericGroupingMessages(frame: ModelFrame, data: DataTable, factors: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of frame.reTerms) {
    const col = data.columns.get(t.group);
    if (seen.has(t.group) || !col || col.kind !== 'numeric') continue;
    seen.add(t.group);
    const unsafe = unsafeIdNote(t.group, col.values);
    if (unsafe !== null) out.push(unsafe);
    const note = factors.includes(t.group) ? null : manyLevelsNote(t.group, t.levels.length);
    if (note !== null) out.push(note);
  }
  return out;
}

/** Most memory for the dense part of the random-effects system: 4 GiB. */
export const MAX_DENSE_BYTES = 4 * 2 ** 30;
/** Longest estimated fit: a day of EVALUATIONS evaluations at FLOP_RATE. */
export const MAX_FIT_SECONDS = 24 * 3600;
const EVALUATIONS = 50;
const FLOP_RATE = 2e9;

/**
 * Refuses, before any work, a mixed model whose dense system cannot fit in
 * memory or be factored in a day. The random effects of the grouping factor
 * with the most of them keep a (block) diagonal; every other random effect,
 * with the p fixed effects and the response, joins a dense symmetric block of
 * order r (DESIGN.md), stored in 8 r^2 bytes and factored in r^3 / 3 flops at
 * each of the fit's evaluations (lme4 takes 30 to 200).
 */
export function checkDenseSize(frame: ModelFrame): void {
  const perGroup = new Map<string, number>();
  for (const t of frame.reTerms) perGroup.set(t.group, (perGroup.get(t.group) ?? 0) + t.levels.length * t.k);
  const sizes = [...perGroup].sort((a, b) => b[1] - a[1]);
  const r = sizes.slice(1).reduce((s, [, q]) => s + q, 0) + frame.p + 1;
  const bytes = 8 * r * r;
  const seconds = (EVALUATIONS * r ** 3) / 3 / FLOP_RATE;
  if (bytes <= MAX_DENSE_BYTES && seconds <= MAX_FIT_SECONDS) return;
  const others = sizes.slice(1).map(([g, q]) => `'${g}' (${q})`).join(', ');
  throw new MixedModelsError(
    `this model is too large to fit: besides the ${sizes[0][1]} random effects of '${sizes[0][0]}', those of ${others} form a dense system of order ${r}, ` +
      `which needs ${gib(bytes)} of memory and about ${hours(seconds)} for ${EVALUATIONS} evaluations; the limits are ${gib(MAX_DENSE_BYTES)} and ${hours(MAX_FIT_SECONDS)}: ` +
      `use a grouping factor with fewer levels, or nest it in the large one`,
  );
}

function gib(bytes: number): string {
  return `${Number((bytes / 2 ** 30).toPrecision(3))} GiB`;
}

function hours(seconds: number): string {
  return `${Number((seconds / 3600).toPrecision(2))} hours`;
}
