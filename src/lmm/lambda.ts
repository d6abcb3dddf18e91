import type { FactorBlock } from './factorBlocks.js';

/**
 * theta <-> Lambda. Lambda is block-diagonal: for factor block j the same
 * k_j x k_j lower-triangular block T_j for every level. Each lme4 term owns a
 * lower triangle inside T_j (at its column offset), filled column-wise from
 * theta in lme4's order: for a k = 2 term theta = [T11, T21, T22]. Elements
 * outside the terms' triangles are structural zeros.
 *
 * `index[j][r + c*k]` is the theta index of T_j[r, c], or -1 for a structural zero.
 */
export interface LambdaMap {
  ntheta: number;
  /** lme4's start: 1 on the diagonal, 0 below. */
  theta0: Float64Array;
  /** 0 for diagonal elements, -Infinity otherwise. */
  lower: Float64Array;
  upper: Float64Array;
  /** Per factor block, k*k theta indices (column-major), -1 for zeros. */
  index: Int32Array[];
  /** Per lme4 term (frame.reTerms order): its first theta index. */
  termStart: Int32Array;
  /** Per theta element: the factor block, row and column in T it fills. */
  where: { block: number; row: number; col: number }[];
}

/** The theta layout for the given factor blocks; `nterms` is frame.reTerms.length. */
export function lambdaMap(blocks: readonly FactorBlock[], nterms: number): LambdaMap {
  const slots = blocks.flatMap((b, j) => b.terms.map((t) => ({ ...t, block: j }))).sort((a, b) => a.term - b.term);
  if (slots.length !== nterms) throw new Error('lambdaMap: terms and blocks disagree');
  const index = blocks.map((b) => new Int32Array(b.k * b.k).fill(-1));
  const termStart = new Int32Array(nterms);
  const where: LambdaMap['where'] = [];
  const theta0: number[] = [];
  const lower: number[] = [];
  for (const s of slots) {
    termStart[s.term] = where.length;
    const k = blocks[s.block].k;
    for (let c = 0; c < s.k; c++) {
      for (let r = c; r < s.k; r++) {
        const row = s.offset + r, col = s.offset + c;
        index[s.block][row + col * k] = where.length;
        where.push({ block: s.block, row, col });
        theta0.push(r === c ? 1 : 0);
        lower.push(r === c ? 0 : -Infinity);
      }
    }
  }
  const ntheta = where.length;
  return {
    ntheta,
    theta0: Float64Array.from(theta0),
    lower: Float64Array.from(lower),
    upper: new Float64Array(ntheta).fill(Infinity),
    index,
    termStart,
    where,
  };
}

/** Allocates the T_j blocks (k_j x k_j, column-major, zero). */
export function allocateLambda(blocks: readonly FactorBlock[]): Float64Array[] {
  return blocks.map((b) => new Float64Array(b.k * b.k));
}

/** Writes theta into the T_j blocks (structural zeros stay 0). No allocation. */
export function setLambda(map: LambdaMap, theta: ArrayLike<number>, out: Float64Array[]): void {
  for (let j = 0; j < out.length; j++) {
    const idx = map.index[j];
    const t = out[j];
    for (let e = 0; e < idx.length; e++) t[e] = idx[e] >= 0 ? theta[idx[e]] : 0;
  }
}
