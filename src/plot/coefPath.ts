/**
 * Coefficient paths of a penalised fit (glmnet's `plot(fit, xvar = "lambda")`):
 * each coefficient against log(lambda), one line per term. With many terms
 * only the `maxTerms` with the largest coefficients anywhere on the path are
 * drawn, and the subtitle says so.
 */
import { MixedModelsError } from '../errors.js';
import { HEIGHT, REFERENCE, WIDTH, title, topLevel } from './theme.js';
import type { PlotSpec } from './types.js';

export interface CoefPathInput {
  lambda: ArrayLike<number>;
  terms: readonly string[];
  /** coefficients[m][j]: term j at lambda m (the intercept left out). */
  coefficients: readonly ArrayLike<number>[];
  /** Dashed lines, e.g. lambda.min and lambda.1se. */
  marks?: readonly { name: string; lambda: number }[];
  maxTerms?: number;
  title?: string;
}

const PLOT = 'coefPathSpec';

export function coefPathSpec(input: CoefPathInput): PlotSpec {
  const { lambda, terms, coefficients } = input;
  if (lambda.length === 0 || coefficients.length !== lambda.length) throw new MixedModelsError(`${PLOT}: need one coefficient vector per lambda`);
  const peak = terms.map((_, j) => coefficients.reduce((m, c) => Math.max(m, Math.abs(c[j])), 0));
  const moving = terms.map((_, j) => j).filter((j) => peak[j] > 0).sort((a, b) => peak[b] - peak[a]);
  const maxTerms = input.maxTerms ?? 30;
  const shown = moving.slice(0, maxTerms);
  const rows = shown.flatMap((j) => Array.from({ length: lambda.length }, (_, m) => ({ term: terms[j], logLambda: Math.log(lambda[m]), coefficient: coefficients[m][j] })))
    .filter((r) => Number.isFinite(r.logLambda));
  const subtitle = moving.length > shown.length ? `The ${shown.length} largest of ${moving.length} coefficients that leave zero` : `${moving.length} coefficients`;
  const x = { field: 'logLambda', type: 'quantitative', title: 'log(lambda)', scale: { zero: false } };
  const layer: PlotSpec[] = [
    {
      data: { values: rows },
      mark: { type: 'line', strokeWidth: 1.5 },
      encoding: {
        x,
        y: { field: 'coefficient', type: 'quantitative', title: 'Coefficient' },
        color: { field: 'term', type: 'nominal', title: 'Term', legend: shown.length <= 20 ? {} : null },
        detail: { field: 'term' },
      },
    },
  ];
  if (input.marks?.length) {
    layer.push({
      data: { values: input.marks.map((m) => ({ name: m.name, value: Math.log(m.lambda) })) },
      mark: { type: 'rule', color: REFERENCE, strokeDash: [4, 4] },
      encoding: { x: { field: 'value', type: 'quantitative' } },
    });
  }
  return topLevel({ title: title(input.title ?? 'Coefficient paths', subtitle), width: WIDTH, height: HEIGHT, layer });
}
