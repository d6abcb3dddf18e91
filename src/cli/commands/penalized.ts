/**
 * `mixedmodels fit <file> "<formula>" --penalty lasso|ridge|enet ...`: the
 * elastic net (glmnet, cross-validated as cv.glmnet) for formulas without
 * random-effects bars, the L1-penalised mixed model (lmmlasso / glmmLasso)
 * for formulas with them. Also the `cv` and `path` kinds of `plot`.
 */
import { MixedModelsError } from '../../errors.js';
import { cvGlmnet, glmnet, type CvGlmnetModel, type CvGlmnetOptions, type GlmnetModel } from '../../glmnet/glmnet.js';
import type { TypeMeasure } from '../../glmnet/cvMeasures.js';
import { readCsvFile } from '../../io/readTable.js';
import { readSource } from '../../sources/readSource.js';
import { expandFormula, parseFormula } from '../../formula/index.js';
import { glmnetPlot } from '../../plot/fromGlmnet.js';
import type { GlmnetPlotKind } from '../../plot/kinds.js';
import type { PlotSpec } from '../../plot/types.js';
import { glmnetJson } from '../../report/penalized/glmnetJson.js';
import { summaryGlmnet } from '../../report/penalized/glmnetText.js';
import { lassoMixed, type LassoMixedOptions } from '../../penalized/lassoMixed.js';
import { lassoMixedJson } from '../../report/penalized/lassoMixedJson.js';
import { summaryLassoMixed } from '../../report/penalized/lassoMixedText.js';
import type { DataTable } from '../../data/types.js';
import { csvOptions, type CliIO, type FitFlags } from '../modelOptions.js';
import { writeOutput } from '../writeOutput.js';
import type { PenaltyFlags } from './penaltyOptions.js';
import { withOffset } from '../offsetFlag.js';

function numberFlag(name: string, value: string | undefined, check: (x: number) => boolean, what: string): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !check(x)) throw new MixedModelsError(`--${name} must be ${what}, not '${value}'`);
  return x;
}

function lambdaList(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  const xs = value.split(',').map((s) => s.trim());
  const out = xs.map(Number);
  const bad = xs.findIndex((s, k) => s === '' || !(out[k] >= 0 && Number.isFinite(out[k])));
  if (bad >= 0) throw new MixedModelsError(`--lambda must be non-negative numbers separated by commas, not '${value}'`);
  return out;
}

function penaltyFactors(value: string | undefined): Record<string, number> | undefined {
  if (value === undefined) return undefined;
  const out: Record<string, number> = {};
  for (const part of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(.+)=(.+)$/.exec(part);
    const v = m ? Number(m[2]) : NaN;
    if (!m || !(v >= 0 && Number.isFinite(v))) throw new MixedModelsError(`--penalty-factor takes term=factor pairs such as "x1=0,region=2", not '${part}'`);
    out[m[1].trim()] = v;
  }
  return out;
}

/** alpha from --penalty and --alpha. */
export function alphaOf(flags: PenaltyFlags): number {
  const alpha = numberFlag('alpha', flags.alpha, (x) => x >= 0 && x <= 1, 'a number between 0 and 1');
  const fixed = flags.penalty === 'lasso' ? 1 : flags.penalty === 'ridge' ? 0 : undefined;
  if (fixed !== undefined && alpha !== undefined && alpha !== fixed) throw new MixedModelsError(`--penalty ${flags.penalty} means alpha = ${fixed}; use --penalty enet --alpha ${alpha}`);
  return fixed ?? alpha ?? 0.5;
}

