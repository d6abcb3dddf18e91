// summaryLm / summaryGlm beyond the R fixtures of printout.test.ts: the family argument of the call,
// markdown, and the lines added after R's block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitModel } from '../../src/api/fit.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { render } from '../../src/report/render.js';

const cbpp = readCsvFile(new URL('../fixtures/data/cbpp.csv', import.meta.url).pathname);
const sleep = readCsvFile(new URL('../fixtures/data/sleepstudy.csv', import.meta.url).pathname);
const CBPP = 'cbind(incidence, size - incidence) ~ period';

test('summaryGlm writes the family as R\'s call shows it: the name for the canonical link, else with its link', () => {
  const logit = render(fitModel(CBPP, cbpp, { factors: ['period'], family: 'binomial' }), 'text', { data: 'cbpp' });
  assert.match(logit, /^glm\(formula = cbind\(incidence, size - incidence\) ~ period, family = binomial,\n {4}data = cbpp\)$/m);
  const probit = render(fitModel(CBPP, cbpp, { factors: ['period'], family: 'binomial', link: 'probit' }), 'text');
  assert.match(probit, /^glm\(formula = cbind\(incidence, size - incidence\) ~ period, family = binomial\(link = "probit"\)\)$/m);
});

test('summaryGlm adds BIC and logLik after R\'s block, then the notes', () => {
  const lines = render(fitModel(CBPP, cbpp, { factors: ['period'], family: 'binomial' }), 'text').trimEnd().split('\n');
  const at = lines.findIndex((l) => l.startsWith('Number of Fisher Scoring iterations'));
  assert.deepEqual(lines.slice(at + 1, at + 2), ['']);
  assert.match(lines[at + 2], /^BIC: 214\.16, {2}logLik: -99\.0292 \(df=4\)$/);
});

test('summaryLm as markdown: the call on one line, residuals and coefficients as tables', () => {
  const md = render(fitModel('Reaction ~ Days', sleep), 'markdown', { data: 'sleepstudy' });
  assert.match(md, /^lm\(formula = Reaction \\~ Days, data = sleepstudy\)$/m);
  assert.match(md, /^\| Min \| 1Q \| Median \| 3Q \| Max \|$/m);
  assert.match(md, /^\| Days \| 10\.467 \| 1\.238 \| 8\.454 \| 9\.89e-15 \| \\\*\\\*\\\* \|$/m);
  assert.match(md, /^Multiple R-squared: {2}0\.2865,\tAdjusted R-squared: {2}0\.2825$/m);
});
