/**
 * The page's working state and what changes it: the data (an example or the
 * user's file), the formula and options, and the fit with its parts as they
 * arrive from the worker. A link's state (decodeState) is the starting point;
 * an example named there is loaded and fitted at once.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { exampleById, type Example } from '../model/examples.js';
import { formulaNames } from '../model/formulaParts.js';
import { defaultOptions, fitOptions, type ModelOptions } from '../model/options.js';
import { decodeState } from '../model/urlState.js';
import { Cancelled, type FitClient } from '../worker/client.js';
import type { Comparison, DataPreview, FitResult, Part, PlotResult } from '../worker/protocol.js';
import type { RunState, Shown } from './types.js';

export type Source = { kind: 'example'; id: string; name: string } | { kind: 'file'; name: string };

export interface Fitted extends Shown {
  result: FitResult;
  /** undefined while it is computed; null when the model has no random effects. */
  comparison: Comparison | null | undefined;
  plots: PlotResult[];
}

const IDLE: RunState = { status: 'idle', stage: '', started: 0, seconds: null, error: null };

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The options with only what applies to `preview`: factors that are numeric columns, weights that exist. */
function optionsFor(o: ModelOptions, preview: DataPreview): ModelOptions {
  const numeric = new Set(preview.columns.filter((c) => c.kind === 'numeric').map((c) => c.name));
  return { ...o, factors: o.factors.filter((f) => numeric.has(f)), weights: numeric.has(o.weights) ? o.weights : '' };
}

/** The formula, kept for new data only if every variable in it is one of the new columns. */
function formulaFor(formula: string, preview: DataPreview): string {
  if (formula.trim() === '') return formula;
  try {
    const names = new Set(preview.columns.map((c) => c.name));
    return formulaNames(formula).every((n) => names.has(n)) ? formula : '';
  } catch {
    return '';
  }
}

export function useFitSession(client: FitClient) {
  const initial = useMemo(() => decodeState(location.search), []);
  const [source, setSource] = useState<Source | null>(null);
  const [preview, setPreview] = useState<DataPreview | null>(null);
  const [loading, setLoading] = useState(false);
  const [dataError, setDataError] = useState<string | null>(null);
  const [formula, setFormula] = useState(initial.formula);
  const [options, setOptions] = useState<ModelOptions>(initial.options);
  const [run, setRun] = useState<RunState>(IDLE);
  const [fitted, setFitted] = useState<Fitted | null>(null);
  const fitSerial = useRef(0);
  const runRef = useRef(run);
  runRef.current = run;
  const formulaRef = useRef(formula);
  formulaRef.current = formula;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  const columns = preview?.columns ?? [];

  const cancel = () => {
    fitSerial.current++;
    client.cancel();
    setRun((r) => (r.status === 'running' ? { ...r, status: 'cancelled' } : r));
  };

  /**
   * Before new work: a fit still computing is ended (Cancel); one that only
   * draws its plots is left to the worker, which drops them for the new request.
   */
  const stopFitting = () => {
    if (runRef.current.status === 'running' && runRef.current.seconds === null) client.cancel();
  };

  const fit = async (f = formula, o = options, data = preview, src = source) => {
    if (!data || !src) {
      setRun({ ...IDLE, status: 'error', error: 'Load a data set first: choose an example or a CSV file under “Your data”.' });
      return;
    }
    if (f.trim() === '') {
      setRun({ ...IDLE, status: 'error', error: 'Write a formula first, or build one in steps 1 to 3.' });
      return;
    }
    stopFitting();
    const serial = ++fitSerial.current;
    const started = performance.now();
    const snapshot = { formula: f.trim(), options: o, dataName: src.name };
    let current: Fitted | null = null;
    setFitted(null);
    setRun({ status: 'running', stage: 'starting', started, seconds: null, error: null });
    const onPart = (part: Part) => {
      if (serial !== fitSerial.current) return;
      if (part.key === 'result') {
        current = { ...snapshot, json: part.value.json, result: part.value, comparison: undefined, plots: [] };
        setRun((r) => ({ ...r, seconds: (performance.now() - started) / 1000 }));
      } else if (current && part.key === 'comparison') current = { ...current, comparison: part.value };
      else if (current && part.key === 'plot') current = { ...current, plots: [...current.plots, part.value] };
      setFitted(current);
    };
    try {
      await client.fit(snapshot.formula, fitOptions(o), { onPart, onProgress: (stage) => serial === fitSerial.current && setRun((r) => ({ ...r, stage })) });
      if (serial === fitSerial.current) setRun((r) => ({ ...r, status: 'done' }));
    } catch (err) {
      if (serial !== fitSerial.current) return;
      if (err instanceof Cancelled) setRun((r) => ({ ...r, status: 'cancelled' }));
      else setRun({ ...IDLE, status: 'error', error: message(err) });
    }
  };

  /**
   * Loads data, then sets the formula and options `next` chooses for it, unless
   * the formula was edited while the data loaded: the edit wins.
   */
  const load = async (bytes: ArrayBuffer, src: Source, next: (p: DataPreview) => { formula: string; options: ModelOptions }, autoFit: boolean) => {
    const typed = formulaRef.current;
    stopFitting();
    fitSerial.current++;
    setLoading(true);
    setDataError(null);
    setFitted(null);
    setRun(IDLE);
    try {
      const p = await client.load(bytes, src.name);
      const edited = formulaRef.current !== typed;
      const n = next(p);
      setPreview(p);
      setSource(src);
      if (!edited) setFormula(n.formula);
      setOptions(n.options);
      if (autoFit && n.formula.trim() !== '') void fit(n.formula, n.options, p, src);
    } catch (err) {
      setPreview(null);
      setSource(null);
      setDataError(message(err));
    } finally {
      setLoading(false);
    }
  };

  const loadExample = async (e: Example, fromUrl = false) => {
    setDataError(null);
    let bytes: ArrayBuffer;
    try {
      const res = await fetch(`./examples/${e.file}`);
      if (!res.ok) throw new Error(`the example ${e.file} could not be read (HTTP ${res.status})`);
      bytes = await res.arrayBuffer();
    } catch (err) {
      setDataError(message(err));
      return;
    }
    const next = fromUrl
      ? (p: DataPreview) => ({ formula: initial.formula, options: optionsFor(initial.options, p) })
      : () => ({ formula: e.formula, options: { ...defaultOptions(), family: e.family, factors: [...e.factors] } });
    await load(bytes, { kind: 'example', id: e.id, name: e.file }, next, fromUrl);
  };

  const loadFile = async (f: File) => {
    let bytes: ArrayBuffer;
    try {
      bytes = await f.arrayBuffer();
    } catch (err) {
      setDataError(`cannot read '${f.name}': ${message(err)}`);
      return;
    }
    await load(bytes, { kind: 'file', name: f.name }, (p) => ({ formula: formulaFor(formulaRef.current, p), options: optionsFor(optionsRef.current, p) }), false);
  };

  useEffect(() => {
    const e = initial.example ? exampleById(initial.example) : undefined;
    if (e) void loadExample(e, true);
  }, []);


  return { initial, source, preview, loading, dataError, formula, setFormula, options, setOptions, run, fitted, fit, cancel, loadExample, loadFile };
}
