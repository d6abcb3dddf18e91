/**
 * An evaluation as text or markdown, as the click-through study prints it:
 * the mean (sd) score per method over the new data sets (or folds) with each
 * method's fit time, then the fixed effects each method estimates.
 */
import type { Evaluation } from '../../evaluate/evaluate.js';
import { markdownTable, signif, textTable } from '../format.js';

type TextFormat = 'text' | 'markdown';

const NAMES: Record<string, string> = {
  mspe: 'mean squared prediction error (MSPE)',
  rmse: 'root mean squared prediction error',
  deviance: 'mean deviance',
  logloss: 'log loss',
  auc: 'AUC',
};

function table(header: string[], rows: string[][], format: TextFormat): string {
  return format === 'markdown' ? markdownTable(header, rows) : textTable(header, rows);
}

/**
 * An Evaluation as the CLI prints it (text or markdown): mean (sd) per method, fit times and the fixed effects of each method.
 */
export function summaryEvaluation(e: Evaluation, format: TextFormat): string {
  const over = e.mode === 'newdata' ? `${e.sets.length} new data set${e.sets.length === 1 ? '' : 's'}` : `${e.sets.length}-fold cross-validation`;
  const lines = [`${NAMES[e.metric]} of each method, ${over} (family: ${e.family})`, ''];
  lines.push(table(['method', e.metric, '(sd)', 'fit (s)'], e.methods.map((m) => [m.method, signif(m.mean, 5), `(${signif(m.sd, 3)})`, m.fitSeconds.toFixed(3)]), format), '');
  const terms = [...new Set(e.methods.flatMap((m) => m.coefficients.map((c) => c.term)))];
  if (terms.length > 0) {
    lines.push('Fixed effects (other than the grouping factors):');
    const rows = terms.map((t) => [t, ...e.methods.map((m) => {
      const c = m.coefficients.find((x) => x.term === t);
      return c === undefined ? '' : signif(c.estimate, 5);
    })]);
    lines.push(table(['', ...e.methods.map((m) => m.method)], rows, format));
  }
  const notes = [...new Set(e.methods.flatMap((m) => m.messages))];
  if (notes.length) lines.push('', ...notes.map((s) => `Note: ${s}`));
  return lines.join('\n') + '\n';
}