/** The elastic-net options of the flags. */
export function glmnetOptions(flags: FitFlags & PenaltyFlags): CvGlmnetOptions {
  if (flags.link !== undefined) {
    const canonical: Record<string, string> = { gaussian: 'identity', binomial: 'logit', poisson: 'log' };
    if (flags.link !== canonical[flags.family ?? 'gaussian']) throw new MixedModelsError(`the elastic net uses the canonical link of its family; --link ${flags.link} is not available`);
  }
  return {
    family: flags.family ?? 'gaussian',
    alpha: alphaOf(flags),
    lambda: lambdaList(flags.lambda),
    nlambda: numberFlag('nlambda', flags.nlambda, (x) => Number.isInteger(x) && x >= 1, 'a whole number >= 1'),
    lambdaMinRatio: numberFlag('lambda-min-ratio', flags.lambdaMinRatio, (x) => x > 0 && x < 1, 'a number between 0 and 1'),
    standardize: flags.standardize,
    weights: flags.weights,
    offset: flags.offset,
    factors: flags.factor ? flags.factor.split(',').map((s) => s.trim()).filter(Boolean) : [],
    penaltyFactor: penaltyFactors(flags.penaltyFactor),
    nfolds: numberFlag('nfolds', flags.nfolds, (x) => Number.isInteger(x) && (x === 0 || x >= 3), 'a whole number >= 3 (or 0 for no cross-validation)'),
    seed: numberFlag('seed', flags.seed, (x) => Number.isInteger(x), 'a whole number'),
    foldid: flags.foldid,
    typeMeasure: flags.typeMeasure as TypeMeasure | 'default' | undefined,
  };
}

/** cv.glmnet unless there is a single lambda or --nfolds 0. */
export function fitElasticNet(formula: string, data: DataTable, options: CvGlmnetOptions): GlmnetModel | CvGlmnetModel {
  const single = options.lambda !== undefined && options.lambda.length === 1;
  if (single || options.nfolds === 0) {
    // The cross-validation's options mean nothing without it: refused, not ignored (cv.glmnet refuses a single lambda too).
    const cvOnly: string[] = ([['foldid', '--foldid'], ['typeMeasure', '--type-measure'], ['seed', '--seed']] as const).filter(([k]) => options[k] !== undefined).map(([, f]) => f);
    if (single && options.nfolds !== undefined && options.nfolds !== 0) cvOnly.unshift('--nfolds');
    if (cvOnly.length > 0) throw new MixedModelsError(`${cvOnly[0]} needs cross-validation: give two or more lambdas${single ? '' : ' and no --nfolds 0'}`);
  }
  return single || options.nfolds === 0 ? glmnet(formula, data, options) : cvGlmnet(formula, data, options);
}

function hasBars(formula: string, data: DataTable): boolean {
  return expandFormula(parseFormula(formula), data.names).random.length > 0;
}

function mixedOptions(flags: FitFlags & PenaltyFlags): LassoMixedOptions {
  if (flags.penalty !== 'lasso') throw new MixedModelsError(`a model with random effects takes --penalty lasso (L1 on the fixed effects), not --penalty ${flags.penalty}`);
  for (const f of ['foldid', 'nfolds', 'seed', 'typeMeasure', 'alpha'] as const) {
    if (flags[f] !== undefined) throw new MixedModelsError(`--${f.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} applies to models without random effects; a penalised mixed model chooses lambda by BIC`);
  }
  const lambda = lambdaList(flags.lambda);
  const nAGQ = numberFlag('nagq', flags.nagq, (x) => Number.isInteger(x) && x >= 0, 'a whole number');
  const pf = penaltyFactors(flags.penaltyFactor);
  const scaled = Object.entries(pf ?? {}).find(([, v]) => v !== 0 && v !== 1);
  if (scaled !== undefined) throw new MixedModelsError(`a penalised mixed model takes --penalty-factor term=0 (unpenalised) or term=1 (the default), not ${scaled[0]}=${scaled[1]}`);
  return {
    family: flags.family,
    link: flags.link,
    weights: flags.weights,
    factors: flags.factor ? flags.factor.split(',').map((s) => s.trim()).filter(Boolean) : [],
    lambda,
    nlambda: numberFlag('nlambda', flags.nlambda, (x) => Number.isInteger(x) && x >= 1, 'a whole number >= 1'),
    lambdaMinRatio: numberFlag('lambda-min-ratio', flags.lambdaMinRatio, (x) => x > 0 && x < 1, 'a number between 0 and 1'),
    standardize: flags.standardize,
    nAGQ,
    unpenalized: pf === undefined ? undefined : Object.entries(pf).filter(([, v]) => v === 0).map(([k]) => k),
  };
}

