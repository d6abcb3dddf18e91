/**
 * A GLMM fitted where the data live:
 *
 * - `pirls`: one scalar random-effects term on a single grouping column,
 *   binomial/logit or Poisson/log, the Laplace criterion, on data too large to
 *   collapse (more than LME4_EMULATION_ROWS rows, and a first sample of rows
 *   that does not shrink when collapsed): PIRLS runs in the engine, one
 *   aggregate query per iteration (enginePirls.ts);
 * - `collapsed`: otherwise, for binomial and Poisson without prior weights
 *   (and without scale() or poly(), whose values depend on the other rows):
 *   identical rows counted in the engine (collapse.ts), then the in-memory
 *   fit on the counted rows, with the choices the in-memory fit makes for the
 *   full data (lme4's Laplace criterion up to LME4_EMULATION_ROWS fitted rows);
 * - other families and weighted fits read the model's columns (PushdownUnsupported).
 *
 * Either way the frame has no rows: nobs and BIC count the rows of the data,
 * fitted values and residuals stay in the engine.
 */
import type { GeneralizedLinearMixedModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { deparse } from '../../formula/deparse.js';
import { walk } from '../../formula/walk.js';
import { modelFrame } from '../../frame/modelFrame.js';
import type { ModelFrame } from '../../frame/types.js';
import { columnsOf, modelVariables } from '../../frame/variables.js';
import { fitGlmm, LME4_EMULATION_ROWS } from '../../glmm/glmer.js';
import { AGGREGATE_RATIO } from '../../glmm/aggregate.js';
import type { GlmmFit } from '../../glmm/types.js';
import { numericGroupingMessages } from '../frame/groupLevels.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import { PushdownUnsupported } from '../frame/unsupported.js';
import { emptyTable, type SourceModelOptions } from '../lmm/lmerSource.js';
import { collapsedRows } from './collapse.js';

/** Whether a formula uses a transform whose value depends on the other rows. */
function usesRowDependent(sql: SqlFrame): string | null {
  let found: string | null = null;
  for (const node of modelVariables(sql.formula).values()) {
    walk(node, (n) => {
      if (n.kind === 'call' && (n.fn === 'scale' || n.fn === 'poly')) found ??= deparse(n);
      return found === null;
    });
  }
  return found;
}

/** Columns the model uses, and those only the response uses. */
function modelColumns(sql: SqlFrame): { all: string[]; responseOnly: string[] } {
  const vars = modelVariables(sql.formula);
  const label = deparse(sql.formula.response!);
  const other = new Set<string>();
  for (const [k, node] of vars) if (k !== label) columnsOf(node).forEach((c) => other.add(c));
  const resp = columnsOf(vars.get(label)!);
  const all = [...new Set([...resp, ...other])].filter((c) => sql.columns.has(c));
  return { all, responseOnly: resp.filter((c) => !other.has(c)) };
}

/** Distinct rows of the collapsed table without the response-only columns (the in-memory fit's aggregated rows). */
function covariatePatterns(table: import('../../data/types.js').DataTable, skip: readonly string[]): number {
  const cols = table.names.filter((n) => !skip.includes(n)).map((n) => table.columns.get(n)!);
  const seen = new Set<string>();
  for (let r = 0; r < table.nrow; r++) seen.add(JSON.stringify(cols.map((c) => c.values[r])));
  return seen.size;
}

/** The frame without rows: sums over the counted rows stand in for them. */
function rowlessFrame(frame: ModelFrame, counts: Float64Array, nobs: number, dropped: number): ModelFrame {
  const n = frame.nobs, p = frame.p, X = frame.X;
  const xtx = new Float64Array(p * p), xsum = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    for (let i = 0; i < n; i++) xsum[a] += counts[i] * X[i + a * n];
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += counts[i] * X[i + a * n] * X[i + b * n];
      xtx[a + b * p] = xtx[b + a * p] = s;
    }
  }
  const ztz = frame.reTerms.map((t) => {
    const k = t.k, m = new Float64Array(k * k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) for (let r = 0; r < k; r++) m[r + c * k] += counts[i] * t.z[i * k + r] * t.z[i * k + c];
    return m;
  });
  const messages = frame.messages.filter((m) => !m.startsWith('dropped ') || m.startsWith('dropped aliased'));
  if (dropped > 0) messages.unshift(`dropped ${dropped} row${dropped === 1 ? '' : 's'} with missing values`);
  return {
    ...frame,
    nobs,
    nDropped: dropped,
    rows: new Int32Array(0),
    y: new Float64Array(0),
    trials: null,
    weights: null,
    offset: null,
    X: new Float64Array(0),
    reTerms: frame.reTerms.map((t) => ({ ...t, refs: new Int32Array(0), z: new Float64Array(0) })),
    messages,
    moments: { xtx, xsum, ztz },
  };
}

