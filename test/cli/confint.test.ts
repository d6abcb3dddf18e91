import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { registerConfint } from '../../src/cli/commands/confint.js';
import { MixedModelsError } from '../../src/errors.js';
import { dataFile, readRef, type CliRun } from './helpers.js';

// The command on its own program (main.ts registers it the same way).
async function run(args: string[]): Promise<CliRun> {
  let stdout = '', stderr = '';
  const prog = new Command('mixedmodels').exitOverride().configureOutput({ writeOut: (s) => (stdout += s), writeErr: (s) => (stderr += s) });
  registerConfint(prog, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  try {
    await prog.parseAsync(args, { from: 'user' });
    return { code: 0, stdout, stderr };
  } catch (err) {
    if (err instanceof MixedModelsError) return { code: 1, stdout, stderr: stderr + err.message };
    return { code: 1, stdout, stderr };
  }
}

const ref = readRef('inference_sleepstudy');
const sleep = [dataFile('sleepstudy'), ref.formula, '--factor', 'Subject'];

test('confint <file> <formula> --format json prints lme4\'s profile intervals as {parameter, lower, upper}', async () => {
  const r = await run(['confint', ...sleep, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const rows = JSON.parse(r.stdout) as { parameter: string; lower: number; upper: number }[];
  assert.deepEqual(Object.keys(rows[0]), ['parameter', 'lower', 'upper']);
  ref.confint_profile.forEach((x: { param: string; lower: number; upper: number }, k: number) => {
    const tol = 0.01 * (x.upper - x.lower);
    assert.equal(rows[k].parameter, x.param);
    assert.ok(Math.abs(rows[k].lower - x.lower) <= tol && Math.abs(rows[k].upper - x.upper) <= tol, x.param);
  });
});

test('confint --method wald --format json gives null for the variance parameters', async () => {
  const r = await run(['confint', ...sleep, '--method', 'wald', '--format', 'json']);
  const rows = JSON.parse(r.stdout);
  assert.deepEqual(rows[0], { parameter: 'sd_(Intercept)|Subject', lower: null, upper: null });
  assert.ok(Math.abs(rows[4].lower - ref.confint_wald_fixef[0].lower) < 1e-3);
});

test('confint --level 0.9 prints R\'s columns 5 % and 95 %, NA for Wald\'s variance rows', async () => {
  const r = await run(['confint', ...sleep, '--method', 'wald', '--level', '0.9']);
  const lines = r.stdout.trimEnd().split('\n');
  assert.match(lines[0], /^\s+5 %\s+95 %$/);
  assert.match(lines[1], /^sd_\(Intercept\)\|Subject\s+NA\s+NA$/);
  assert.match(lines[5], /^\(Intercept\)\s+240\.1797\d+\s+262\.630\d+$/);
});

test('confint --level 2 and --nsim 0 are rejected with a clear message', async () => {
  assert.match((await run(['confint', ...sleep, '--level', '2'])).stderr, /--level must be a number between 0 and 1/);
  assert.match((await run(['confint', ...sleep, '--method', 'boot', '--nsim', '0'])).stderr, /--nsim must be a whole number >= 1/);
});

test('confint --method boot --nsim 1e9 is refused at once; --nsim 1 is refused instead of giving zero-width intervals', async () => {
  const big = await run(['confint', ...sleep, '--method', 'boot', '--nsim', '1e9']);
  assert.equal(big.code, 1);
  assert.match(big.stderr, /^bootstrap\(\): nsim = 1000000000 replicates of 6 numbers would need 44\.7 GiB of memory; the limit is 1 GiB \(134217728 numbers\): use nsim <= 22369621$/);
  const one = await run(['confint', ...sleep, '--method', 'boot', '--nsim', '1']);
  assert.equal(one.code, 1);
  assert.match(one.stderr, /a 95% percentile interval needs at least 40 replicates \(nsim = 1 would put its ends at the extreme replicates, an interval of zero width\)/);
});

test('confint of an lm prints R\'s confint.lm t intervals, of a GLM its profile ones; --method profile on an lm exits 1', async () => {
  const lmRun = await run(['confint', dataFile('sleepstudy'), 'Reaction ~ Days', '--format', 'json']);
  assert.equal(lmRun.code, 0, lmRun.stderr);
  const lmRows = JSON.parse(lmRun.stdout) as { parameter: string; lower: number; upper: number }[];
  // R 4.2.2: confint(lm(Reaction ~ Days, sleepstudy))
  assert.deepEqual(lmRows.map((r) => r.parameter), ['(Intercept)', 'Days']);
  assert.ok(Math.abs(lmRows[1].lower - 8.02385502213343) < 1e-9 && Math.abs(lmRows[1].upper - 12.9107168970585) < 1e-9, lmRun.stdout);
  const glmRun = await run(['confint', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period', '--family', 'binomial', '--factor', 'period']);
  assert.equal(glmRun.code, 0, glmRun.stderr);
  assert.match(glmRun.stdout, /^\s+2\.5 %\s+97\.5 %\n\(Intercept\)\s+-1\.56/);
  const bad = await run(['confint', dataFile('sleepstudy'), 'Reaction ~ Days', '--method', 'profile']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /an lm's intervals are R's confint\.lm t intervals/);
});
