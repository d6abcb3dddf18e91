/**
 * Contrasts of marginal means (emmeans' contrast() and pairs(), 1.8.4).
 *
 * Within each `by` group the means' link-scale linear functions L (rows x p)
 * are combined by a coefficient matrix C (contrastMethods.ts): each contrast
 * c has the linear function l = C_c' L, estimate l'beta (+ offset sum(C_c)),
 * SE sqrt(l' V l), df df(l) (basis.ts), statistic t = estimate / SE and a
 * p-value adjusted within its group (adjust.ts).
 *
 * Labels as emmeans writes them: a mean's label is its levels of the non-by
 * factors joined by spaces, each prefixed with the factor's name when all its
 * levels read as numbers (`period1`), and put in parentheses when it contains
 * `-`, `+`, `/` or `*`; a difference is `a - b`.
 *
 * On the response scale (type 'response', from the means by default) true
 * contrasts of means on a logit scale become odds ratios and on a log scale
 * ratios: estimate exp(d) (2^d, 10^d), SE exp(d) SE(d), labels `a / b`; the
 * statistic and p-value stay those of the difference. Contrasts on any other
 * transformed scale stay differences on that scale (emmeans' note says so).
 */
import { formatNumber } from '../../data/rnumber.js';
import { MixedModelsError } from '../../errors.js';
import { adjustMessage, adjustedPValues, checkAdjust, effectiveAdjust, type AdjustMethod } from './adjust.js';
import { contrastMatrix, type ContrastMatrix, type ContrastMethod } from './contrastMethods.js';
import { linearEstimates, parseSpecs, type Emmeans } from './emmeans.js';
import type { GridVariable } from './referenceGrid.js';

/**
 * The options of `contrast`: the reference level (`ref`) for treatment-vs-control contrasts, the p-value adjustment and the level.
 */
export interface ContrastOptions {
  /** P-value adjustment; default the method's (tukey for pairwise, dunnettx for trt.vs.ctrl, fdr for eff, none for custom). */
  adjust?: string;
  /** trt.vs.ctrl: the control level, a 1-based index or a label (default 1). */
  ref?: number | string;
  /** 'response' back-transforms ratios (default: the means' type). */
  type?: 'link' | 'response';
  /** Groups to contrast within (default: the means' by). */
  by?: string | readonly string[];
}

/**
 * One contrast of marginal means: its name, the `by` levels, estimate, standard error, df, test statistic and adjusted p-value.
 */
export interface ContrastRow {
  contrast: string;
  /** The group's level of each by variable. */
  levels: Record<string, string | number>;
  estimate: number;
  stdError: number;
  /** Infinity for z tests. */
  df: number;
  statistic: number;
  pValue: number;
}

/** `contrast`'s and `pairs`' result: the rows, the adjustment used and emmeans' notes. */
export interface Contrasts {
  by: string[];
  rows: ContrastRow[];
  /** emmeans' estimate column: `estimate`, `odds.ratio` or `ratio`. */
  estName: string;
  /** `t.ratio` or `z.ratio`. */
  statName: string;
  /** The null value tests refer to on the reported scale (1 for ratios), or null for 0. */
  nullValue: number | null;
  adjust: AdjustMethod;
  /** Number of means per family. */
  famSize: number;
  /** Lines emmeans prints under the table. */
  annotations: string[];
  /** Notes (a changed adjustment). */
  messages: string[];
}

/** emmeans' .is.num: every level reads as a number. */
function readsAsNumber(levels: readonly (string | number)[]): boolean {
  return levels.every((l) => typeof l === 'number' || /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*[-+]?(Inf|inf)\s*$/.test(l));
}

function levelText(v: GridVariable, value: string | number): string {
  const text = typeof value === 'number' ? formatNumber(value) : value;
  return readsAsNumber(v.levels) ? v.name + text : text;
}

