/** An L1-penalised mixed model as text or markdown: the path with BIC, the chosen fit's coefficients and variance components. */
import type { LassoMixedModel } from '../../penalized/lassoMixed.js';
import { markdownTable, signif, textTable } from '../format.js';
import { groupsLine, randomEffects } from '../merMod.js';
import { renderPieces } from '../printout.js';

type TextFormat = 'text' | 'markdown';

function table(header: string[], rows: string[][], format: TextFormat): string {
  return format === 'markdown' ? markdownTable(header, rows) : textTable(header, rows);
}

export function summaryLassoMixed(m: LassoMixedModel, format: TextFormat): string {
  const pt = m.path[m.selected];
  const kind = m.base === 'lmm' ? 'Linear mixed model' : `Generalized linear mixed model (family: ${m.family}, link: ${m.link}, Laplace)`;
  const lines = [`${kind} with an L1 penalty on the fixed effects (lmmlasso), fit by maximum likelihood`, `Formula: ${m.formula}`, ''];
  if (m.path.length > 1) {
    lines.push(`Path: ${m.path.length} lambda values; chosen by ${m.criterion}: lambda = ${signif(pt.lambda, 4)}`);
    const rows = m.path.map((p, k) => {
      let nz = 0;
      p.beta.forEach((b, j) => b !== 0 && m.weights[j] > 0 && nz++);
      return [signif(p.lambda, 4), signif(p.logLik, 7), signif(p.bic, 7), String(nz), k === m.selected ? '<- chosen' : ''];
    });
    lines.push(table(['lambda', 'logLik', 'BIC', 'penalised nonzero', ''], rows, format), '');
  } else lines.push(`lambda = ${signif(pt.lambda, 4)}`, '');
  lines.push(`logLik at the penalised estimates: ${signif(pt.logLik, 7)}  (df = ${pt.df}),  BIC: ${signif(pt.bic, 7)}`, '');
  lines.push(renderPieces([...randomEffects(m.varCorr, m.base === 'lmm'), groupsLine(m.frame.nobs, { ...m.ngrps })], format).trimEnd(), '');
  lines.push('Fixed effects (penalised estimates; 0 = dropped):');
  lines.push(table(['', 'Estimate', 'penalised'], m.frame.colnames.map((t, j) => [t, signif(pt.beta[j] + 0, 6), m.weights[j] > 0 ? 'yes' : 'no']), format));
  if (m.messages.length) lines.push('', ...m.messages.map((s) => `Note: ${s}`));
  return lines.join('\n') + '\n';
}
