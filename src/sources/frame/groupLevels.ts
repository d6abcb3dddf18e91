/**
 * The levels of a grouping factor from its GROUP BY's rows, as
 * frame/reTerms.ts's groupingFactor makes them: the interaction of the group
 * variables (each with its own levels, numbers made levels as toFactor does),
 * the combinations that occur, ordered by their mixed-radix code (first
 * variable slowest), labelled `a:b`. Plus lme4's checks on the number of levels.
 */
import { manyLevelsNote } from '../../api/checks.js';
import { MixedModelsError } from '../../errors.js';
import type { ReTerm } from '../../frame/types.js';
import { Cells } from './cells.js';
import { levelCoder, type LevelCoder } from './levels.js';
import type { MomentRows, MomentSpec } from './momentQuery.js';
import type { GroupFactor } from './modelTerms.js';
import type { SqlFrame } from './sqlFrame.js';

export interface GroupLevels {
  levels: string[];
  /** The level of the row `cells` is at. */
  index(cells: Cells): number;
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
    coders.set(label, levelCoder(rows.keys[spec.keys.indexOf(label)] as Iterable<number | string | null>, ref));
  }
  const cells = new Cells(rows, spec, coders);
  const used = new Set<number>();
  for (let r = 0; r < rows.nrow; r++) used.add(cells.at(r).groupKey(g.vars));
  const keys = [...used].sort((a, b) => a - b);
  const index = new Map(keys.map((k, l) => [k, l]));
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
  const levels = keys.map((_, l) => codes(l).map((c, i) => coders.get(g.vars[i])!.levels[c]).join(':'));
  return { levels, index: (c) => index.get(c.groupKey(g.vars))!, codes };
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

/** api/checks.ts numericGroupingMessages for a frame in SQL: a bar over a numeric column with many levels. */
export function numericGroupingMessages(sql: SqlFrame, reTerms: readonly ReTerm[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of reTerms) {
    const v = sql.variables.get(t.group);
    if (seen.has(t.group) || v?.kind !== 'numeric' || !sql.columns.has(t.group)) continue;
    seen.add(t.group);
    const note = manyLevelsNote(t.group, t.levels.length);
    if (note !== null) out.push(note);
  }
  return out;
}