/**
 * The options of `fit` a penalised fit does not read, refused rather than ignored: the
 * pushdown's (a penalised fit reads the model's columns), the LMM's REML and df, the
 * design's reference levels and contrasts (glmnet's and lmmlasso's own coding), the
 * negative binomial's theta; the elastic net has no quadrature or ML/REML either.
 * `given`: whether the user gave an option (not its default).
 */
function checkPenalizedFlags(flags: FitFlags & PenaltyFlags, mixed: boolean, given: (option: string) => boolean): void {
  const refused: [boolean, string][] = [
    [flags.reml === true, '--reml (a penalised mixed model maximises the penalised ML likelihood)'],
    [!mixed && flags.ml === true, '--ml'],
    [!mixed && flags.nagq !== undefined, '--nagq (the elastic net has no random effects)'],
    [flags.ref !== undefined && flags.ref.length > 0, '--ref'],
    [flags.contrasts !== undefined, '--contrasts'],
    [flags.nbTheta !== undefined, '--nb-theta'],
    [given('ddf'), '--ddf'],
    [given('pushdown'), '--pushdown'],
    [flags.explain === true, '--explain'],
  ];
  const hit = refused.find(([bad]) => bad);
  if (hit !== undefined) throw new MixedModelsError(`${hit[1].split(' ')[0]} does not apply to penalised fits (--penalty)${hit[1].includes('(') ? ` ${hit[1].slice(hit[1].indexOf('('))}` : ''}`);
}

/** The `fit --penalty` action: fits, prints, and writes the report. `given`: whether an option was given on the command line. */
export async function runPenalizedFit(
  file: string, formula: string, flags: FitFlags & PenaltyFlags & { report?: string; save?: string }, io: CliIO, given: (option: string) => boolean = () => false,
): Promise<void> {
  if (flags.save !== undefined) throw new MixedModelsError('--save is not available for penalised fits');
  // Any source (a CSV file, standard input, Parquet, a database): the model's columns, read whole.
  // The formula's columns only, unless --offset or --foldid name others.
  const wanted = flags.offset === undefined && flags.foldid === undefined ? formula : undefined;
  const { table: data } = await readSource(file, { table: flags.table, query: flags.query, csv: csvOptions(flags), formula: wanted, weights: flags.weights });
  const mixed = hasBars(formula, data);
  checkPenalizedFlags(flags, mixed, given);
  if (mixed) {
    const model = lassoMixed(withOffset(formula, flags.offset), data, mixedOptions(flags));
    io.stdout(flags.format === 'json' ? JSON.stringify(lassoMixedJson(model), null, 2) + '\n' : summaryLassoMixed(model, flags.format));
    if (flags.report !== undefined) {
      const { lassoMixedReport } = await import('../../report/penalized/lassoMixedReport.js');
      writeOutput(flags.report, await lassoMixedReport(model));
      io.stderr(`wrote report to ${flags.report}\n`);
    }
    return;
  }
  const model = fitElasticNet(formula, data, glmnetOptions(flags));
  io.stdout(flags.format === 'json' ? JSON.stringify(glmnetJson(model), null, 2) + '\n' : summaryGlmnet(model, flags.format));
  if (flags.report !== undefined) {
    const { glmnetReport } = await import('../../report/penalized/glmnetReport.js');
    writeOutput(flags.report, await glmnetReport(model));
    io.stderr(`wrote report to ${flags.report}\n`);
  }
}

/** `plot cv|path`: the elastic net of the flags (lasso unless --penalty says otherwise). */
export function penalizedPlotSpec(file: string | undefined, formula: string | undefined, flags: FitFlags & PenaltyFlags, kind: GlmnetPlotKind): PlotSpec {
  if (file === undefined || formula === undefined) throw new MixedModelsError(`the ${kind} plot needs a data file and a formula`);
  const model = fitElasticNet(formula, readCsvFile(file, csvOptions(flags)), glmnetOptions({ ...flags, penalty: flags.penalty ?? 'lasso' }));
  return glmnetPlot(model, kind);
}
