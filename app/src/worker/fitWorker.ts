/**
 * The fit worker: all computation of the page, off the main thread, with the
 * library's public functions only, so that every text and number is the CLI's:
 * `parseCsv` reads the file, `buildFrame` checks a formula, `fitModel` fits,
 * `render` writes the summary and the JSON, `compareModels` tests, `confint`
 * and `predict` answer questions, `modelPlot` + `toSVG` draw and
 * `modelReport` writes the HTML report. The plot renderer (Vega) loads only
 * when the first plot is drawn.
 *
 * It keeps one table (the loaded CSV) and one fitted model. Errors the user
 * can act on (MixedModelsError) come back as their message; anything else as
 * an internal error.
 */
import {
  MixedModelsError,
  buildFrame,
  compareModels,
  confint,
  expandFormula,
  fitModel,
  modelPlot,
  parseCsv,
  parseFormula,
  predict,
  r2Nakagawa,
  render,
  type DataTable,
  type FitOptions,
  type FittedModel,
} from '../../../src/index.js';
import { fixedOnlyFormula } from '../model/formulaParts.js';
import { pageWords } from '../model/pageWords.js';
import { version } from '../../../package.json';
import { PLOT_KIND_NAMES, type CoefPair, type ColumnInfo, type Comparison, type DataPreview, type FitResult, type IccReading, type Lrt, type Part, type PlotKindName, type PlotResult, type Reply, type Request } from './protocol.js';

interface WorkerScope {
  postMessage(message: Reply): void;
  onmessage: ((event: MessageEvent<Request>) => void) | null;
}
const scope = self as unknown as WorkerScope;

const PREVIEW_ROWS = 6;

let table: DataTable | null = null;
/** The loaded file's name, for the summary's `Data:` line (as the CLI prints its data argument). */
let dataName: string | undefined;
let model: { fitted: FittedModel; options: FitOptions } | null = null;

function needTable(): DataTable {
  if (!table) throw new MixedModelsError('load a data set first');
  return table;
}

function needModel(): { fitted: FittedModel; options: FitOptions } {
  if (!model) throw new MixedModelsError('fit a model first');
  return model;
}

function columnInfo(t: DataTable, name: string): ColumnInfo {
  const col = t.columns.get(name)!;
  const seen = new Set<string | number>();
  let missing = 0;
  for (let i = 0; i < t.nrow; i++) {
    const v = col.values[i];
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing++;
    else seen.add(v);
  }
  return { name, kind: col.kind, missing, distinct: seen.size };
}

function cellText(t: DataTable, name: string, i: number): string {
  const v = t.columns.get(name)!.values[i];
  return v === null || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v);
}

function load(bytes: ArrayBuffer, name: string): DataPreview {
  table = null;
  model = null;
  const t = parseCsv(new Uint8Array(bytes), name);
  table = t;
  dataName = name;
  const rows = Array.from({ length: Math.min(PREVIEW_ROWS, t.nrow) }, (_, i) => t.names.map((n) => cellText(t, n, i)));
  return { source: name, nrow: t.nrow, columns: t.names.map((n) => columnInfo(t, n)), rows };
}

/** The ICC, with each grouping factor's share: LMMs from the fit (performance::icc), GLMMs on the latent scale from Nakagawa's variances. */
function iccOf(m: FittedModel): IccReading | null {
  if (m.kind === 'lmm') {
    const { icc, varCorr } = m.fit;
    const re = icc.termVariance.reduce((a, b) => a + b, 0);
    const total = re + icc.residualVariance;
    const shares = new Map<string, number>();
    varCorr.terms.forEach((t, i) => shares.set(t.factor, (shares.get(t.factor) ?? 0) + icc.termVariance[i] / total));
    return { value: icc.adjusted, scale: 'observed', shares: [...shares].map(([group, share]) => ({ group, share })) };
  }
  if (m.kind === 'glmm') {
    try {
      const v = r2Nakagawa(m).variances;
      const value = v.random / (v.random + v.residual);
      return Number.isFinite(value) ? { value, scale: 'latent', shares: [] } : null;
    } catch (err) {
      if (err instanceof MixedModelsError) return null;
      throw err;
    }
  }
  return null;
}

function fitResult(m: FittedModel, seconds: number): FitResult {
  const json = render(m, 'json');
  const j = JSON.parse(json) as { nobs: number; ngrps?: Record<string, number>; r2?: { marginal: number | null; conditional: number | null } | null; messages: string[] };
  const r2 = j.r2 && j.r2.marginal !== null && j.r2.conditional !== null ? { marginal: j.r2.marginal, conditional: j.r2.conditional } : null;
  return { formula: m.formula, kind: m.kind, summary: render(m, 'text', { data: dataName }), json, nobs: j.nobs, ngrps: j.ngrps ?? {}, icc: iccOf(m), r2, messages: j.messages, seconds };
}

function coefficientsOf(m: FittedModel): readonly { term: string; estimate: number; stdError: number }[] {
  return m.kind === 'lmm' ? m.coefficients : m.fit.coefficients;
}

