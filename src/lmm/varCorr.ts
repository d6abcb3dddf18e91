import type { FactorBlock } from './factorBlocks.js';

/**
 * Variance components per lme4 term: Sigma_j = sigma^2 T_j T_j' for factor
 * block j; a term's components are its k_t x k_t sub-block (at its offset),
 * reported as standard deviations and correlations (lme4's VarCorr).
 */
export interface VarCorrTerm {
  /** lme4's VarCorr group name: the factor name, made unique with `.1`, `.2` (R's make.unique). */
  group: string;
  /** The grouping factor itself. */
  factor: string;
  /** lme4-style term text, e.g. `(1 + Days | Subject)`. */
  term: string;
  cnames: readonly string[];
  /** Standard deviations, one per column. */
  sd: Float64Array;
  /** k x k correlation matrix, column-major (1 on the diagonal; NaN where an sd is 0). */
  corr: Float64Array;
  /** k x k covariance matrix, column-major. */
  cov: Float64Array;
}

/**
 * The variance components (lme4's `VarCorr`): per random-effects term its standard deviations and correlations, and the residual standard deviation.
 */
export interface VarCorr {
  terms: VarCorrTerm[];
  /** Residual standard deviation sigma. */
  residualSd: number;
}

function makeUnique(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const c = seen.get(n);
    seen.set(n, (c ?? 0) + 1);
    return c === undefined ? n : `${n}.${c}`;
  });
}

/** VarCorr in lme4's term order from the factor blocks and their Lambda blocks. */
export function varCorr(factors: readonly FactorBlock[], lambda: Float64Array[], sigma: number): VarCorr {
  const slots = factors.flatMap((f, j) => f.terms.map((t) => ({ t, j }))).sort((a, b) => a.t.term - b.t.term);
  const groups = makeUnique(slots.map((s) => factors[s.j].group));
  const terms = slots.map(({ t, j }, idx): VarCorrTerm => {
    const K = factors[j].k, T = lambda[j], k = t.k, o = t.offset;
    const cov = new Float64Array(k * k);
    for (let s = 0; s < k; s++) {
      for (let r = 0; r < k; r++) {
        let acc = 0;
        for (let c = 0; c < K; c++) acc += T[o + r + c * K] * T[o + s + c * K];
        cov[r + s * k] = sigma * sigma * acc;
      }
    }
    const sd = Float64Array.from({ length: k }, (_, r) => Math.sqrt(cov[r * (k + 1)]));
    const corr = new Float64Array(k * k);
    for (let s = 0; s < k; s++) for (let r = 0; r < k; r++) corr[r + s * k] = r === s ? 1 : cov[r + s * k] / (sd[r] * sd[s]);
    return { group: groups[idx], factor: factors[j].group, term: t.name, cnames: t.cnames, sd, corr, cov };
  });
  return { terms, residualSd: sigma };
}
