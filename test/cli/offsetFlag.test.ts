// `--offset col` is lme4's and glm's `offset =`: every fit the CLI makes gives exactly the numbers of
// `offset(col)` in the formula (the same fit, so to 1e-10), and a missing or text column is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { withOffset } from '../../src/cli/offsetFlag.js';
import { MixedModelsError } from '../../src/errors.js';
import { assertClose, csvWriter, dataFile, fitFails, fitJson, runCli } from './helpers.js';

const SLEEP = dataFile('sleepstudy');
const csv = csvWriter('mm-offset-');

/** nbsim (counts y, exposure expo) with log(expo) as a column of its own, `lexpo`. */
function nbsimWithLogExposure(): string {
  const [header, ...rows] = readFileSync(dataFile('nbsim'), 'utf8').trim().split('\n');
  const expo = header.split(',').indexOf('"expo"');
  return csv('nbsim.csv', `${header},lexpo`, rows.length, (i) => `${rows[i]},${Math.log(Number(rows[i].split(',')[expo]))}`);
}

/** Coefficients, their standard errors and the log-likelihood of two fits agree to `rel`. */
function assertSameFit(a: Record<string, any>, b: Record<string, any>, rel: number): void {
  assert.deepEqual(a.coefficients.map((c: any) => c.term), b.coefficients.map((c: any) => c.term));
  a.coefficients.forEach((c: any, j: number) => {
    assertClose(c.estimate, b.coefficients[j].estimate, rel, `${c.term} estimate`, 1e-12);
    assertClose(c.stdError, b.coefficients[j].stdError, rel, `${c.term} std. error`, 1e-12);
  });
  assertClose(a.logLik, b.logLik, rel, 'logLik');
}

test("withOffset(formula, column) appends offset(column), quoting a column name R would quote", () => {
  assert.equal(withOffset('y ~ x + (1 | g)', 'e'), 'y ~ x + (1 | g) + offset(e)');
  assert.equal(withOffset('y ~ x', 'log exposure'), 'y ~ x + offset(`log exposure`)');
  assert.equal(withOffset('y ~ x', undefined), 'y ~ x');
  assert.throws(() => withOffset('y ~ x', ' '), (e: Error) => e instanceof MixedModelsError && e.message === '--offset needs a column name');
});

test('mixedmodels fit sleepstudy "Reaction ~ Days + (1 | Subject)" --offset Days is lmer with offset(Days)', async () => {
  const flag = await fitJson([SLEEP, 'Reaction ~ Days + (1 | Subject)', '--offset', 'Days']);
  const formula = await fitJson([SLEEP, 'Reaction ~ Days + offset(Days) + (1 | Subject)']);
  assertSameFit(flag, formula, 1e-10);
  assertClose(flag.objective, formula.objective, 1e-10, 'REML criterion');
  // lme4: fixef(lmer(Reaction ~ Days + (1 | Subject), sleepstudy))[["Days"]] = 10.467286; the offset takes 1 off it.
  assertClose(flag.coefficients[1].estimate, 10.467286 - 1, 1e-6, 'Days with offset(Days)');
});

test('mixedmodels fit nbsim "y ~ x + f + (1 | g)" --family poisson --offset lexpo is glmer with offset(log(expo))', async () => {
  const path = nbsimWithLogExposure();
  const flag = await fitJson([path, 'y ~ x + f + (1 | g)', '--family', 'poisson', '--offset', 'lexpo']);
  const formula = await fitJson([path, 'y ~ x + f + offset(log(expo)) + (1 | g)', '--family', 'poisson']);
  assertSameFit(flag, formula, 1e-8);
  assertClose(flag.theta[0], formula.theta[0], 1e-8, 'theta');
});

test('mixedmodels fit --offset without random effects is lm and glm with offset(col)', async () => {
  assertSameFit(await fitJson([SLEEP, 'Reaction ~ Days', '--offset', 'Days']), await fitJson([SLEEP, 'Reaction ~ Days + offset(Days)']), 1e-10);
  const path = nbsimWithLogExposure();
  const glm = await fitJson([path, 'y ~ x + f', '--family', 'poisson', '--offset', 'lexpo']);
  assertSameFit(glm, await fitJson([path, 'y ~ x + f + offset(log(expo))', '--family', 'poisson']), 1e-10);
});

test('mixedmodels fit "... + offset(Days)" --offset Days adds the two offsets, as R does', async () => {
  const both = await fitJson([SLEEP, 'Reaction ~ Days + offset(Days) + (1 | Subject)', '--offset', 'Days']);
  assertSameFit(both, await fitJson([SLEEP, 'Reaction ~ Days + offset(2 * Days) + (1 | Subject)']), 1e-10);
});

