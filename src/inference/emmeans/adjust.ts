/**
 * Multiplicity-adjusted p-values of a family of t (or z) tests, as emmeans'
 * .adj.p.value (two-sided tests, emmeans 1.8.4). With t_i the statistics,
 * nu_i their df, p_i = 2 P(T_nu > |t_i|), n the number of tests in the family
 * and k the number of means compared:
 *
 *   tukey      P(Q_{k, nu} > sqrt(2) |t|), nu rounded as R's zapsmall
 *              (only for one set of pairwise comparisons; else sidak)
 *   sidak      1 - (1 - p)^n
 *   bonferroni, holm, hochberg, BH (fdr), BY: R's p.adjust with n tests
 *   scheffe    P(F_{r, nu} > t^2 / r), r the rank of the family's contrasts
 *   dunnettx   emmeans' approximation of Dunnett's test: with w = (n - 1)/n,
 *              1 - [w P(Q_{k', nu} <= sqrt(2)|t|) + (1 - w) P(F_{1,nu} <= t^2)^n],
 *              k' = (1 + sqrt(1 + 8n)) / 2
 *   none       p
 *
 * A family of one test is not adjusted (except scheffe). As in R, tail
 * probabilities are 1 minus lower ones where R computes them so (ptukey.ts),
 * so that tiny p-values agree with R's.
 */
import { MixedModelsError } from '../../errors.js';
import { pchisqUpper, pfUpper, ptTwoSided } from '../../distributions/index.js';
import { ptukey } from '../../distributions/ptukey.js';

export const ADJUST_METHODS = ['tukey', 'sidak', 'bonferroni', 'holm', 'hochberg', 'BH', 'fdr', 'BY', 'scheffe', 'dunnettx', 'none'] as const;
export type AdjustMethod = (typeof ADJUST_METHODS)[number];

export interface Family {
  /** Statistics and df of the family's tests. */
  t: readonly number[];
  df: readonly number[];
  /** Number of means compared (Tukey). */
  famSize: number;
  /** One set of pairwise comparisons. */
  pairs: boolean;
  /** Rank of the family's contrasts (Scheffe). */
  rank: number;
}

export function checkAdjust(method: string): AdjustMethod {
  const found = ADJUST_METHODS.find((m) => m.toLowerCase() === method.toLowerCase());
  if (found === undefined) throw new MixedModelsError(`unknown p-value adjustment '${method}'; use one of ${ADJUST_METHODS.join(', ')}`);
  return found;
}

/**
 * R's zapsmall(x, digits) (R 4.2): rounded to digits - log10(max |x|)
 * decimals, that number itself rounded, and no fewer than 0 (so to whole
 * numbers when some x is infinite).
 */
export function zapsmall(x: readonly number[], digits = 7): number[] {
  const present = x.map(Math.abs).filter((v) => !Number.isNaN(v));
  if (present.length === 0) return [...x];
  const mx = Math.max(...present);
  const d = mx > 0 ? Math.max(0, digits - Math.log10(mx)) : digits;
  const scale = 10 ** Math.floor(d + 0.5);
  return x.map((v) => (Number.isFinite(v) ? Math.round(v * scale) / scale + 0 : v));
}

/** 1 - (1 - p)^n without cancellation. */
function sidak(p: number, n: number): number {
  return -Math.expm1(n * Math.log1p(-p));
}

/** R's p.adjust for the methods based on ordered p-values. */
function pAdjust(p: readonly number[], method: 'bonferroni' | 'holm' | 'hochberg' | 'BH' | 'BY'): number[] {
  const n = p.length;
  if (method === 'bonferroni') return p.map((v) => Math.min(1, n * v));
  const out = new Array<number>(n);
  if (method === 'holm') {
    const order = p.map((_, i) => i).sort((a, b) => p[a] - p[b]);
    let running = 0;
    order.forEach((i, r) => {
      running = Math.max(running, (n - r) * p[i]);
      out[i] = Math.min(1, running);
    });
    return out;
  }
  const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
  const q = method === 'BY' ? Array.from({ length: n }, (_, i) => 1 / (i + 1)).reduce((s, v) => s + v, 0) : 1;
  let running = Infinity;
  order.forEach((i, r) => {
    const rank = n - r;
    const factor = method === 'hochberg' ? n + 1 - rank : (q * n) / rank;
    running = Math.min(running, factor * p[i]);
    out[i] = Math.min(1, running);
  });
  return out;
}

/** emmeans' 1 - .pdunnx(|t|, n, df), computed as R does. */
function dunnettx(t: number, n: number, df: number): number {
  const w = (n - 1) / n;
  const tukey = ptukey(Math.SQRT2 * Math.abs(t), (1 + Math.sqrt(1 + 8 * n)) / 2, df);
  const f = 1 - (df === Infinity ? pchisqUpper(t * t, 1) : pfUpper(t * t, 1, df));
  return 1 - (w * tukey + (1 - w) * Math.pow(f, n));
}

/** The method actually used: one test is not adjusted; Tukey only fits pairwise families. */
export function effectiveAdjust(method: AdjustMethod, family: Pick<Family, 't' | 'pairs'>): { method: AdjustMethod; note: string | null } {
  if (family.t.length === 1 && method !== 'scheffe') return { method: 'none', note: null };
  if (method === 'tukey' && !family.pairs) {
    return { method: 'sidak', note: 'Note: adjust = "tukey" was changed to "sidak" because "tukey" is only appropriate for one set of pairwise comparisons' };
  }
  return { method, note: null };
}

/** Adjusted two-sided p-values of one family (module comment); `method` as effectiveAdjust returns it. */
export function adjustedPValues(method: AdjustMethod, family: Family): number[] {
  const { t, df } = family;
  const n = t.length;
  const raw = t.map((v, i) => ptTwoSided(v, df[i]));
  switch (method) {
    case 'none':
      return raw;
    case 'sidak':
      return raw.map((p) => sidak(p, n));
    case 'tukey': {
      const nu = zapsmall(df);
      return t.map((v, i) => ptukey(Math.SQRT2 * Math.abs(v), family.famSize, nu[i], false));
    }
    case 'scheffe':
      return t.map((v, i) => pfUpper((v * v) / family.rank, family.rank, df[i]));
    case 'dunnettx':
      return t.map((v, i) => dunnettx(v, n, df[i]));
    case 'fdr':
      return pAdjust(raw, 'BH');
    default:
      return pAdjust(raw, method);
  }
}

/** emmeans' "P value adjustment: ..." line, or null when it prints none. */
export function adjustMessage(method: AdjustMethod, famSize: number, n: number, rank: number): string | null {
  if (method === 'none') return null;
  if ((method === 'tukey' || method === 'scheffe') && famSize < 3) return null;
  const extra = method === 'tukey' ? `for comparing a family of ${famSize} estimates` : method === 'scheffe' ? `with rank ${rank}` : `for ${n} tests`;
  return `P value adjustment: ${method} method ${extra}`;
}
