/**
 * The same fit outside the page: the `mixedmodels` command line that gives the
 * same JSON, and the R code (lme4, lmerTest) that fits the same model.
 *
 * Which model follows the library's rule (api/fit.ts): no random-effects bars
 * and no family is lm, no bars with a family glm; bars with gaussian/identity
 * lmer, with any other family glmer.
 */
import { fitOptions, isDefaultFamily, type ModelOptions } from './options.js';

export type ModelKind = 'lm' | 'glm' | 'lmm' | 'glmm';

/** Which model these settings fit (a formula with a `|` has random effects). */
export function modelKind(formula: string, o: ModelOptions): ModelKind {
  const bars = /\|/.test(formula);
  if (isDefaultFamily(o)) return bars ? 'lmm' : 'lm';
  return bars ? 'glmm' : 'glm';
}

/** One shell word: single-quoted unless it is plainly safe (POSIX shells). */
export function shellWord(s: string): string {
  return /^[A-Za-z0-9_./,=:@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `npx mixedmodels fit <file> '<formula>' [flags]`: prints the page's summary; with `--format json` its JSON. */
export function cliCommand(file: string, formula: string, o: ModelOptions, format: 'text' | 'json' = 'json'): string {
  const f = fitOptions(o);
  const kind = modelKind(formula, o);
  const words = ['npx', 'mixedmodels', 'fit', shellWord(file), shellWord(formula)];
  if (f.factors && f.factors.length > 0) words.push('--factor', shellWord(f.factors.join(',')));
  if (f.family !== undefined) words.push('--family', shellWord(f.family));
  if (f.link !== undefined) words.push('--link', shellWord(f.link));
  if (o.weights !== '') words.push('--weights', shellWord(o.weights));
  if (!o.reml && kind === 'lmm') words.push('--ml');
  if (kind === 'glmm' && o.nagq !== 1) words.push('--nagq', String(o.nagq));
  if (format === 'json') words.push('--format', 'json');
  return words.join(' ');
}

/** A string literal in R. */
export function rString(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** A column as R code: `d$x`, or `d[["my col"]]` for a name R would need quoted. */
function rColumn(name: string): string {
  return /^[A-Za-z][A-Za-z0-9._]*$/.test(name) ? `d$${name}` : `d[[${rString(name)}]]`;
}

function rFamily(o: ModelOptions): string {
  return o.link === '' ? `${o.family}` : `${o.family}(link = ${rString(o.link)})`;
}

/** R code (lme4, lmerTest, performance) that fits the same model to the same file. */
export function rCode(file: string, formula: string, o: ModelOptions): string {
  const kind = modelKind(formula, o);
  const lines: string[] = [];
  if (kind === 'lmm') lines.push('library(lmerTest)  # lme4 with Satterthwaite p-values');
  if (kind === 'glmm') lines.push('library(lme4)');
  lines.push(`d <- read.csv(${rString(file)}, check.names = FALSE)`);
  for (const c of o.factors) lines.push(`${rColumn(c)} <- factor(${rColumn(c)})`);
  const args = [formula, 'data = d'];
  // As a column of d, escaped as a string: a backtick-quoted name would let a column name end the quote and run code.
  if (o.weights !== '') args.push(`weights = ${rColumn(o.weights)}`);
  switch (kind) {
    case 'lm':
      lines.push(`m <- lm(${args.join(', ')})`);
      break;
    case 'glm':
      lines.push(`m <- glm(${[...args, `family = ${rFamily(o)}`].join(', ')})`);
      break;
    case 'lmm':
      lines.push(`m <- lmer(${[...args, `REML = ${o.reml ? 'TRUE' : 'FALSE'}`].join(', ')})`);
      break;
    case 'glmm':
      lines.push(`m <- glmer(${[...args, `family = ${rFamily(o)}`, ...(o.nagq !== 1 ? [`nAGQ = ${o.nagq}`] : [])].join(', ')})`);
      break;
  }
  lines.push('summary(m)');
  if (kind === 'lmm' || kind === 'glmm') {
    lines.push('performance::icc(m)          # intraclass correlation');
    lines.push('performance::r2_nakagawa(m)  # marginal and conditional R^2');
  }
  return lines.join('\n') + '\n';
}
