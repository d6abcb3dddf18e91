/**
 * Several models side by side, as sjPlot's tab_model: per model its fixed
 * effects (estimate, confidence interval, p-value; rows matched by term
 * name), then its random-effects variances, ICC, numbers of groups and
 * observations, and R^2.
 *
 * The parts, per model, with sjPlot's labels:
 * - sigma^2: the residual variance (LMMs, and GLMMs with a scale);
 * - tau00 <group>: a random intercept's variance; tau11 <group>.<column>: a
 *   random slope's variance; rho01 <group>: the correlation of an intercept
 *   with the one slope of its term (rho <group>.<a>.<b> for any other pair);
 * - ICC: sigma2_RE / (sigma2_RE + sigma2_e) (glance.ts);
 * - N <factor>: levels of each grouping factor; Observations;
 * - Marginal and Conditional R^2 (Nakagawa), or R^2 and adjusted R^2 for lm.
 *
 * Intervals as tidy(confInt: true) (fixed.ts: t with the df when the model has
 * them, else normal). `exponentiate` shows exp(estimate) and exp(interval),
 * sjPlot's odds ratios (logit) and incidence rate ratios (log), for models
 * with a log or logit link only.
 */
import * as v from 'valibot';
import { checkModel, checkOptions, level, must } from '../api/arguments.js';
import type { FittedModel, MixedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { fixedRows } from './fixed.js';
import { r2OrNull, varianceSummary } from './glance.js';
import { hasResidual } from './ranPars.js';

/** Options of `table` (sjPlot's tab_model): labels, interval level, exponentiated estimates. */
export interface ModelTableOptions {
  /** Column labels, one per model (default: each model's response). */
  labels?: readonly string[];
  /** Interval coverage (default 0.95). */
  level?: number;
  /** Show exp(estimate) for log and logit links (default false). */
  exponentiate?: boolean;
}

/** One model's estimate of a fixed effect with its interval and p-value (null where not defined). */
export interface ModelTableCell {
  estimate: number;
  low: number | null;
  high: number | null;
  p: number | null;
}

/** A row of the random-effects and model-statistics part of `table`: variances, ICC, R^2, N, groups. */
export interface ModelTableRow {
  label: string;
  /** One per model: a number, null where it does not apply. */
  values: (number | null)[];
  /** 'count' rows are whole numbers; 'ratio' rows (ICC, R^2) show 3 decimals; 'variance' rows 2. */
  kind: 'variance' | 'ratio' | 'count';
}

/** Several models side by side, as `table` returns it; format it with `formatModelTable`. */
export interface ModelTable {
  level: number;
  exponentiate: boolean;
  models: { label: string; kind: FittedModel['kind']; formula: string; link: string }[];
  /** The estimates' column heading: Estimates, Odds Ratios or Incidence Rate Ratios. */
  estimateLabel: string;
  fixed: { term: string; cells: (ModelTableCell | null)[] }[];
  random: ModelTableRow[];
  summary: ModelTableRow[];
}

const optionsSchema = v.strictObject({
  labels: v.optional(v.array(v.string(must.string), 'must be an array of strings')),
  level: v.optional(level),
  exponentiate: v.optional(v.boolean(must.boolean)),
} satisfies { [K in keyof Required<ModelTableOptions>]: v.GenericSchema<unknown, unknown> }, must.object);

function linkOf(m: FittedModel): string {
  return m.kind === 'glm' || m.kind === 'glmm' ? m.fit.link : 'identity';
}

function cellsOf(m: FittedModel, level: number, exp: boolean): Map<string, ModelTableCell> {
  const t = (x: number | null) => (x === null ? null : exp ? Math.exp(x) : x);
  const out = new Map<string, ModelTableCell>();
  for (const r of fixedRows(m, true, level)) {
    if (r.estimate === null) continue;
    out.set(r.term as string, { estimate: t(r.estimate as number)!, low: t(r['conf.low'] as number | null), high: t(r['conf.high'] as number | null), p: r['p.value'] as number | null });
  }
  return out;
}

/** The random-effects rows of one model: label -> value. */
function randomParts(m: MixedModel): Map<string, number> {
  const out = new Map<string, number>();
  const vc = m.fit.varCorr;
  if (hasResidual(m)) out.set('σ²', vc.residualSd ** 2);
  for (const t of vc.terms) {
    const k = t.cnames.length;
    t.cnames.forEach((c, i) => out.set(c === '(Intercept)' ? `τ00 ${t.group}` : `τ11 ${t.group}.${c}`, t.cov[i * (k + 1)]));
    for (let i = 0; i < k; i++) {
      for (let j = i + 1; j < k; j++) {
        const label = k === 2 && t.cnames[0] === '(Intercept)' ? `ρ01 ${t.group}` : `ρ ${t.group}.${t.cnames[i]}.${t.cnames[j]}`;
        out.set(label, t.corr[j + i * k]);
      }
    }
  }
  return out;
}

function summaryParts(m: FittedModel): Map<string, { value: number | null; kind: ModelTableRow['kind'] }> {
  const out = new Map<string, { value: number | null; kind: ModelTableRow['kind'] }>();
  if (m.kind === 'lmm' || m.kind === 'glmm') {
    const s = varianceSummary(r2OrNull(m));
    out.set('ICC', { value: s.icc, kind: 'ratio' });
    for (const [g, n] of Object.entries(m.fit.ngrps)) out.set(`N ${g}`, { value: n, kind: 'count' });
    out.set('Observations', { value: m.fit.nobs, kind: 'count' });
    out.set('Marginal R²', { value: s['r2.marginal'], kind: 'ratio' });
    out.set('Conditional R²', { value: s['r2.conditional'], kind: 'ratio' });
  } else {
    out.set('Observations', { value: m.fit.nobs, kind: 'count' });
    if (m.kind === 'lm') {
      out.set('R²', { value: m.fit.rSquared, kind: 'ratio' });
      out.set('R² adjusted', { value: m.fit.adjRSquared, kind: 'ratio' });
    }
  }
  return out;
}

/** Summary rows in sjPlot's order whatever the models: ICC, numbers of groups, observations, R^2. */
function summaryRank(label: string): number {
  return label === 'ICC' ? 0 : label.startsWith('N ') ? 1 : label === 'Observations' ? 2 : 3;
}

/** Labels in first-seen order across the models. */
function union(keys: Iterable<string>[]): string[] {
  const seen = new Set<string>();
  for (const ks of keys) for (const k of ks) seen.add(k);
  return [...seen];
}

function estimateLabel(models: readonly FittedModel[], exp: boolean): string {
  if (!exp) return 'Estimates';
  const links = new Set(models.map(linkOf));
  for (const l of links) if (l !== 'log' && l !== 'logit') throw new MixedModelsError(`table(): exponentiate needs models with a log or logit link, and one has the ${l} link`);
  return links.size === 1 && links.has('logit') ? 'Odds Ratios' : links.size === 1 ? 'Incidence Rate Ratios' : 'exp(Estimates)';
}

/** The models side by side (see the module comment). */
export function table(models: readonly FittedModel[], options: ModelTableOptions = {}): ModelTable {
  if (!Array.isArray(models) || models.length === 0) throw new MixedModelsError('table() needs a non-empty array of fitted models');
  models.forEach((m) => checkModel('table', m));
  const o = checkOptions('table', optionsSchema, options, Object.keys(optionsSchema.entries));
  if (o.labels !== undefined && o.labels.length !== models.length) throw new MixedModelsError(`table(): ${o.labels.length} labels for ${models.length} models: give one per model`);
  const lvl = o.level ?? 0.95;
  const exp = o.exponentiate ?? false;
  const estimates = estimateLabel(models, exp);
  const cells = models.map((m) => cellsOf(m, lvl, exp));
  const random = models.map((m) => (m.kind === 'lmm' || m.kind === 'glmm' ? randomParts(m) : new Map<string, number>()));
  const summary = models.map(summaryParts);
  return {
    level: lvl,
    exponentiate: exp,
    estimateLabel: estimates,
    models: models.map((m, i) => ({ label: o.labels?.[i] ?? m.frame.responseName, kind: m.kind, formula: m.formula, link: linkOf(m) })),
    fixed: union(cells.map((c) => c.keys())).map((term) => ({ term, cells: cells.map((c) => c.get(term) ?? null) })),
    random: union(random.map((r) => r.keys())).map((label) => ({ label, kind: label.startsWith('ρ') ? 'ratio' : 'variance', values: random.map((r) => r.get(label) ?? null) })),
    summary: union(summary.map((s) => s.keys())).sort((a, b) => summaryRank(a) - summaryRank(b)).map((label) => {
      const parts = summary.map((s) => s.get(label));
      return { label, kind: parts.find((p) => p !== undefined)!.kind, values: parts.map((p) => p?.value ?? null) };
    }),
  };
}
