/**
 * A likelihood-ratio comparison as lme4's anova(m0, m1, ...) prints it
 * (anova.merMod's heading, then print.anova: printCoefmat with digits = 5):
 *
 *   Data: <data>
 *   Models:
 *   m0: <formula>            (rows ordered by npar; m0, m1, ... name the
 *   m1: <formula>             models in the order they were given)
 *      npar    AIC    BIC  logLik deviance  Chisq Df Pr(>Chisq)
 *   m0    5 1785.5 1801.4 -887.74   1775.5
 *   m1    6 1763.9 1783.1 -875.97   1751.9 23.537  1  1.226e-06 ***
 *
 * npar, AIC, BIC, logLik and deviance are zapsmall()ed and each formatted as a
 * column to 5 significant digits (so a column shares its decimals); Chisq is
 * rounded to 4 decimals, then formatted to 5 digits; p-values by format.pval
 * with 4 digits; stars and their legend when some p < 0.1; empty cells for the
 * first row's test.
 */
import type { Comparison } from '../inference/compare.js';
import type { Json } from './json.js';
import { coefmat } from './r/printCoefmat.js';
import { coefPieces } from './merMod.js';
import { renderPieces, type Piece, type TextFormat } from './printout.js';

const HEADER = ['npar', 'AIC', 'BIC', 'logLik', 'deviance', 'Chisq', 'Df', 'Pr(>Chisq)'];

const na = (x: number): number | null => (Number.isNaN(x) ? null : x);

/** The comparison's text or markdown; `data` names the data on the `Data:` line. */
export function formatComparison(c: Comparison, format: TextFormat, options: { data?: string } = {}): string {
  const names = c.models.map((m) => `m${m.index}`);
  const rows = c.models.map((m) => [m.npar, m.AIC, m.BIC, m.logLik, m.deviance, na(m.chisq), na(m.df), na(m.pValue)]);
  const table = coefmat(rows, HEADER, names, { digits: 5, cs: [], tst: [5], zap: [0, 1, 2, 3, 4], hasP: true, naPrint: '' });
  const data = options.data === undefined ? [] : [`Data: ${options.data}`];
  const models = c.models.map((m, i) => `${names[i]}: ${m.formula}`);
  const heading: Piece[] = format === 'text' ? [...data, 'Models:', ...models] : [...data.flatMap((d) => [d, '']), 'Models:', '', ...models.map((l) => `- ${l}`), ''];
  return renderPieces([...heading, ...coefPieces(table)], format);
}

/**
 * The comparison as JSON: the models (named as in the table), each with its row's test against
 * the row before (null for the first, as the table's empty cells), and the last row's test at the top.
 */
export function comparisonJson(c: Comparison): Json {
  const num = (x: number) => (Number.isFinite(x) ? x : null);
  const models = c.models.map((m) => ({
    name: `m${m.index}`, formula: m.formula, npar: m.npar, AIC: m.AIC, BIC: m.BIC, logLik: m.logLik, deviance: m.deviance,
    chisq: num(m.chisq), df: num(m.df), pValue: num(m.pValue),
  }));
  return { models, chisq: num(c.chisq), df: num(c.df), pValue: num(c.pValue), refitted: c.refitted, messages: c.messages };
}
