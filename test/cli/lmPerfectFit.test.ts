// mixedmodels fit and anova of a linear model with a constant response or an exact fit: R's numbers
// and R's warnings (summary.lm's "essentially perfect fit", anova.lm's "ANOVA F-tests on an
// essentially perfect fit are unreliable") as notes; exit 0, as R fits these models.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvWriter, runCli } from './helpers.js';

const write = csvWriter('mm-lm-perfect-');
const xOf = (i: number) => ((i * 7) % 13) + 0.5 * i;
const constant = write('constant.csv', 'y,x', 30, (i) => `5,${xOf(i)}`);
const line = write('line.csv', 'y,x', 30, (i) => `${2 * xOf(i) + 1},${xOf(i)}`);
const ordinary = write('ordinary.csv', 'y,x', 30, (i) => `${2 * xOf(i) + 1 + Math.sin(3.1 * i)},${xOf(i)}`);
const exactConstant = write('exact-constant.csv', 'y,x', 4, (i) => `1,${2 ** i}`);
const exactLine = write('exact-line.csv', 'y,x', 4, (i) => `${2 * i + 1},${i}`);

const SUMMARY_NOTE = 'note: essentially perfect fit: summary may be unreliable (';
const ANOVA_NOTE = 'note: ANOVA F-tests on an essentially perfect fit are unreliable (';

test('mixedmodels fit of y = 1 on x = 1, 2, 4, 8 prints R\'s Inf, NaN and NA, then the notes', async () => {
  const r = await runCli(['fit', exactConstant, 'y ~ x']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  // R 4.2.2: print(summary(lm(y ~ x, data.frame(y = 1, x = c(1, 2, 4, 8))))), trailing blanks removed.
  assert.deepEqual(lines.slice(3, 19), [
    'Residuals:',
    '1 2 3 4',
    '0 0 0 0',
    '',
    'Coefficients:',
    '            Estimate Std. Error t value Pr(>|t|)',
    '(Intercept)        1          0     Inf   <2e-16 ***',
    'x                  0          0     NaN      NaN',
    '---',
    'Signif. codes:  0 ‘***’ 0.001 ‘**’ 0.01 ‘*’ 0.05 ‘.’ 0.1 ‘ ’ 1',
    '',
    'Residual standard error: 0 on 2 degrees of freedom',
    'Multiple R-squared:    NaN,\tAdjusted R-squared:    NaN',
    'F-statistic:   NaN on 1 and 2 DF,  p-value: NA',
    '',
    'logLik: Inf (df=3),  AIC: -Inf,  BIC: -Inf',
  ]);
  assert.match(r.stdout, /\nnote: the response 'y' is constant \(every value is 1\): /);
  assert.ok(r.stdout.includes(`\n${SUMMARY_NOTE}`), r.stdout);
});

test('mixedmodels fit of a constant response exits 0 with R\'s warning among the notes and messages', async () => {
  const r = await runCli(['fit', constant, 'y ~ x']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`\n${SUMMARY_NOTE}`), r.stdout);
  const json = JSON.parse((await runCli(['fit', constant, 'y ~ x', '--format', 'json'])).stdout);
  assert.equal(json.messages.length, 2);
  assert.match(json.messages[0], /^the response 'y' is constant \(every value is 5\)/);
  assert.match(json.messages[1], /^essentially perfect fit: summary may be unreliable/);
  assert.equal(json.converged, true);
});

test('mixedmodels anova of a constant response gives a table and R\'s anova.lm warning on stderr', async () => {
  for (const file of [constant, exactConstant]) {
    const r = await runCli(['anova', file, 'y ~ x']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.startsWith(ANOVA_NOTE), r.stderr);
    assert.match(r.stdout, /\nResiduals +\d+ /);
  }
  // R: x 1 0 0 NaN NaN (printed blank here), Residuals 2 0 0.
  const rows = JSON.parse((await runCli(['anova', exactConstant, 'y ~ x', '--format', 'json'])).stdout);
  assert.deepEqual(rows.map((x: any) => [x.term, x.numDf, x.sumSq, x.meanSq, x.F]), [['x', 1, 0, 0, null], ['Residuals', 2, 0, 0, null]]);
});

test('mixedmodels fit and anova warn on y = 2x + 1 exactly, not on y = 2x + 1 + noise', async () => {
  const fit = await runCli(['fit', line, 'y ~ x']);
  assert.equal(fit.code, 0, fit.stderr);
  assert.ok(fit.stdout.includes(`\n${SUMMARY_NOTE}`), fit.stdout);
  assert.doesNotMatch(fit.stdout, /is constant/);
  const anova = await runCli(['anova', line, 'y ~ x']);
  assert.ok(anova.stderr.startsWith(ANOVA_NOTE), anova.stderr);
  const noisy = await runCli(['fit', ordinary, 'y ~ x']);
  assert.equal(noisy.code, 0, noisy.stderr);
  assert.doesNotMatch(noisy.stdout, /note:/);
  assert.deepEqual(JSON.parse((await runCli(['fit', ordinary, 'y ~ x', '--format', 'json'])).stdout).messages, []);
  assert.equal((await runCli(['anova', ordinary, 'y ~ x'])).stderr, '');
});

test('mixedmodels anova of y = 2x + 1 on x = 0..3 (residuals exactly 0) prints R\'s table', async () => {
  const r = await runCli(['anova', exactLine, 'y ~ x']);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stderr.startsWith(ANOVA_NOTE), r.stderr);
  // R 4.2.2: print(anova(lm(y ~ x, data.frame(x = 0:3, y = 2 * (0:3) + 1)))), trailing blanks removed, ASCII quotes in the legend.
  assert.equal(r.stdout, [
    'Analysis of Variance Table',
    '',
    'Response: y',
    '          Df Sum Sq Mean Sq F value    Pr(>F)',
    'x          1     20      20     Inf < 2.2e-16 ***',
    'Residuals  2      0       0',
    '---',
    "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1",
    '',
  ].join('\n'));
});