function pairs(small: FittedModel, big: FittedModel): CoefPair[] {
  const a = coefficientsOf(small), b = coefficientsOf(big);
  const terms = [...new Set([...b.map((c) => c.term), ...a.map((c) => c.term)])];
  const pick = (cs: typeof a, term: string) => {
    const c = cs.find((x) => x.term === term);
    return c ? { estimate: c.estimate, stdError: c.stdError } : null;
  };
  return terms.map((term) => ({ term, fixed: pick(a, term), mixed: pick(b, term) }));
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function lrt(a: FittedModel, b: FittedModel): Lrt {
  const c = compareModels([a, b]);
  return {
    rows: c.models.map((r) => ({ formula: r.formula, npar: r.npar, AIC: r.AIC, BIC: r.BIC, logLik: r.logLik, chisq: finite(r.chisq), df: finite(r.df), pValue: finite(r.pValue) })),
    chisq: finite(c.chisq),
    df: finite(c.df),
    pValue: finite(c.pValue),
    refitted: c.refitted,
    messages: c.messages,
  };
}

/**
 * `current` beside the model of `formula` fitted with the same options: coefficients side by side and the likelihood-ratio test.
 * A model without random effects takes no nAGQ (the library refuses it there: it has nothing to integrate).
 */
function comparison(current: { fitted: FittedModel; options: FitOptions }, formula: string): Comparison {
  const mixed = expandFormula(parseFormula(formula), needTable().names).random.length > 0;
  const options = mixed ? current.options : { ...current.options, nAGQ: undefined };
  const other = fitModel(formula, needTable(), options);
  let test: Lrt | null = null;
  let note: string | null = null;
  try {
    test = lrt(other, current.fitted);
  } catch (err) {
    if (!(err instanceof MixedModelsError)) throw err;
    note = err.message;
  }
  return { formula, coefficients: pairs(other, current.fitted), lrt: test, note };
}

async function plot(m: FittedModel, kind: PlotKindName): Promise<PlotResult> {
  let spec;
  try {
    spec = modelPlot(m, kind);
  } catch (err) {
    if (err instanceof MixedModelsError) return { kind, svg: null, reason: err.message };
    throw err;
  }
  const { toSVG } = await import('../../../src/plot/index.js');
  return { kind, svg: await toSVG(spec), reason: null };
}

/**
 * Counts the requests that make the current fit's remaining work pointless (a
 * new fit, new data). The comparison and the plots come after the fit, one at
 * a time, and stop as soon as a newer such request has arrived, so the page
 * need not end the worker to move on.
 */
let generation = 0;

async function fit(id: number, formula: string, options: FitOptions, extras: boolean, gen: number): Promise<null> {
  const data = needTable();
  model = null;
  const progress = (stage: string) => scope.postMessage({ id, type: 'progress', stage });
  const part = (p: Part) => scope.postMessage({ id, type: 'part', ...p });
  progress('fitting the model');
  const t0 = performance.now();
  const fitted = fitModel(formula, data, options);
  model = { fitted, options };
  part({ key: 'result', value: fitResult(fitted, (performance.now() - t0) / 1000) });
  if (!extras || gen !== generation) return null;
  if (fitted.kind === 'lmm' || fitted.kind === 'glmm') {
    progress('fitting the model without random effects');
    part({ key: 'comparison', value: comparison(model, fixedOnlyFormula(formula)) });
  } else {
    part({ key: 'comparison', value: null });
  }
  for (const kind of PLOT_KIND_NAMES) {
    if (gen !== generation) return null;
    progress(`drawing the ${kind} plot`);
    part({ key: 'plot', value: await plot(fitted, kind) });
  }
  return null;
}

function predictRows(csv: string, population: boolean, interval: 'none' | 'confidence' | 'prediction', level: number): unknown {
  const m = needModel().fitted;
  const mixed = m.kind === 'lmm' || m.kind === 'glmm';
  const p = predict(m, parseCsv(csv, 'the new rows'), mixed ? { population, interval, level, allowNewLevels: true } : { interval, level });
  const list = (a: Float64Array | undefined) => (a ? Array.from(a) : null);
  return { fit: Array.from(p.fit), lower: list(p.lower), upper: list(p.upper), messages: p.messages };
}

async function handle(req: Request, gen: number): Promise<unknown> {
  switch (req.type) {
    case 'load':
      return load(req.bytes, req.name);
    case 'check':
      buildFrame(req.formula, needTable(), req.options);
      return null;
    case 'fit':
      return fit(req.id, req.formula, req.options, req.extras, gen);
    case 'compare':
      return comparison(needModel(), req.formula);
    case 'confint':
      return confint(needModel().fitted, { method: req.method === 'default' ? undefined : req.method, level: req.level });
    case 'predict':
      return predictRows(req.csv, req.population, req.interval, req.level);
    case 'report': {
      const { modelReport } = await import('../../../src/report/modelReport.js');
      return modelReport(needModel().fitted, {}, { ...req.provenance, version });
    }
  }
}

function reply(req: Request, value: unknown): void {
  scope.postMessage({ id: req.id, type: 'done', value });
}

function fail(req: Request, err: unknown): void {
  const user = err instanceof MixedModelsError;
  const message = pageWords(err instanceof Error ? err.message : String(err));
  scope.postMessage({ id: req.id, type: 'error', message: user ? message : `internal error: ${message}`, internal: !user });
}

/** Requests run one at a time, in the order they came, so each sees the table and model the one before left. */
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (event) => {
  const req = event.data;
  if (req.type === 'fit' || req.type === 'load') generation++;
  const gen = generation;
  queue = queue.then(() => handle(req, gen).then((value) => reply(req, value), (err: unknown) => fail(req, err)));
};