test('mixedmodels fit "<formula with bars>" --penalty lasso --offset Days is the penalised fit with offset(Days)', async () => {
  const flag = await fitJson([SLEEP, 'Reaction ~ Days + (1 | Subject)', '--penalty', 'lasso', '--lambda', '2', '--offset', 'Days']);
  const formula = await fitJson([SLEEP, 'Reaction ~ Days + offset(Days) + (1 | Subject)', '--penalty', 'lasso', '--lambda', '2']);
  flag.coefficients.forEach((c: any, j: number) => assertClose(c.estimate, formula.coefficients[j].estimate, 1e-8, c.term));
  assertClose(flag.logLik, formula.logLik, 1e-8, 'logLik');
});

test('mixedmodels fit --offset with a missing or a text column is an error naming it', async () => {
  const text = csv('text.csv', 'y,x,g,grp', 30, (i) => `${(i * 7) % 11},${i % 5},${'abc'[i % 3]},${i % 6}`);
  await fitFails([SLEEP, 'Reaction ~ Days + (1 | Subject)', '--offset', 'nope'], /^error: unknown column 'nope'\n.*offset\(nope\)/);
  await fitFails([SLEEP, 'Reaction ~ Days', '--offset', 'nope'], /unknown column 'nope'/);
  await fitFails([text, 'y ~ x + (1 | grp)', '--offset', 'g'], /^error: offset\(g\) must be numeric\n$/);
  await fitFails([text, 'y ~ x', '--family', 'poisson', '--offset', 'g'], /offset\(g\) must be numeric/);
  await fitFails([SLEEP, 'Reaction ~ Days', '--penalty', 'lasso', '--offset', 'nope'], /unknown offset column 'nope'/);
});

test('mixedmodels plot --offset fits with the offset, and is refused with a saved fit (--model)', async () => {
  const dir = csv('x.csv', 'a', 1, () => '1').replace(/x\.csv$/, '');
  const bad = await runCli(['plot', 'caterpillar', SLEEP, 'Reaction ~ Days + (1 | Subject)', '--offset', 'nope', '--out', join(dir, 'c.json')]);
  assert.equal(bad.code, 1, bad.stderr);
  assert.match(bad.stderr, /unknown column 'nope'/);
  const saved = join(dir, 'm.json');
  assert.equal((await runCli(['fit', SLEEP, 'Reaction ~ Days + (1 | Subject)', '--save', saved])).code, 0);
  const r = await runCli(['plot', 'caterpillar', '--model', saved, '--offset', 'Days', '--out', join(dir, 'd.json')]);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /^error: --offset says how to fit <file> "<formula>"; a saved fit \(--model\) keeps the options it was fitted with/);
});

// predict, confint, emmeans, anova, simulate and compare fit their model as `fit` does: --offset there too
// (before, only fit and plot took it), the same output as offset() written in the formula.
const CAKE = dataFile('cake');
for (const [command, formula, extra] of [
  ['predict', 'Reaction ~ Days + (1 | Subject)', []],
  ['confint', 'Reaction ~ Days + (1 | Subject)', ['--method', 'wald']],
  ['anova', 'Reaction ~ Days + (1 | Subject)', []],
  ['simulate', 'Reaction ~ Days + (1 | Subject)', ['--nsim', '2', '--seed', '3']],
  ['emmeans', 'angle ~ recipe + (1 | recipe:replicate)', ['--specs', 'recipe', '--factor', 'replicate']],
] as const) {
  test(`mixedmodels ${command} --offset gives the output of offset() in the formula`, async () => {
    const data = command === 'emmeans' ? CAKE : SLEEP, column = command === 'emmeans' ? 'temp' : 'Days';
    const flag = await runCli([command, data, formula, ...extra, '--offset', column, '--format', 'json']);
    const written = await runCli([command, data, `${formula} + offset(${column})`, ...extra, '--format', 'json']);
    const plain = await runCli([command, data, formula, ...extra, '--format', 'json']);
    assert.equal(flag.code, 0, flag.stderr);
    assert.equal(flag.stdout, written.stdout);
    assert.notEqual(flag.stdout, plain.stdout, 'the offset changes the answer');
  });
}

test('mixedmodels compare --offset puts the offset in every model', async () => {
  const models = ['Reaction ~ Days + (1 | Subject)', 'Reaction ~ Days + (Days | Subject)'];
  const flag = JSON.parse((await runCli(['compare', SLEEP, ...models, '--offset', 'Days', '--format', 'json'])).stdout);
  const written = JSON.parse((await runCli(['compare', SLEEP, ...models.map((f) => `${f} + offset(Days)`), '--format', 'json'])).stdout);
  assert.deepEqual(flag, written);
});
