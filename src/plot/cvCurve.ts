/**
 * The cross-validation curve of a penalised fit (glmnet's `plot(cv.glmnet)`):
 * the mean cross-validated error against log(lambda) with one-standard-error
 * bars, dashed lines at lambda.min and lambda.1se, and the number of nonzero
 * coefficients above each point as a tooltip.
 */
import { MixedModelsError } from '../errors.js';
import { INK, HEIGHT, REFERENCE, WIDTH, title, topLevel } from './theme.js';
import type { PlotSpec } from './types.js';
import { commonLength } from './validate.js';

export interface CvCurveInput {
  lambda: ArrayLike<number>;
  cvm: ArrayLike<number>;
  cvsd: ArrayLike<number>;
  nzero: ArrayLike<number>;
  lambdaMin: number;
  lambda1se: number;
  /** The measure, e.g. `Binomial Deviance`. */
  measure: string;
  title?: string;
}

const PLOT = 'cvCurveSpec';

export function cvCurveSpec(input: CvCurveInput): PlotSpec {
  const { lambda, cvm, cvsd, nzero } = input;
  const n = commonLength(PLOT, { lambda, cvm, cvsd, nzero });
  const rows = Array.from({ length: n }, (_, i) => ({ logLambda: Math.log(lambda[i]), cvm: cvm[i], lo: cvm[i] - cvsd[i], hi: cvm[i] + cvsd[i], nzero: nzero[i] }))
    .filter((r) => Number.isFinite(r.logLambda) && Number.isFinite(r.cvm));
  if (rows.length === 0) throw new MixedModelsError(`${PLOT}: no finite cross-validated error to plot`);
  const x = { field: 'logLambda', type: 'quantitative', title: 'log(lambda)', scale: { zero: false } };
  const y = { field: 'cvm', type: 'quantitative', title: input.measure, scale: { zero: false } };
  const marks = [
    { name: 'lambda.min', value: Math.log(input.lambdaMin) },
    { name: 'lambda.1se', value: Math.log(input.lambda1se) },
  ];
  return topLevel({
    title: title(input.title ?? 'Cross-validation', `Mean ${input.measure.toLowerCase()} with one standard error; dashed: lambda.min and lambda.1se`),
    width: WIDTH,
    height: HEIGHT,
    layer: [
      { data: { values: rows }, mark: { type: 'rule', color: '#9a9a9a' }, encoding: { x, y: { ...y, field: 'lo' }, y2: { field: 'hi' } } },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, color: INK, size: 22, opacity: 1 },
        encoding: { x, y, tooltip: [{ field: 'nzero', title: 'nonzero' }, { field: 'cvm', title: input.measure }] },
      },
      { data: { values: marks }, mark: { type: 'rule', color: REFERENCE, strokeDash: [4, 4] }, encoding: { x: { field: 'value', type: 'quantitative' } } },
    ],
  });
}
