// The pieces of lme4's summary printout (merMod.ts), against lines R 4.2.2 / lme4 1.1-31 printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aicTable, groupsLine, methodTitle, randomEffects, remlLine, scaledResiduals } from '../../src/report/merMod.js';
import { renderPieces } from '../../src/report/printout.js';

const text = (p: Parameters<typeof renderPieces>[0]) => renderPieces(p, 'text').trimEnd().split('\n');

test('methodTitle(title, class) is one line with the class quoted, or wrapped at 80 without quotes', () => {
  assert.deepEqual(text([methodTitle('Linear mixed model fit by REML', 'lmerMod')]), ["Linear mixed model fit by REML ['lmerMod']"]);
  assert.deepEqual(text([methodTitle('Linear mixed model fit by maximum likelihood . t-tests use Satterthwaite\'s method', 'lmerModLmerTest')]), [
    "Linear mixed model fit by maximum likelihood . t-tests use Satterthwaite's",
    '  method [lmerModLmerTest]',
  ]);
});

test('aicTable and remlLine round to one decimal and print df.resid as an integer', () => {
  assert.deepEqual(text([aicTable({ AIC: 1763.939, BIC: 1783.097, logLik: -875.9697, deviance: 1751.939, dfResid: 174 })]), [
    '     AIC      BIC   logLik deviance df.resid',
    '  1763.9   1783.1   -876.0   1751.9      174',
  ]);
  assert.deepEqual(text([remlLine(1743.628)]), ['REML criterion at convergence: 1743.6']);
});

test('scaledResiduals prints the quantiles zapsmall()ed to 5 digits and printed to 4', () => {
  const r = [-3.953623, -0.4634, 0.023105, 0.4634, 5.179287];
  assert.deepEqual(text(scaledResiduals(r)), ['Scaled residuals:', '    Min      1Q  Median      3Q     Max', '-3.9536 -0.4634  0.0231  0.4634  5.1793']);
});

test('randomEffects formats each column as one vector (612.10, 35.07) and the correlations to two decimals', () => {
  const vc = {
    terms: [{ group: 'Subject', factor: 'Subject', term: '(Days | Subject)', cnames: ['(Intercept)', 'Days'], sd: Float64Array.of(24.74065, 5.922138), corr: Float64Array.of(1, 0.06555, 0.06555, 1), cov: new Float64Array(4) }],
    residualSd: 25.59182,
  };
  // R: the sleepstudy REML fit
  assert.deepEqual(text(randomEffects(vc, true)), [
    'Random effects:',
    ' Groups   Name        Variance Std.Dev. Corr',
    ' Subject  (Intercept) 612.10   24.741',
    '          Days         35.07    5.922   0.07',
    ' Residual             654.94   25.592',
  ]);
});

test('groupsLine lists the grouping factors after two spaces, on a new line when they pass 80 characters', () => {
  assert.deepEqual(text([groupsLine(144, { plate: 24, sample: 6 })]), ['Number of obs: 144, groups:  plate, 24; sample, 6']);
  const many = Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`grouping_factor_${i}`, 10 + i]));
  const lines = text([groupsLine(1000, many)]);
  assert.equal(lines[0], 'Number of obs: 1000, groups:');
  assert.match(lines[1], /^grouping_factor_0, 10; /);
});
