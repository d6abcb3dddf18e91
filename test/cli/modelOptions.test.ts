// Model flags are read strictly: no empty or hexadecimal numbers, no ignored or contradictory choices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wholeFlag } from '../../src/cli/modelOptions.js';
import { MixedModelsError } from '../../src/errors.js';
import { dataFile, fitJson, runCli } from './helpers.js';

const CBPP = [dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--factor', 'herd,period'];
const SLEEP = [dataFile('sleepstudy'), 'Reaction ~ Days + (1 | Subject)', '--factor', 'Subject'];
const tmp = mkdtempSync(join(tmpdir(), 'mm-flags-'));

async function fails(args: string[], pattern: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, pattern);
}

test("wholeFlag(name, value, min) reads digits and 1e4 but refuses '', hex, fractions, signs and spaces", () => {
  assert.equal(wholeFlag('nsim', '1000', 1), 1000);
  assert.equal(wholeFlag('nsim', '1e4', 1), 10000);
  assert.equal(wholeFlag('nagq', '0', 0), 0);
  for (const bad of ['', '0x10', '1.5', '-1', '+3', ' 3', '1e', 'Infinity', '1e400', '9007199254740993']) {
    assert.throws(() => wholeFlag('nagq', bad, 0), (e: Error) => e instanceof MixedModelsError && e.message === `--nagq must be a whole number >= 0, not '${bad}'`, bad);
  }
});

test("mixedmodels fit --nagq '' and --nagq 0x10 are refused, not read as 0 and 16", async () => {
  await fails(['fit', ...CBPP, '--nagq', ''], /^error: --nagq must be a whole number >= 0, not ''\n$/);
  await fails(['fit', ...CBPP, '--nagq', '0x10'], /--nagq must be a whole number >= 0, not '0x10'/);
  assert.equal((await fitJson([...CBPP, '--nagq', '5'])).nAGQ, 5);
});

test('mixedmodels fit --nagq for a linear mixed model (or lm) is refused instead of ignored', async () => {
  await fails(['fit', ...SLEEP, '--nagq', '5'], /nAGQ \(--nagq\) applies to generalized linear mixed models only, and this is a linear mixed model/);
  await fails(['fit', dataFile('sleepstudy'), 'Reaction ~ Days', '--nagq', '1'], /and this is a linear model/);
});

test('mixedmodels fit --reml --ml is refused; --reml alone and --ml alone choose the criterion', async () => {
  await fails(['fit', ...SLEEP, '--reml', '--ml'], /^error: --reml and --ml contradict each other: give one of them \(REML is the default\)\n$/);
  assert.equal((await fitJson([...SLEEP, '--reml'])).REML, true);
  assert.equal((await fitJson([...SLEEP, '--ml'])).REML, false);
  assert.equal((await fitJson(SLEEP)).REML, true);
});

test("mixedmodels fit --sep ';' (or tab) reads such files; without it the message says which --sep to give", async () => {
  const semi = join(tmp, 'semi.csv'), tab = join(tmp, 'tab.tsv'), dec = join(tmp, 'dec.csv');
  writeFileSync(semi, 'y;x\n1;1\n2;3\n4;4\n5;7\n');
  writeFileSync(tab, 'y\tx\n1\t1\n2\t3\n4\t4\n5\t7\n');
  writeFileSync(dec, 'y;x\n1,5;1\n2,5;3\n4;4\n5,25;7\n');
  await fails(['fit', semi, 'y ~ x'], /^error: .*semi\.csv looks like semicolon-separated: use --sep ';'\n$/);
  await fails(['fit', tab, 'y ~ x', '--sep', ','], /tab\.tsv looks like tab-separated: use --sep tab/);
  const a = await fitJson([semi, 'y ~ x', '--sep', ';']);
  const b = await fitJson([tab, 'y ~ x', '--sep', 'tab']);
  const c = await fitJson([tab, 'y ~ x']);
  assert.deepEqual(a.coefficients, b.coefficients);
  assert.deepEqual(c.coefficients, b.coefficients, '.tsv files are tab-separated');
  await fails(['fit', dec, 'y ~ x', '--sep', ';'], /column 'y' holds numbers with a decimal comma \(row 1 is "1,5"\): read the file with the decimal mark ',' \(--dec ','\)/);
  assert.equal((await fitJson([dec, 'y ~ x', '--sep', ';', '--dec', ','])).nobs, 4);
});

test('mixedmodels fit --nb-theta takes a positive number for the negative binomial only', async () => {
  const GROUSE = [dataFile('grouseticks'), 'TICKS ~ YEAR', '--factor', 'YEAR'];
  for (const bad of ['', '0', '-1', '0x10', 'abc', '1e400']) {
    await fails(['fit', ...GROUSE, '--family', 'negative.binomial', '--nb-theta', bad], new RegExp(`--nb-theta must be a positive number, such as 2.5, not '${bad.replace('.', '\\.')}'`));
  }
  await fails(['fit', ...GROUSE, '--family', 'poisson', '--nb-theta', '2'], /nbTheta \(--nb-theta\) is the negative binomial family's theta/);
  const out = await fitJson([...GROUSE, '--family', 'negative.binomial', '--nb-theta', '1.5e0']);
  assert.equal(out.nbTheta, 1.5);
  assert.equal(out.nbThetaSE, undefined);
  assert.equal(out.df, 3, 'a given theta is no parameter');
});
