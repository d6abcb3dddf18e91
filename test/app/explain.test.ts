// Plain-language readings of the fit (app/src/model/explain.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainMessage, iccReading, lrtReading, pText, percent, r2Reading, signif } from '../../app/src/model/explain.js';

test('signif(), percent() and pText() print numbers for sentences', () => {
  assert.equal(signif(0.72171, 3), '0.722');
  assert.equal(signif(null), 'NA');
  assert.equal(signif(1.23e-7, 3), '1.23e-7');
  assert.equal(percent(0.7217), '72%');
  assert.equal(percent(0.0512), '5.1%');
  assert.equal(pText(0.00001), '< 0.001');
  assert.equal(pText(0.0123), '0.012');
});

test('iccReading() says how alike group members are, on the scale of the fit', () => {
  const strong = iccReading({ value: 0.7217, scale: 'observed', shares: [{ group: 'Subject', share: 0.7217 }] }, ['Subject']);
  assert.equal(strong.headline, 'Intraclass correlation (ICC): 0.722');
  assert.match(strong.sentences[0], /^72% of the variation .* between levels of Subject .* correlated by about 0\.72\.$/);
  assert.match(strong.sentences[1], /strongly resemble/);
  assert.match(iccReading({ value: 0.01, scale: 'latent', shares: [] }, ['id']).sentences.join(' '), /log-odds.*barely resemble/);
  assert.match(iccReading({ value: 0.2, scale: 'observed', shares: [{ group: 'a', share: 0.15 }, { group: 'b', share: 0.05 }] }, ['a', 'b']).sentences.join(' '), /moderately.*a 15%, b 5\.0%/);
});

test('r2Reading() puts the marginal and conditional R^2 in words', () => {
  assert.match(r2Reading({ marginal: 0.2787, conditional: 0.7992 }).sentences.join(' '), /alone explain 28% .* 80% .* The gap, 52%/);
});

test('explainMessage() does not read the notes on lme4\'s standard errors and nAGQ > 1 logLik as convergence failures', () => {
  const se = explainMessage("the standard errors are lme4's, from its Hessian by central differences of step 0.0001 over PIRLS stopped at a relative change of 1e-7; here they are up to 1.2% off those of the converged criterion's Hessian at the same estimates: (Intercept) 0.2324 (lme4's 0.2312)");
  assert.match(se.explanation, /matches R/);
  assert.doesNotMatch(se.explanation, /convergence checks/);
  assert.match(explainMessage("logLik -91.983, AIC and BIC are the marginal likelihood's, comparable with nAGQ = 1 and other models; lme4's for nAGQ > 1 leave out ...").explanation, /whole likelihood/);
  assert.match(explainMessage('the Hessian of the converged criterion at these estimates is not positive definite (they are no minimum of it): the standard errors ... are not reliable').explanation, /convergence checks/);
});

test('explainMessage() explains the library\'s messages and offers the refit it names', () => {
  assert.match(explainMessage('boundary (singular) fit: the variance of (1 | g) is estimated as 0; the model without this term fits the same').explanation, /estimated as zero/);
  assert.match(explainMessage('dropped 3 rows with missing values').explanation, /left out/);
  const laplace = explainMessage('the Laplace approximation is poor for these data: ... Fit with nAGQ = 10 to use those estimates.');
  assert.equal(laplace.nagq, 10);
  assert.match(laplace.explanation, /quadrature/);
  assert.match(explainMessage("grouping factor 'id' is a numeric column with 1000 distinct values").explanation, /categorical in the data preview/);
  assert.match(explainMessage('Model failed to converge with max|grad| = 0.01 (tol = 0.002, component 1)').explanation, /convergence checks/);
  assert.equal(explainMessage('something new').nagq, null);
});

test('lrtReading() reads the test of the random effects, and says it is conservative', () => {
  const lrt = { rows: [], chisq: 148.4, df: 3, pValue: 1e-30, refitted: true, messages: [] };
  const r = lrtReading(lrt, true).sentences.join(' ');
  assert.match(r, /fits clearly better \(χ²\(3\) = 148\.4, p < 0\.001\)/);
  assert.match(r, /conservative/);
  assert.match(r, /refitted by maximum likelihood/);
  assert.match(lrtReading({ ...lrt, chisq: 0.5, df: 1, pValue: 0.48, refitted: false }, false).sentences.join(' '), /does not fit clearly better .*p = 0\.48/);
});
