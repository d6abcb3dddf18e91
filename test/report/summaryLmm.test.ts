// summaryLmm / summaryGlmm beyond the R fixtures of printout.test.ts: titles for every nAGQ and ddf,
// the correlation option, markdown, and the library's default without a data name.
// R's lines quoted here were printed by R 4.2.2 with lme4 1.1-31 / lmerTest 3.1-3 for the same fits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitModel } from '../../src/api/fit.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { render } from '../../src/report/render.js';

const file = (name: string) => new URL(`../fixtures/data/${name}.csv`, import.meta.url).pathname;
const sleep = readCsvFile(file('sleepstudy'));
const cbpp = readCsvFile(file('cbpp'));
const SLEEP = 'Reaction ~ Days + (Days | Subject)';
const CBPP = 'cbind(incidence, size - incidence) ~ period + (1 | herd)';

test('summaryGlmm titles nAGQ = 0 and nAGQ = 25 fits as lme4: Adaptive Gauss-Hermite Quadrature, nAGQ = n', () => {
  for (const nAGQ of [0, 25]) {
    const text = render(fitModel(CBPP, cbpp, { factors: ['herd', 'period'], family: 'binomial', nAGQ }), 'text');
    // R: print(summary(glmer(..., nAGQ = 25)))
    assert.deepEqual(text.split('\n').slice(0, 2), ['Generalized linear mixed model fit by maximum likelihood (Adaptive', `  Gauss-Hermite Quadrature, nAGQ = ${nAGQ}) [glmerMod]`]);
  }
});

test('summaryLmm titles an ML fit without df as lme4 does, with its two spaces', () => {
  const text = render(fitModel(SLEEP, sleep, { factors: ['Subject'], REML: false, ddf: 'none' }), 'text');
  assert.equal(text.split('\n')[0], "Linear mixed model fit by maximum likelihood  ['lmerMod']");
});

test('summaryLmm prints a three-column correlation block of the random effects as R (poly(Days, 2) slopes)', () => {
  const text = render(fitModel('Reaction ~ poly(Days, 2) + (poly(Days, 2) | Subject)', sleep, { factors: ['Subject'] }), 'text');
  const lines = text.split('\n');
  const at = lines.indexOf('Random effects:');
  // R: " Subject  (Intercept)     1422.3   37.71", "          poly(Days, 2)1 54537.7  233.53    0.73", ...
  assert.equal(lines[at + 1], ' Groups   Name           Variance Std.Dev. Corr');
  assert.match(lines[at + 3], /^ {10}poly\(Days, 2\)1 545\d\d\.\d  233\.5\d    0\.73$/);
  assert.match(lines[at + 4], /^ {10}poly\(Days, 2\)2 2026\d\.\d  142\.3\d   -0\.14 -0\.02$/);
  assert.match(lines[at + 5], /^ Residual {18}518\.2   22\.76$/);
});

test('render(m, \'text\', { correlation }) shows or hides the correlation of the fixed effects', () => {
  const m = fitModel(SLEEP, sleep, { factors: ['Subject'] });
  assert.match(render(m, 'text'), /Correlation of Fixed Effects:\n {5}\(Intr\)\nDays -0\.138\n/);
  assert.doesNotMatch(render(m, 'text', { correlation: false }), /Correlation/);
  const cake = fitModel('angle ~ recipe * temperature + (1 | recipe:replicate)', readCsvFile(file('cake')), { factors: ['replicate', 'temperature'] });
  assert.match(render(cake, 'text'), /Correlation matrix not shown by default, as p = 18 > 12\./);
  const shown = render(cake, 'text', { correlation: true });
  assert.match(shown, /Correlation of Fixed Effects:\n {12}\(Intr\) recipB recipC/);
});

test('render(m, \'text\') without a data name prints no Data: line, as R without a data argument', () => {
  const text = render(fitModel(SLEEP, sleep, { factors: ['Subject'] }), 'text');
  assert.doesNotMatch(text, /Data:/);
  assert.match(render(fitModel(SLEEP, sleep, { factors: ['Subject'] }), 'text', { data: 'sleepstudy' }), /^ {3}Data: sleepstudy$/m);
});

test('summaryLmm puts the lines R does not print after its block: ICC, R^2, optimiser, then notes', () => {
  const text = render(fitModel('Yield ~ 1 + (1 | Batch)', readCsvFile(file('Dyestuff2')), { factors: ['Batch'] }), 'text');
  const tail = text.slice(text.indexOf('Signif. codes')).split('\n').slice(1);
  assert.equal(tail[0], '');
  assert.match(tail[1], /^Intraclass correlation \(adjusted\): /);
  assert.match(tail[2], /^R-squared \(Nakagawa\): /);
  assert.match(tail[3], /^optimizer: /);
  assert.equal(tail[4], '');
  assert.match(tail[5], /^note: boundary \(singular\) fit/);
});

test('render(m, \'markdown\') gives each of R\'s tables as a markdown table, the title on one line', () => {
  const md = render(fitModel(SLEEP, sleep, { factors: ['Subject'] }), 'markdown', { data: 'sleepstudy' });
  assert.match(md, /^Linear mixed model fit by REML\. t-tests use Satterthwaite's method \\\[lmerModLmerTest\\\]$/m);
  assert.match(md, /^Data: sleepstudy$/m);
  assert.match(md, /^\| Min \| 1Q \| Median \| 3Q \| Max \|\n\| --- \|/m);
  assert.match(md, /^\| Subject \| \(Intercept\) \| 612\.\d\d \| 24\.74\d \|  \|$/m);
  assert.match(md, /^\| \(Intercept\) \| 251\.405 \| 6\.825 \| 17\.000 \| 36\.838 \| &lt; 2e-16 \| \\\*\\\*\\\* \|$/m);
  assert.match(md, /^\| Days \| -0\.138 \|$/m);
  assert.doesNotMatch(md, /\n\n\n/);
});

test('summaryGlmm scales the residuals of a cbind() response with prior weights by weights times trials, as lme4', () => {
  // R: m <- glmer(cbind(succ, fail) ~ x + trt + (1 | g), d, binomial, weights = w2)
  //    quantile(residuals(m, "pearson", scaled = TRUE)): -3.62105383295 -1.00834886532 -0.03170284933 0.96747256714 5.19871629521
  const d = readCsvFile(file('binomial_cbind_weights'));
  const text = render(fitModel('cbind(succ, fail) ~ x + trt + (1 | g)', d, { family: 'binomial', weights: 'w2' }), 'text').split('\n');
  const at = text.indexOf('Scaled residuals:');
  assert.deepEqual(text.slice(at, at + 3), ['Scaled residuals:', '    Min      1Q  Median      3Q     Max', '-3.6211 -1.0083 -0.0317  0.9675  5.1987']);
});
