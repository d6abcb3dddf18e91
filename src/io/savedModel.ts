/**
 * Node-only: a fit saved to a JSON file (`mixedmodels fit ... --save m.json`)
 * and loaded again to answer later questions (`predict --model m.json`).
 *
 * The file records what produced the fit: the data file (absolute path, size
 * and SHA-256, so a changed file is refused rather than silently used), the
 * formula and options, the fitted parameters, and the fit's JSON summary for
 * readers. Loading re-reads the data and rebuilds the model: an LMM at the
 * saved theta without optimising (the same numbers); lm, glm and GLMMs by
 * fitting again, which is deterministic.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fitModel, lmerAt, type FitOptions, type FittedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { modelJson, type Json } from '../report/json.js';
import { readCsvFile } from './readTable.js';

const FORMAT = 'mixedmodels-fit';
const VERSION = 1;

export interface SavedModel {
  format: typeof FORMAT;
  version: number;
  data: { path: string; bytes: number; sha256: string };
  formula: string;
  options: FitOptions;
  kind: FittedModel['kind'];
  theta: number[] | null;
  summary: Json;
}

function fingerprint(path: string): SavedModel['data'] {
  const bytes = readFileSync(path);
  return { path: resolve(path), bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The saved form of a model fitted to the CSV file at `dataPath`. */
export function savedModel(model: FittedModel, dataPath: string): SavedModel {
  const { weights, ...rest } = model.options;
  if (weights !== undefined && typeof weights !== 'string') throw new MixedModelsError('only weights given as a column name can be saved');
  return {
    format: FORMAT,
    version: VERSION,
    data: fingerprint(dataPath),
    formula: model.formula,
    options: weights === undefined ? rest : { ...rest, weights },
    kind: model.kind,
    theta: model.kind === 'lmm' || model.kind === 'glmm' ? Array.from(model.fit.theta) : null,
    summary: modelJson(model),
  };
}

function readSaved(path: string): SavedModel {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new MixedModelsError(`cannot read the saved model '${path}'`);
  }
  let saved: SavedModel;
  try {
    saved = JSON.parse(text);
  } catch {
    throw new MixedModelsError(`'${path}' is not a saved model: it is not JSON`);
  }
  if (saved?.format !== FORMAT) throw new MixedModelsError(`'${path}' is not a saved model (write one with 'mixedmodels fit ... --save ${path}')`);
  if (saved.version !== VERSION) throw new MixedModelsError(`'${path}' was saved by another version of mixedmodels (format ${saved.version}, this one reads ${VERSION})`);
  return saved;
}

/** Loads a saved model, refusing it when its data file is gone or has changed. */
export function loadModel(path: string): FittedModel {
  const saved = readSaved(path);
  const where = saved.data.path;
  try {
    statSync(where);
  } catch {
    throw new MixedModelsError(`the saved model's data file '${where}' is missing`);
  }
  if (fingerprint(where).sha256 !== saved.data.sha256) {
    throw new MixedModelsError(`the saved model's data file '${where}' has changed since the fit was saved: fit the model again`);
  }
  const data = readCsvFile(where);
  if (saved.kind === 'lmm' && saved.theta) return lmerAt(saved.formula, data, saved.options, saved.theta);
  return fitModel(saved.formula, data, saved.options);
}
