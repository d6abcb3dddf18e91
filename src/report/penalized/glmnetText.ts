/**
 * An elastic-net fit as text or markdown: the model, the chosen lambdas, the
 * cross-validation curve (every few lambdas, with lambda.min and lambda.1se),
 * and the nonzero coefficients at lambda.1se (or at the last lambda).
 */
import { glmnetCoefficients, type CvGlmnetModel, type GlmnetModel } from '../../glmnet/glmnet.js';
import { markdownTable, signif, textTable } from '../format.js';

export type TextFormat = 'text' | 'markdown';

const CURVE_ROWS = 20;

function table(header: string[], rows: string[][], format: TextFormat): string {
  return format === 'markdown' ? markdownTable(header, rows) : textTable(header, rows);
}

function penaltyName(alpha: number): string {
  return alpha === 1 ? 'lasso' : alpha === 0 ? 'ridge' : 'elastic net';
}

export function summaryGlmnet(model: GlmnetModel | CvGlmnetModel, format: TextFormat): string {
  const { path, frame } = model;
  const pts = path.points;
  const cv = 'cv' in model ? model.cv : null;
  const lines = [
    `Penalised ${model.family} regression (glmnet), ${penaltyName(model.alpha)}, alpha = ${model.alpha}`,
    `Formula: ${model.formula}`,
    `Observations: ${frame.nobs}${frame.nDropped > 0 ? ` (${frame.nDropped} dropped)` : ''};  columns: ${frame.design.p};  ` +
      `lambda: ${pts.length} values from ${signif(pts[0].lambda, 4)} to ${signif(pts[pts.length - 1].lambda, 4)}`,
    '',
  ];
  if (cv) {
    lines.push(`Cross-validation: ${cv.nfolds} folds, ${cv.name}`);
    const mark = (m: number) => (m === cv.indexMin ? 'lambda.min' : m === cv.index1se ? 'lambda.1se' : '');
    const step = Math.max(1, Math.ceil(cv.lambda.length / CURVE_ROWS));
    const shown = Array.from(cv.lambda.keys()).filter((m) => m % step === 0 || m === cv.indexMin || m === cv.index1se);
    const rows = shown.map((m) => [signif(cv.lambda[m], 4), signif(cv.cvm[m], 5), signif(cv.cvsd[m], 3), String(cv.nzero[m]), mark(m)]);
    lines.push(table(['lambda', 'measure', 'SE', 'nonzero', ''], rows, format), '');
  }
  const at = cv ? `lambda.1se = ${signif(cv.lambda1se, 4)}` : `lambda = ${signif(pts[pts.length - 1].lambda, 4)}`;
  const coefs = glmnetCoefficients(model, cv ? 'lambda.1se' : pts[pts.length - 1].lambda);
  const nonzero = coefs.filter((c) => c.estimate !== 0 || c.term === '(Intercept)');
  lines.push(`Coefficients at ${at} (${nonzero.length} of ${coefs.length} nonzero):`);
  lines.push(table(['', 'Estimate'], nonzero.map((c) => [c.term, signif(c.estimate, 5)]), format));
  if (model.messages.length) lines.push('', ...model.messages.map((m) => `Note: ${m}`));
  return lines.join('\n') + '\n';
}
