import type { ReTerm } from '../frame/types.js';

/**
 * Random-effects terms grouped by grouping factor: lme4 keeps one term per
 * bar, MixedModels.jl one block per grouping factor. Terms on the same factor
 * (`(1 | g) + (0 + x | g)`, or `(x || g)` after expansion) share one block of
 * k = sum of their column counts, so the first block never fills in; their
 * Lambda block is block-diagonal with the terms' own triangles (lambda.ts).
 *
 * Blocks keep the order of their first term, i.e. lme4's order (levels decreasing).
 */
export interface FactorBlock {
  /** Grouping factor name (`Subject`, `cask:batch`). */
  group: string;
  levels: readonly string[];
  /** Number of levels. */
  nl: number;
  /** Random effects per level (columns of the merged per-row matrix). */
  k: number;
  /** Level index per row (shared with the first term). */
  refs: Int32Array;
  /** Row-major nobs x k per-row values: the terms' z side by side (the term's own z when the block has one term; never written). */
  z: Float64Array;
  /** The terms in this block, in lme4's order. */
  terms: TermSlot[];
}

/** One lme4 term inside a factor block. */
export interface TermSlot {
  /** Index of the term in `frame.reTerms` (lme4's order). */
  term: number;
  /** First column of the term within the block's k columns. */
  offset: number;
  k: number;
  cnames: readonly string[];
  /** Display name, e.g. `(1 | Batch)`, `(1 + Days | Subject)`, `(0 + Days | Subject)`. */
  name: string;
}

/** lme4-style text of one random-effects term, rebuilt from its column names. */
export function termName(term: ReTerm): string {
  const hasIntercept = term.cnames[0] === '(Intercept)';
  const others = term.cnames.filter((c) => c !== '(Intercept)');
  const lhs = hasIntercept ? ['1', ...others].join(' + ') : ['0', ...others].join(' + ');
  return `(${lhs} | ${term.group})`;
}

function sameFactor(a: ReTerm, b: ReTerm): boolean {
  if (a.group !== b.group || a.levels.length !== b.levels.length || a.refs.length !== b.refs.length) return false;
  for (let i = 0; i < a.refs.length; i++) if (a.refs[i] !== b.refs[i]) return false;
  return true;
}

/** Groups `reTerms` (lme4's order) into factor blocks; see FactorBlock. */
export function factorBlocks(reTerms: readonly ReTerm[], nobs: number): FactorBlock[] {
  const groups: number[][] = [];
  reTerms.forEach((t, i) => {
    const g = groups.find((idx) => sameFactor(reTerms[idx[0]], t));
    if (g) g.push(i);
    else groups.push([i]);
  });
  return groups.map((idx) => {
    const first = reTerms[idx[0]];
    const k = idx.reduce((s, i) => s + reTerms[i].k, 0);
    // A block of one term is that term's z, shared (a copy of a 1e6-row z is 8 MB per column).
    const z = idx.length === 1 ? first.z : new Float64Array(nobs * k);
    const terms: TermSlot[] = [];
    let offset = 0;
    for (const i of idx) {
      const t = reTerms[i];
      if (idx.length > 1) for (let r = 0; r < nobs; r++) for (let c = 0; c < t.k; c++) z[r * k + offset + c] = t.z[r * t.k + c];
      terms.push({ term: i, offset, k: t.k, cnames: t.cnames, name: termName(t) });
      offset += t.k;
    }
    return { group: first.group, levels: first.levels, nl: first.levels.length, k, refs: first.refs, z, terms };
  });
}
