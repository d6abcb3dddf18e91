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
import { resolve } from 'node:path';
import * as v from 'valibot';
import { describeIssue, must, wholeNumber } from '../api/arguments.js';
import { fitModel, lmerAt, type FitOptions, type FittedModel } from '../api/fit.js';
import { fitOptionEntries } from '../api/fitOptions.js';
import { MixedModelsError } from '../errors.js';
import { modelJson, type Json } from '../report/json.js';
import type { CsvOptions } from './csv.js';
import { readRegularFile } from './readFile.js';
import { csvFileTable } from './readTable.js';

const FORMAT = 'mixedmodels-fit';
const VERSION = 1;
/** Largest saved model read: the fit's summary holds every conditional mode, a few MiB for large models. */
const MAX_SAVED_BYTES = 256 * 2 ** 20;

export interface SavedModel {
  format: typeof FORMAT;
  version: number;
  data: { path: string; bytes: number; sha256: string };
  /** How the data file is read (absent: commas and decimal points). */
  csv?: { sep?: string; dec?: string };
  formula: string;
  options: FitOptions;
  kind: FittedModel['kind'];
  theta: number[] | null;
  summary: Json;
}

const finite = v.pipe(v.number(must.number), v.finite(must.number));

const common = {
  format: v.literal(FORMAT),
  version: v.literal(VERSION),
  data: v.strictObject(
    {
      path: v.pipe(v.string(must.string), v.minLength(1, 'must name the data file')),
      bytes: wholeNumber(0),
      sha256: v.pipe(v.string(must.string), v.regex(/^[0-9a-f]{64}$/, 'must be 64 hexadecimal digits')),
    },
    'must be an object { path, bytes, sha256 }',
  ),
  csv: v.optional(v.strictObject({ sep: v.optional(v.string(must.string)), dec: v.optional(v.string(must.string)) }, 'must be an object { sep, dec }')),
  formula: v.string(must.string),
  options: v.strictObject({ ...fitOptionEntries, weights: v.optional(v.string('must be a column name')) }, 'must be an object of fit options'),
  summary: v.record(v.string(), v.unknown(), must.object),
};

/** The saved model's structure: theta is an array of finite numbers for mixed models, null for lm and glm. */
const savedSchema = v.variant(
  'kind',
  [
    v.strictObject({ ...common, kind: v.picklist(['lmm', 'glmm']), theta: v.array(finite, 'must be an array of numbers for a mixed model') }),
    v.strictObject({ ...common, kind: v.picklist(['lm', 'glm']), theta: v.null('must be null for a model without random effects') }),
  ],
  "must be 'lm', 'glm', 'lmm' or 'glmm'",
);

function fingerprint(path: string, bytes = readRegularFile(path, "the saved model's data file")): SavedModel['data'] {
  return { path: resolve(path), bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** The saved form of a model fitted to the CSV file at `dataPath` (read with `csv`). */
export function savedModel(model: FittedModel, dataPath: string, csv: Omit<CsvOptions, 'source'> = {}): SavedModel {
  const { weights, ...rest } = model.options;
  if (weights !== undefined && typeof weights !== 'string') throw new MixedModelsError('only weights given as a column name can be saved');
  return {
    format: FORMAT,
    version: VERSION,
    data: fingerprint(dataPath),
    ...(csv.sep === undefined && csv.dec === undefined ? {} : { csv }),
    formula: model.formula,
    options: weights === undefined ? rest : { ...rest, weights },
    kind: model.kind,
    theta: model.kind === 'lmm' || model.kind === 'glmm' ? Array.from(model.fit.theta) : null,
    summary: modelJson(model),
  };
}

/** The saved model in file `path`, checked against its schema (a MixedModelsError names the first bad field). */
export function readSaved(path: string): SavedModel {
  const bytes = readRegularFile(path, 'the saved model', MAX_SAVED_BYTES);
  let saved: unknown;
  try {
    saved = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new MixedModelsError(`'${path}' is not a saved model: it is not JSON`);
  }
  const head = (saved ?? {}) as { format?: unknown; version?: unknown };
  if (head.format !== FORMAT) throw new MixedModelsError(`'${path}' is not a saved model (write one with 'mixedmodels fit ... --save ${path}')`);
  if (head.version !== VERSION) throw new MixedModelsError(`'${path}' was saved by another version of mixedmodels (format ${String(head.version)}, this one reads ${VERSION})`);
  const result = v.safeParse(savedSchema, saved);
  if (!result.success) throw new MixedModelsError(`'${path}' is not a valid saved model: ${describeIssue('', result.issues[0], Object.keys(common))}`);
  return result.output as SavedModel;
}

/** Loads a saved model, refusing it when its data file is gone or has changed, or when it does not describe the model it claims. */
export function loadModel(path: string): FittedModel {
  const saved = readSaved(path);
  const where = saved.data.path;
  const bytes = readRegularFile(where, "the saved model's data file");
  const now = fingerprint(where, bytes);
  if (now.sha256 !== saved.data.sha256 || now.bytes !== saved.data.bytes) {
    throw new MixedModelsError(`the saved model's data file '${where}' has changed since the fit was saved: fit the model again`);
  }
  const data = csvFileTable(where, bytes, saved.csv ?? {});
  const model = saved.kind === 'lmm' ? lmerAt(saved.formula, data, gaussianOptions(saved, path), saved.theta!) : fitModel(saved.formula, data, saved.options);
  if (model.kind !== saved.kind) throw new MixedModelsError(`'${path}' is not a valid saved model: kind is '${saved.kind}' but its formula and options give a '${model.kind}' model`);
  return model;
}

/** An LMM's options: a family or link other than gaussian/identity would make it another model. */
function gaussianOptions(saved: SavedModel, path: string): FitOptions {
  const { family = 'gaussian', link = 'identity' } = saved.options;
  if (family !== 'gaussian' || link !== 'identity') {
    throw new MixedModelsError(`'${path}' is not a valid saved model: kind is 'lmm' but options give the family '${family}' with link '${link}'`);
  }
  return saved.options;
}
