/**
 * The levels of a grouping factor from its GROUP BY's rows, as
 * frame/reTerms.ts's groupingFactor makes them: the interaction of the group
 * variables (each with its own levels, numbers made levels as toFactor does),
 * the combinations that occur, ordered by their mixed-radix code (first
 * variable slowest), labelled `a:b`. Plus lme4's checks on the number of levels.
 */
import { manyLevelsNote, unsafeIdNote } from '../../api/checks.js';
import { MixedModelsError } from '../../errors.js';
import type { ReTerm } from '../../frame/types.js';
import { Cells } from './cells.js';
import { levelCoder, type LevelCoder } from './levels.js';
import type { MomentRows, MomentSpec } from './momentQuery.js';
import type { GroupFactor } from './modelTerms.js';
import type { SqlFrame } from './sqlFrame.js';

export interface GroupLevels {
  levels: string[];
  /** The level of each result row of `cells`. */
  indices(cells: Cells): Int32Array;
  /** Per level: each group variable's level code. */
  codes(level: number): number[];
}

/** Adds the group variables' coders to `coders` (from this query when absent) and returns the factor's levels. */
export function groupLevels(sql: SqlFrame, g: GroupFactor, rows: MomentRows, spec: MomentSpec, coders: Map<string, LevelCoder>, reference?: Readonly<Record<string, string>>): GroupLevels {
  for (const label of g.vars) {
    if (coders.has(label)) continue;
    const v = sql.variables.get(label)!;
    const column = v.kind === 'categorical' ? v.column : label;
    const ref = v.kind === 'categorical' && reference?.[column] !== undefined ? { level: reference[column], column } : undefined;
    coders.set(label, levelCoder(label, rows.keys[spec.keys.indexOf(label)] as Iterable<number | string | null>, ref));
  }
  const keys = distinctSorted(new Cells(rows, spec, coders).groupKeys(g.vars));
  const radix = g.vars.map((v) => coders.get(v)!.levels.length);
  const codes = (level: number): number[] => {
    let key = keys[level];
    const out = new Array<number>(radix.length);
    for (let i = radix.length - 1; i >= 0; i--) {
      out[i] = key % radix[i];
      key = Math.floor(key / radix[i]);
    }
    return out;
  };
  const varLevels = g.vars.map((v) => coders.get(v)!.levels);
  const levels = varLevels.length === 1 ? Array.from(keys, (k) => varLevels[0][k]) : Array.from(keys, (_, l) => codes(l).map((c, i) => varLevels[i][c]).join(':'));
  const indices = (cells: Cells): Int32Array => {
    const at = cells.groupKeys(g.vars), out = new Int32Array(at.length);
    for (let r = 0; r < at.length; r++) out[r] = search(keys, at[r]);
    return out;
  };
  return { levels, indices, codes };
}

/** The distinct values of `x` (no NaN), ascending. */
function distinctSorted(x: Float64Array): Float64Array {
  const s = Float64Array.from(x).sort();
  let n = 0;
  for (let e = 0; e < s.length; e++) if (e === 0 || s[e] !== s[n - 1]) s[n++] = s[e];
  return s.subarray(0, n);
}

/** The position of `v` in the ascending `keys` (present). */
function search(keys: Float64Array, v: number): number {
  let lo = 0, hi = keys.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** lme4's checkNlevels and checkZdims (frame/reTerms.ts), on a term known by its levels and columns. */
export function checkTermLevels(t: ReTerm, n: number, allowN: boolean): void {
  const nl = t.levels.length;
  if (nl < 2) throw new MixedModelsError(`grouping factors must have > 1 sampled level: '${t.group}' has ${nl} in the rows used`);
  if (allowN ? nl > n : nl >= n) {
    throw new MixedModelsError(`number of levels of each grouping factor must be < number of observations: '${t.group}' has ${nl} levels for ${n} observations`);
  }
  const q = nl * t.k;
  if (allowN ? n < q : n <= q) {
    throw new MixedModelsError(
      `number of observations (=${n}) ${allowN ? '<' : '<='} number of random effects (=${q}) for term (${t.cnames.join(' + ')} | ${t.group}); ` +
        'the random-effects parameters and the residual variance (or scale parameter) are probably unidentifiable',
    );
  }
}

/**
 * api/checks.ts numericGroupingMessages for a frame in SQL: a bar over a
 * numeric column with many levels; and a grouping column of numbers beyond
 * 2^53 (a key the engine returns as a double), from its level labels.
 */
export function numericGroupingMessages(sql: SqlFrame, reTerms: readonly ReTerm[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of reTerms) {
    const v = sql.variables.get(t.group), info = sql.columns.get(t.group);
    if (seen.has(t.group) || info === undefined) continue;
    seen.add(t.group);
    if (info.kind === 'integer' || info.kind === 'float') {
      const unsafe = unsafeIdNote(t.group, t.levels.map(Number));
      if (unsafe !== null) out.push(unsafe);
    }
    const note = v?.kind === 'numeric' ? manyLevelsNote(t.group, t.levels.length) : null;
    if (note !== null) out.push(note);
  }
  return out;
}