/** The fit on counted rows as a fit on the data's rows: nobs and BIC count them; per-row values stay in the engine. */
function onDataRows(fit: GlmmFit, nobs: number, fitted: number, note: string): GlmmFit {
  const minus2 = fit.AIC - 2 * fit.npar;
  return {
    ...fit,
    nobs,
    BIC: minus2 + fit.npar * Math.log(nobs),
    fitted: new Float64Array(0),
    linearPredictor: new Float64Array(0),
    residuals: new Float64Array(0),
    nrowsFitted: fitted,
    messages: [note, ...fit.messages.filter((m) => !m.startsWith('collapsed '))],
  };
}

async function collapsedFit(sql: SqlFrame, formula: string, options: SourceModelOptions): Promise<GeneralizedLinearMixedModel> {
  const family = options.family!;
  if (family !== 'binomial' && family !== 'poisson') throw new PushdownUnsupported(`family = ${family}`, 'only binomial and Poisson rows can be counted without changing the likelihood');
  if (options.weights !== undefined) throw new PushdownUnsupported(`weights = ${String(options.weights)}`, 'prior weights and counts of identical rows do not combine for every binomial response');
  const rowDependent = usesRowDependent(sql);
  if (rowDependent !== null) throw new PushdownUnsupported(rowDependent, 'its values depend on every row, so identical rows cannot be counted');
  const { all, responseOnly } = modelColumns(sql);
  const c = await collapsedRows(sql, all);
  if (c.nobs === 0) throw new MixedModelsError(c.dropped === 0 ? 'the data have no rows' : `no rows left: each of the ${c.dropped} rows has a missing value in ${[...sql.variables.keys()].join(', ')}`);
  const frame = modelFrame(sql.formula, c.table, { factors: options.factors, weights: c.counts, contrasts: options.contrasts, reference: options.reference, family });
  const cells = covariatePatterns(c.table, responseOnly);
  const fitted = cells <= AGGREGATE_RATIO * c.nobs ? cells : c.nobs;
  const laplace = fitted <= LME4_EMULATION_ROWS ? 'lme4' : 'exact';
  const fit = fitGlmm(frame, { family, link: options.link, nAGQ: options.nAGQ, laplace });
  const note = `counted ${c.nobs} rows as ${c.table.nrow} distinct rows in the database (identical rows weighted by their number; the likelihood is unchanged)`;
  const rowless = rowlessFrame(frame, c.counts, c.nobs, c.dropped);
  const grouping = numericGroupingMessages(sql, frame.reTerms);
  const withRows = onDataRows(fit, c.nobs, fitted, note);
  return {
    kind: 'glmm',
    formula,
    frame: rowless,
    data: emptyTable(sql),
    options,
    fit: grouping.length ? { ...withRows, messages: [...grouping, ...withRows.messages] } : withRows,
  };
}

export async function glmerFromSource(sql: SqlFrame, formula: string, options: SourceModelOptions): Promise<{ model: GeneralizedLinearMixedModel; pushdown: string }> {
  return { model: await collapsedFit(sql, formula, options), pushdown: 'collapsed' };
}
