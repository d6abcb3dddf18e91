/**
 * R's anova() of a GLM (anova.glm): the analysis of deviance, terms added
 * sequentially. Row 0 is the NULL model (its residual df and deviance are
 * the fit's dfNull and nullDeviance); row i refits the GLM on the columns of
 * the first i terms (with the same offset and weights) and reports
 *
 *   Df = residDf_{i-1} - residDf_i,   Deviance = max(0, residDev_{i-1} - residDev_i),
 *
 * the last row being the full fit. Tests, with phi the full fit's dispersion
 * (1 for binomial and Poisson, else Pearson's estimate on its residual df):
 *
 *   Chisq:  P(chi^2_Df > Deviance / phi)
 *   F:      F = Deviance / Df / phi on (Df, residual df) (chi^2_Df / Df when phi is known)
 *
 * R 4.2's anova.glm prints no test unless asked (test = "Chisq" or "F"); since
 * R 4.3 it tests by default, Chisq when phi is known and F when it is
 * estimated, and so does this (test: 'none' leaves them out).
 */
import type { GeneralizedLinearModel } from '../../api/fit.js';
import { MixedModelsError } from '../../errors.js';
import { pchisqUpper, pfUpper } from '../../distributions/index.js';
import type { ModelFrame } from '../../frame/types.js';
import { glmFit } from '../../glm/glm.js';
import type { DevianceRow, GlmTest } from './types.js';

/** The frame restricted to the intercept and the first `terms` terms' columns. */
function firstTerms(frame: ModelFrame, terms: number): ModelFrame {
  const keep = Array.from(frame.assign, (a, j) => (a <= terms ? j : -1)).filter((j) => j >= 0);
  const n = frame.nobs, X = new Float64Array(n * keep.length);
  keep.forEach((j, c) => X.set(frame.X.subarray(j * n, (j + 1) * n), c * n));
  return { ...frame, X, p: keep.length, colnames: keep.map((j) => frame.colnames[j]), assign: Int32Array.from(keep, (j) => frame.assign[j]) };
}

/** The default test (R >= 4.3): Chisq when the dispersion is 1 (known), F otherwise. */
export function defaultGlmTest(model: GeneralizedLinearModel): GlmTest {
  return model.fit.dispersion === 1 ? 'Chisq' : 'F';
}

function testOf(test: GlmTest, df: number, deviance: number, phi: number, dfPhi: number): { F: number; pValue: number } {
  if (test === 'none' || !(df > 0)) return { F: NaN, pValue: NaN };
  if (test === 'Chisq') return { F: NaN, pValue: pchisqUpper(deviance / phi, df) };
  const F = deviance / df / phi;
  return { F, pValue: dfPhi === Infinity ? pchisqUpper(F * df, df) : pfUpper(F, df, dfPhi) };
}

/** The analysis of deviance table of a GLM (module comment). */
export function glmAnova(model: GeneralizedLinearModel, test: GlmTest = defaultGlmTest(model)): DevianceRow[] {
  if (test !== 'Chisq' && test !== 'F' && test !== 'none') throw new MixedModelsError(`the test must be 'Chisq', 'F' or 'none', not '${String(test)}'`);
  const { fit, frame } = model;
  const terms = frame.formula.fixed.terms;
  const residDf = [fit.dfNull], residDev = [fit.nullDeviance];
  for (let i = 1; i < terms.length; i++) {
    const sub = glmFit(firstTerms(frame, i), { family: fit.family, link: fit.link });
    residDf.push(sub.dfResidual);
    residDev.push(sub.deviance);
  }
  if (terms.length > 0) {
    residDf.push(fit.dfResidual);
    residDev.push(fit.deviance);
  }
  const phi = fit.dispersion, dfPhi = phi === 1 ? Infinity : fit.dfResidual;
  const rows: DevianceRow[] = [{ term: 'NULL', df: NaN, deviance: NaN, residDf: fit.dfNull, residDeviance: fit.nullDeviance, F: NaN, pValue: NaN }];
  terms.forEach((term, t) => {
    const df = residDf[t] - residDf[t + 1], deviance = Math.max(0, residDev[t] - residDev[t + 1]);
    rows.push({ term: term.label, df, deviance, residDf: residDf[t + 1], residDeviance: residDev[t + 1], ...testOf(test, df, deviance, phi, dfPhi) });
  });
  return rows;
}
