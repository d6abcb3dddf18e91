/**
 * Elastic-net fits -> plot inputs -> Vega-Lite specifications: `cv` (the
 * cross-validation curve; needs a cross-validated fit) and `path` (the
 * coefficient paths, with lambda.min and lambda.1se marked when known).
 */
import { MixedModelsError } from '../errors.js';
import type { CvGlmnetModel, GlmnetModel } from '../glmnet/glmnet.js';
import { coefPathSpec } from './coefPath.js';
import { cvCurveSpec } from './cvCurve.js';
import type { PlotSpec } from './types.js';
import type { GlmnetPlotKind } from './kinds.js';

export { GLMNET_PLOT_KINDS, type GlmnetPlotKind } from './kinds.js';

export function glmnetPlot(model: GlmnetModel | CvGlmnetModel, kind: GlmnetPlotKind): PlotSpec {
  const cv = 'cv' in model ? model.cv : null;
  if (kind === 'cv') {
    if (cv === null) throw new MixedModelsError('the cv plot needs a cross-validated fit (two or more lambdas and folds)');
    return cvCurveSpec({ lambda: cv.lambda, cvm: cv.cvm, cvsd: cv.cvsd, nzero: cv.nzero, lambdaMin: cv.lambdaMin, lambda1se: cv.lambda1se, measure: cv.name });
  }
  const p = model.path.p;
  const coefficients = model.path.points.map((pt) => {
    const b = new Float64Array(p);
    pt.index.forEach((j, k) => (b[j] = pt.value[k]));
    return b;
  });
  const marks = cv === null ? [] : [{ name: 'lambda.min', lambda: cv.lambdaMin }, { name: 'lambda.1se', lambda: cv.lambda1se }];
  return coefPathSpec({ lambda: model.path.points.map((pt) => pt.lambda), terms: model.frame.design.colnames, coefficients, marks });
}
