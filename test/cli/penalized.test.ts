// `fit --penalty`, `plot cv|path` and `evaluate` through the CLI: the JSON fields the README documents,
// glmnet's numbers (test/fixtures/refs/glmnet_gauss_lasso.json), and one clear line for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { csvWriter, dataFile, fitJson, readRef, runCli } from './helpers.js';

const GAUSS = 'y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 + x11 + x12 + x13 + x14 + x15 + x16 + x17 + x18 + x19 + x20 + region';

test('mixedmodels fit --penalty lasso --foldid fold --format json gives glmnet\'s path, CV and coefficients', async () => {
  const ref = readRef('glmnet_gauss_lasso');
  const out = await fitJson([dataFile('enet_gauss'), GAUSS, '--penalty', 'lasso', '--foldid', 'fold']);
  assert.equal(out.model, 'glmnet');
  assert.equal(out.family, 'gaussian');
  assert.equal(out.alpha, 1);
  assert.equal(out.nobs, 300);
  assert.equal(out.lambda.length, ref.lambda.length);
  assert.equal(out.df.length, out.lambda.length);
  assert.equal(out.devRatio.length, out.lambda.length);
  assert.ok(Math.abs(out.cv.lambdaMin - ref.lambda_min) < 1e-10);
  assert.ok(Math.abs(out.cv.lambda1se - ref.lambda_1se) < 1e-10);
  assert.equal(out.cv.measure, 'mse');
  assert.equal(out.coefficients.length, 26, 'every term, zeros included');
  const at1se = Object.fromEntries(out.coefficients.map((c: any) => [c.term, c.estimate]));
  for (const [t, v] of Object.entries(ref.coef_1se) as [string, number][]) assert.ok(Math.abs(at1se[t] - v) < 1e-4 * Math.max(1, Math.abs(v)), t);
  assert.equal(out.coefficientsMin.length, 26);
  assert.equal(out.path.length, out.lambda.length);
  assert.equal(out.path[0].coefficients.length, 26);
});

test('mixedmodels fit --penalty enet --alpha 0.5 --lambda 0.1 fits one lambda without cross-validation, as text', async () => {
  const r = await runCli(['fit', dataFile('enet_gauss'), 'y ~ x1 + x2 + region', '--penalty', 'enet', '--alpha', '0.5', '--lambda', '0.1']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Penalised gaussian regression \(glmnet\), elastic net, alpha = 0.5/);
  assert.match(r.stdout, /Coefficients at lambda = 0.1/);
  assert.doesNotMatch(r.stdout, /Cross-validation/);
});

test('mixedmodels fit "<formula with bars>" --penalty lasso fits the L1-penalised mixed model with its path', async () => {
  const out = await fitJson([dataFile('lasso_lmm'), 'y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + (1 | g)', '--penalty', 'lasso', '--factor', 'g', '--nlambda', '8']);
  assert.equal(out.model, 'lmm');
  assert.equal(out.penalty, 'lasso');
  assert.equal(out.path.length, 8);
  assert.equal(out.selected.criterion, 'BIC');
  assert.ok(out.path[0].coefficients.every((c: any) => c.term === '(Intercept)' || c.estimate === 0));
  assert.ok(out.varCorr.some((v: any) => v.group === 'g'));
  assert.equal(out.coefficients.length, 9);
  assert.ok(Number.isFinite(out.logLik) && Number.isFinite(out.BIC));
});

test('mixedmodels plot cv|path writes the cross-validation curve and the coefficient paths', async () => {
  const write = csvWriter('mm-pen-');
  const dir = write('x.csv', 'a', 1, () => '1').replace(/x\.csv$/, '');
  for (const kind of ['cv', 'path']) {
    const out = join(dir, `${kind}.json`);
    const r = await runCli(['plot', kind, dataFile('enet_gauss'), 'y ~ x1 + x2 + x3 + region', '--foldid', 'fold', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const spec = JSON.parse(readFileSync(out, 'utf8'));
    assert.ok(Array.isArray(spec.layer));
    assert.match(JSON.stringify(spec.title), kind === 'cv' ? /Cross-validation/ : /Coefficient paths/);
  }
});

test('mixedmodels evaluate --folds 3 prints the table of mean (sd) scores and fit times', async () => {
  const r = await runCli(['evaluate', dataFile('flipped'), 'score ~ style + (1 | professor)', '--factor', 'professor', '--methods', 'lmm,lm,ridge', '--folds', '3']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /mean squared prediction error \(MSPE\) of each method, 3-fold cross-validation/);
  assert.match(r.stdout, /^lmm\s+\S+\s+\(\S+\)\s+\d/m);
  const j = await runCli(['evaluate', dataFile('flipped'), 'score ~ style + (1 | professor)', '--factor', 'professor', '--methods', 'lm', '--folds', '3', '--format', 'json']);
  const out = JSON.parse(j.stdout);
  assert.equal(out.metric, 'mspe');
  assert.deepEqual(Object.keys(out.methods[0]).sort(), ['coefficients', 'fitSeconds', 'mean', 'messages', 'method', 'scores', 'sd']);
  assert.equal(out.methods[0].scores.length, 3);
});

async function fails(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, 'one line');
}

test('bad penalised input gets one clear line and exit 1', async () => {
  const write = csvWriter('mm-pen-bad-');
  const onefold = write('onefold.csv', 'y,x,f', 12, (i) => `${i % 3},${i},1`);
  const gaps = write('missing.csv', 'y,x,f', 12, (i) => `${i % 3},${i},${i === 4 ? 'NA' : (i % 3) + 1}`);
  const nodisplay = write('nodisplay.csv', 'clicks,expos,id', 3, (i) => `${i},5,${i + 1}`);
  await fails(['fit', dataFile('enet_gauss'), 'y ~ x1 + x2', '--penalty', 'lasso', '--family', 'Gamma'], /supports the gaussian, binomial and poisson families, not 'Gamma'/);
  await fails(['fit', dataFile('enet_gauss'), 'y ~ x1 + x2', '--penalty', 'enet', '--alpha', '1.5'], /--alpha must be a number between 0 and 1/);
  await fails(['fit', dataFile('enet_gauss'), 'y ~ x1 + x2', '--penalty', 'lasso', '--alpha', '0.3'], /--penalty lasso means alpha = 1/);
  await fails(['fit', onefold, 'y ~ x', '--penalty', 'lasso', '--foldid', 'f'], /at least 3 folds/);
  await fails(['fit', gaps, 'y ~ x', '--penalty', 'lasso', '--foldid', 'f'], /row 5 has a missing value/);
  await fails(['fit', dataFile('enet_gauss'), 'y ~ x1', '--penalty', 'lasso', '--lambda', '0.1,-2'], /--lambda must be non-negative numbers/);
  await fails(['fit', dataFile('lasso_lmm'), 'y ~ x1 + (1 | g)', '--penalty', 'ridge', '--factor', 'g'], /takes --penalty lasso/);
  await fails(['evaluate', dataFile('ctrstudy_a'), 'cbind(clicks, expos - clicks) ~ display + (1 | id)', '--family', 'binomial', '--factor', 'id', '--methods', 'glm', '--newdata', nodisplay], /has no column 'display'/);
  await fails(['evaluate', dataFile('ctrstudy_a'), 'cbind(clicks, expos - clicks) ~ display + (1 | id)', '--family', 'binomial', '--methods', 'lm'], /lm needs the gaussian family/);
});