function parenthesise(label: string): string {
  return /[-+/*]/.test(label) ? `(${label})` : label;
}

/** Row indices of each by group, groups in order of first appearance. */
function byGroups(emm: Emmeans, by: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  emm.rows.forEach((row, i) => {
    const key = JSON.stringify(by.map((b) => row.levels[b]));
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  return [...groups.values()];
}

/** Rank of the rows of a row-major m x p matrix (Gram-Schmidt with a relative tolerance). */
function rank(rows: Float64Array[]): number {
  const basis: Float64Array[] = [];
  const scale = Math.max(1e-300, ...rows.map((r) => Math.sqrt(r.reduce((s, v) => s + v * v, 0))));
  for (const row of rows) {
    const r = row.slice();
    for (const b of basis) {
      const d = r.reduce((s, v, j) => s + v * b[j], 0);
      for (let j = 0; j < r.length; j++) r[j] -= d * b[j];
    }
    const norm = Math.sqrt(r.reduce((s, v) => s + v * v, 0));
    if (norm > 1e-7 * scale) basis.push(r.map((v) => v / norm));
  }
  return basis.length;
}

function isTrueContrast(C: ContrastMatrix): boolean {
  return C.coefficients.every((c) => Math.abs(c.reduce((s, v) => s + v, 0) / (1e-6 + Math.max(...c.map(Math.abs)))) < 1e-6);
}

/**
 * The contrasts `method` of the means, within each by group (module comment).
 * @example
 * ```ts
 * contrast(emmeans(cake, 'recipe'), 'trt.vs.ctrl', { ref: 'B', adjust: 'holm' });
 * ```
 */
export function contrast(emm: Emmeans, method: ContrastMethod = 'pairwise', options: ContrastOptions = {}): Contrasts {
  const by = options.by === undefined ? emm.by : parseSpecs([], options.by).by;
  const names = emm.variables.map((v) => v.name);
  for (const b of by) if (!names.includes(b)) throw new MixedModelsError(`'${b}' is not one of the means' factors (${names.join(', ')})`);
  const type = options.type ?? emm.type;
  const groups = byGroups(emm, by);
  const primary = emm.variables.filter((v) => !by.includes(v.name));
  const p = emm.basis.p;
  const labelOf = (i: number) => parenthesise(primary.map((v) => levelText(v, emm.rows[i].levels[v.name])).join(' '));
  let C: ContrastMatrix | null = null;
  const rows: ContrastRow[] = [];
  const messages: string[] = [];
  let adjust: AdjustMethod = 'none';
  let rankOfFamily = 0;
  for (const group of groups) {
    const labels = group.map(labelOf);
    C = contrastMatrix(method, labels, options.ref);
    if (C.coefficients.length === 0) {
      // One mean (a numeric --specs variable: its mean at the average) has nothing to contrast: emmeans says "(nothing) nonEst".
      const note = `nothing to contrast: ${group.length} mean${group.length === 1 ? '' : 's'}${by.length > 0 ? ' in a by group' : ''}`;
      if (!messages.includes(note)) messages.push(note);
      continue;
    }
    if (C.coefficients[0].length !== group.length) throw new MixedModelsError('by groups of unequal size are not supported');
    const linfct = new Float64Array(C.names.length * p);
    C.coefficients.forEach((c, k) => {
      group.forEach((row, i) => {
        for (let j = 0; j < p; j++) linfct[k * p + j] += c[i] * emm.linfct[row * p + j];
      });
    });
    const sums = C.coefficients.map((c) => c.reduce((s, v) => s + v, 0));
    const est = linearEstimates(emm.basis, linfct, 0).map((e, k) => ({ ...e, estimate: e.estimate + emm.offset * sums[k] }));
    const requested = checkAdjust(options.adjust ?? C.adjust);
    const family = { t: est.map((e) => e.estimate / e.stdError), df: est.map((e) => e.df), famSize: C.famSize, pairs: C.pairs, rank: 0 };
    family.rank = rankOfFamily = rank(C.names.map((_, k) => linfct.subarray(k * p, (k + 1) * p)));
    const eff = effectiveAdjust(requested, family);
    adjust = eff.method;
    if (eff.note !== null && !messages.includes(eff.note)) messages.push(eff.note);
    const pValues = adjustedPValues(adjust, family);
    if ((adjust === 'tukey' || adjust === 'dunnettx') && family.df.some((d) => d < 2)) {
      const note = `${adjust}-adjusted p-values need df >= 2 (R's ptukey): rows with fewer df have none; adjust by sidak or bonferroni instead`;
      if (!messages.includes(note)) messages.push(note);
    }
    const levels = Object.fromEntries(by.map((b) => [b, emm.rows[group[0]].levels[b]]));
    est.forEach((e, k) => rows.push({ contrast: C!.names[k], levels, ...e, statistic: family.t[k], pValue: pValues[k] }));
  }
  return finish(emm, C!, rows, { by, type, adjust, rankOfFamily, messages });
}

interface Finish {
  by: string[];
  type: 'link' | 'response';
  adjust: AdjustMethod;
  rankOfFamily: number;
  messages: string[];
}

/** Scale, labels and annotations (module comment). */
function finish(emm: Emmeans, C: ContrastMatrix, rows: ContrastRow[], f: Finish): Contrasts {
  const means = emm.scale.means, ratio = isTrueContrast(C) ? emm.scale.ratio : null;
  const annotations: string[] = [];
  if (emm.averagedOver.length > 0) annotations.push(`Results are averaged over the levels of: ${emm.averagedOver.join(', ')}`);
  if (means !== null && ratio === null) annotations.push(`Note: contrasts are still on the ${means.name} scale`);
  if (emm.dfMethod !== null) annotations.push(`Degrees-of-freedom method: ${emm.dfMethod}`);
  const inverse = ratio !== null && f.type === 'response';
  if (ratio !== null && !inverse) annotations.push(`Results are given on the ${ratio.name} (not the response) scale.`);
  const n = C.names.length;
  const adjustLine = adjustMessage(f.adjust, C.famSize, n, f.rankOfFamily);
  if (adjustLine !== null) annotations.push(adjustLine);
  if (inverse) annotations.push(`Tests are performed on the ${ratio.name} scale`);
  const out = inverse
    ? rows.map((r) => ({ ...r, contrast: r.contrast.replaceAll(' - ', ' / '), estimate: ratio.linkinv(r.estimate), stdError: Math.abs(ratio.muEta(r.estimate) * r.stdError) }))
    : rows;
  const z = rows.every((r) => !Number.isFinite(r.df));
  return {
    by: f.by,
    rows: out,
    estName: inverse ? ratio.label : 'estimate',
    statName: z ? 'z.ratio' : 't.ratio',
    nullValue: inverse ? ratio.linkinv(0) : null,
    adjust: f.adjust,
    famSize: C.famSize,
    annotations,
    messages: f.messages,
  };
}

/**
 * Pairwise differences of the means (emmeans' pairs(); `reverse` gives revpairwise).
 * @example
 * ```ts
 * pairs(emmeans(cake, 'recipe')).rows; // Tukey-adjusted pairwise differences
 * ```
 */
export function pairs(emm: Emmeans, options: ContrastOptions & { reverse?: boolean } = {}): Contrasts {
  const { reverse, ...rest } = options;
  return contrast(emm, reverse ? 'revpairwise' : 'pairwise', rest);
}
