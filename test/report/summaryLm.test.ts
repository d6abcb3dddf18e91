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

const grouse = readCsvFile(new URL('../fixtures/data/grouseticks.csv', import.meta.url).pathname);

// R 4.2.2, MASS 7.3-58: print(summary(glm.nb(TICKS ~ YEAR + scale(HEIGHT), data = d))), lines without R's trailing spaces.
test('summaryGlm of glm.nb prints MASS\'s call, family and theta lines', () => {
  const text = render(fitModel('TICKS ~ YEAR + scale(HEIGHT)', grouse, { factors: ['YEAR'], family: 'negative.binomial' }), 'text', { data: 'd' });
  const lines = text.split('\n').map((l) => l.trimEnd());
  assert.deepEqual(lines.slice(1, 3), ['glm.nb(formula = TICKS ~ YEAR + scale(HEIGHT), data = d, init.theta = 0.7795175221,', '    link = log)']);
  assert.ok(lines.includes('(Dispersion parameter for Negative Binomial(0.7795) family taken to be 1)'));
  const at = lines.indexOf('Number of Fisher Scoring iterations: 1');
  assert.deepEqual(lines.slice(at + 1, at + 7), ['', '', '              Theta:  0.7795', '          Std. Err.:  0.0719', '', ' 2 x log-likelihood:  -1931.7160']);
});

test('summaryGlm of a GLM with a given theta names the family with its theta', () => {
  const text = render(fitModel('TICKS ~ YEAR', grouse, { factors: ['YEAR'], family: 'negative.binomial', nbTheta: 1, link: 'sqrt' }), 'text');
  assert.match(text, /family = negative\.binomial\(theta = 1, link = "sqrt"\)/);
  assert.match(text, /^\(Dispersion parameter for Negative Binomial\(1\) family taken to be 1\)$/m);
  assert.doesNotMatch(text, /Theta:/);
});
