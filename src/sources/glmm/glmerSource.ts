/**
 * A GLMM fitted where the data live:
 *
 * - `pirls`: one scalar random-effects term on a single grouping column,
 *   binomial/logit or Poisson/log, the Laplace criterion, on data too large to
 *   collapse (more than ENGINE_ROWS rows, or with pushdown `on` more than
 *   LME4_EMULATION_ROWS, and a first sample of rows that does not shrink when
 *   collapsed): PIRLS runs in the engine, one aggregate query per iteration
 *   (enginePirls.ts). Below ENGINE_ROWS reading the counted rows is cheaper
 *   than the dozens of passes, and gives the same fit;
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
import type { DataTable } from '../../data/types.js';
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
import { makeFamily } from '../../glm/family.js';
import { glmmResponse } from '../../glmm/response.js';
import { designSpec } from '../frame/designSpec.js';
import { lmmSums } from '../lmm/lmmSums.js';
import { collapsedRows } from './collapse.js';
import { engineModel, type EngineModel } from './engineModel.js';
import { engineLaplaceFit } from './glmerEngine.js';

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
function covariatePatterns(table: DataTable, skip: readonly string[]): number {
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
  // Up to LME4_EMULATION_ROWS fitted rows fitGlmm chooses as in memory (its rows here are at most the fitted ones).
  const laplace = fitted <= LME4_EMULATION_ROWS ? undefined : 'exact';
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

/** From this many rows on, PIRLS runs in the engine under pushdown `auto`. */
export const ENGINE_ROWS = 1_000_000;

/** Rows of the first sample the in-memory fit probes (glmm/aggregate.ts PROBE). */
const PROBE = 20000;

/** The family, when PIRLS can run in the engine for this model (the module comment), else null. */
function engineFamily(sql: SqlFrame, options: SourceModelOptions): 'binomial' | 'poisson' | null {
  const family = options.family, link = options.link;
  const canonical = (family === 'binomial' && (link ?? 'logit') === 'logit') || (family === 'poisson' && (link ?? 'log') === 'log');
  if (!canonical || (options.nAGQ ?? 1) !== 1 || options.weights !== undefined) return null;
  const random = sql.formula.random;
  if (random.length !== 1 || random[0].group.length !== 1) return null;
  const lhs = designSpec(random[0].lhs, sql.variables, new Map());
  if (lhs.columns.length !== 1 || lhs.columns[0].factors.length > 0) return null;
  const group = sql.variables.get(deparse(random[0].group[0]))!;
  const column = group.kind === 'categorical' ? group.column : group.label;
  if (!sql.columns.has(column)) return null;
  const response = sql.variables.get(deparse(sql.formula.response!))!;
  return response.kind === 'categorical' ? null : (family as 'binomial' | 'poisson');
}

/** Distinct covariate patterns over rows in a first sample of the relation (the in-memory fit's probe). */
async function probeRatio(sql: SqlFrame): Promise<number> {
  const label = deparse(sql.formula.response!);
  const keys = [...sql.alias].filter(([k]) => k !== label).flatMap(([, a]) => a);
  const sample = `(SELECT * FROM ${sql.source.relation} LIMIT ${PROBE}) AS mm_sample`;
  const groups = `SELECT count(*) AS mm__n FROM (${sql.select([], sample)}) AS d WHERE ${sql.complete} GROUP BY ${keys.join(', ')}`;
  const res = await sql.source.query(`SELECT count(*) AS mm__g, sum(mm__n) AS mm__r FROM (${groups}) AS c`, { scans: PROBE });
  const g = (res.columns[0] as Float64Array)[0], r = (res.columns[1] as Float64Array)[0];
  return r > 0 ? g / r : 1;
}

/** -2 log p(y | mu = y) over the rows and the response's validity, from the distinct (y, trials) with their counts. */
async function responseConstant(m: EngineModel, family: 'binomial' | 'poisson', cbind: boolean, name: string): Promise<number> {
  const res = await m.sql.source.query(`SELECT mm__y, mm__pw, count(*) AS mm__n FROM (${m.rowsSql}) AS r GROUP BY mm__y, mm__pw`, { scans: m.total });
  const [y, pw, n] = res.columns as Float64Array[];
  const none = new Float64Array(0);
  const frame: ModelFrame = {
    formula: m.sql.formula, nobs: res.nrow, rows: new Int32Array(0), nDropped: 0, responseName: name, y, trials: cbind ? pw : null, responseLevels: null,
    weights: n, offset: null, X: none, p: 0, colnames: [], assign: new Int32Array(0), aliased: [], reTerms: [], messages: [],
  };
  return glmmResponse(frame, makeFamily(family)).aicConstant;
}

async function engineFit(sql: SqlFrame, formula: string, options: SourceModelOptions, family: 'binomial' | 'poisson'): Promise<GeneralizedLinearMixedModel | null> {
  const sums = await lmmSums(sql, { contrasts: options.contrasts, reference: options.reference, allowNLevels: true });
  if (sums.frame.nobs <= (options.pushdown === 'on' ? LME4_EMULATION_ROWS : ENGINE_ROWS)) return null;
  const m = engineModel(sums, family);
  const response = sql.variables.get(deparse(sql.formula.response!))!;
  const constant = await responseConstant(m, family, response.kind === 'matrix', sums.frame.responseName);
  const fit = await engineLaplaceFit({ model: m, factors: sums.factors, coefnames: sums.frame.colnames, constant, nobs: sums.frame.nobs, maxEval: 10000 });
  const frame = { ...sums.frame, messages: sums.frame.messages.filter((x) => !x.startsWith('grouping factor')) };
  const grouping = sums.frame.messages.filter((x) => x.startsWith('grouping factor'));
  return { kind: 'glmm', formula, frame, data: emptyTable(sql), options, fit: grouping.length ? { ...fit, messages: [...grouping, ...fit.messages] } : fit };
}

/**
 * Fits a binomial or Poisson GLMM from a source: identical rows collapsed into counts by the engine, or PIRLS run in the engine for one scalar random effect on very large data.
 */
export async function glmerFromSource(sql: SqlFrame, formula: string, options: SourceModelOptions): Promise<{ model: GeneralizedLinearMixedModel; pushdown: string }> {
  const family = engineFamily(sql, options);
  if (family !== null && (await probeRatio(sql)) > AGGREGATE_RATIO) {
    const model = await engineFit(sql, formula, options, family);
    if (model !== null) return { model, pushdown: 'pirls' };
  }
  return { model: await collapsedFit(sql, formula, options), pushdown: 'collapsed' };
}
