// mixedmodels emmeans: JSON against the emmeans references (test/fixtures/refs/emmeans_*.json, emmeans 1.8.4),
// the printout, the options, --model, and clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertClose, dataFile, readRef, runCli } from './helpers.js';
import { contrastFlag } from '../../src/cli/commands/emmeans.js';

const cake = readRef('emmeans_cake');
const cakeArgs = ['emmeans', dataFile('cake'), cake.formula, '--factor', cake.factors.join(','), '--specs', cake.specs];

test('mixedmodels emmeans --format json gives the means and Tukey-adjusted pairs of emmeans (Kenward-Roger)', async () => {
  const r = await runCli([...cakeArgs, '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  out.emmeans.forEach((x: any, i: number) => {
    const e = cake.kenward_roger.emmeans[i];
    assert.equal(x.recipe, e.recipe);
    assertClose(x.estimate, e.emmean, 1e-6, 'mean');
    assertClose(x.stdError, e.SE, 2e-4, 'SE');
    assertClose(x.df, e.df, 2e-3, 'df');
    assertClose(x.lower, e['lower.CL'], 1e-3, 'lower');
    assertClose(x.upper, e['upper.CL'], 1e-3, 'upper');
  });
  out.contrasts.forEach((x: any, i: number) => {
    const e = cake.kenward_roger.pairs[i];
    assert.equal(x.contrast, e.contrast);
    assertClose(x.estimate, e.estimate, 1e-5, 'contrast');
    assertClose(x.statistic, e['t.ratio'], 1e-4, 't');
    assertClose(x.pValue, e['p.value'], 2e-3, 'p');
  });
  assert.deepEqual([out.dfMethod, out.adjust, out.type, out.level], ['kenward-roger', 'tukey', 'link', 0.95]);
});

test('mixedmodels emmeans --type response --family binomial gives probabilities and odds ratios with null df', async () => {
  const ref = readRef('emmeans_cbpp_response');
  const r = await runCli(['emmeans', dataFile('cbpp'), ref.formula, '--factor', 'herd', '--family', 'binomial', '--specs', 'period', '--type', 'response', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.emmeans.map((x: any) => x.period), [1, 2, 3, 4]);
  assert.ok(out.emmeans.every((x: any) => x.df === null));
  assert.deepEqual(out.contrasts.map((x: any) => x.contrast), ref.asymptotic.pairs.map((x: any) => x.contrast));
  // lme4's default optimiser stops ~1e-5 short of the optimum here (see test/inference/emmeans/emmeans.test.ts).
  out.contrasts.forEach((x: any, i: number) => assertClose(x.estimate, ref.asymptotic.pairs[i]['odds.ratio'], 5e-5, 'odds ratio'));
});

test('mixedmodels emmeans prints as emmeans, with --by groups, other contrasts and adjustments', async () => {
  const r = await runCli(cakeArgs);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.startsWith('$emmeans\n recipe emmean   SE df lower.CL upper.CL\n A        33.1 1.74 42     29.6     36.6\n'), r.stdout);
  assert.match(r.stdout, /\n\$contrasts\n contrast estimate   SE df t\.ratio p\.value\n A - B      1\.4778 2\.46 42   0\.602  0\.8200\n/);
  const by = await runCli([...cakeArgs, '--by', 'temperature', '--ddf', 'satterthwaite']);
  assert.match(by.stdout, /temperature = 175:\n recipe emmean   SE   df lower\.CL upper\.CL\n A        29\.1 2\.04 77\.4/);
  assert.match(by.stdout, /Degrees-of-freedom method: satterthwaite/);
  const trt = JSON.parse((await runCli([...cakeArgs, '--contrast', 'trt.vs.ctrl', '--control', 'B', '--format', 'json'])).stdout);
  assert.deepEqual([trt.contrasts.map((x: any) => x.contrast), trt.adjust], [['A - B', 'C - B'], 'dunnettx']);
  const holm = JSON.parse((await runCli([...cakeArgs, '--adjust', 'holm', '--format', 'json'])).stdout);
  assert.equal(holm.adjust, 'holm');
  const custom = JSON.parse((await runCli([...cakeArgs, '--contrast', 'AvsBC=1,-0.5,-0.5', '--format', 'json'])).stdout);
  assertClose(custom.contrasts[0].estimate, 1.5, 1e-9, 'custom');
  const none = JSON.parse((await runCli([...cakeArgs, '--contrast', 'none', '--format', 'json'])).stdout);
  assert.deepEqual(none.contrasts, []);
  const md = await runCli([...cakeArgs, '--format', 'markdown']);
  assert.match(md.stdout, /\*\*emmeans\*\*\n\n\| recipe \| emmean \| SE \| df \| lower\.CL \| upper\.CL \|/);
});

test('mixedmodels emmeans --model answers from a saved fit', async () => {
  const saved = join(mkdtempSync(join(tmpdir(), 'mm-emm-')), 'm.json');
  const fit = await runCli(['fit', dataFile('cake'), cake.formula, '--factor', cake.factors.join(','), '--save', saved, '--format', 'json']);
  assert.equal(fit.code, 0, fit.stderr);
  const r = await runCli(['emmeans', '--model', saved, '--specs', 'recipe', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  assertClose(JSON.parse(r.stdout).emmeans[0].estimate, cake.kenward_roger.emmeans[0].emmean, 1e-6, 'mean');
});

test('mixedmodels emmeans reports bad requests in one line', async () => {
  for (const [args, message] of [
    [[...cakeArgs.slice(0, -1), 'recipie'], /did you mean 'recipe'/],
    [[...cakeArgs, '--contrast', 'consec'], /--contrast must be one of/],
    [[...cakeArgs, '--contrast', 'x=1,a'], /cannot read 'x=1,a'/],
    [[...cakeArgs, '--contrast', 'x=1,-1'], /needs 3 finite coefficients/],
    [[...cakeArgs, '--adjust', 'mvt'], /unknown p-value adjustment 'mvt'/],
    [[...cakeArgs, '--level', '95'], /--level must be/],
    [[...cakeArgs, '--weights', 'temp', '--ddf', 'kenward-roger'], /not available with prior weights/],
  ] as const) {
    const r = await runCli([...args]);
    assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('contrastFlag(value) reads method names, none and named coefficient vectors', () => {
  assert.equal(contrastFlag('pairwise'), 'pairwise');
  assert.equal(contrastFlag('none'), null);
  assert.deepEqual(contrastFlag('a=1,-1,0; b = 0,1,-1'), { a: [1, -1, 0], b: [0, 1, -1] });
});

/** Exit 1, nothing on stdout, one line on stderr matching `message`. */
async function assertRefused(args: readonly string[], message: RegExp): Promise<void> {
  const r = await runCli([...args]);
  assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}`);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, message);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
}

const cakeSpecs = cakeArgs.slice(0, -1);
const cakeLm = ['emmeans', dataFile('cake'), 'angle ~ recipe * temperature', '--factor', 'temperature', '--specs', 'recipe'];
for (const [title, args, message] of [
  ['--specs recipe --by recipe', [...cakeArgs, '--by', 'recipe'], /^error: 'recipe' is in both --specs and --by/],
  ["--specs 'recipe | recipe'", [...cakeSpecs, 'recipe | recipe'], /^error: 'recipe' is both before and after '\|' in --specs/],
  ['--specs Days --by Days (sleepstudy)', ['emmeans', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--specs', 'Days', '--by', 'Days'], /^error: 'Days' is in both --specs and --by/],
  ["--specs 'recipe | temperature' --by recipe", [...cakeSpecs, 'recipe | temperature', '--by', 'recipe'], /^error: --specs 'recipe \| temperature' and --by both give by factors: use one of the two/],
  ["--specs 'recipe |'", [...cakeSpecs, 'recipe |'], /^error: --specs 'recipe \|' names no by factor after '\|'/],
  ["--specs 'recipe | temperature | replicate'", [...cakeSpecs, 'recipe | temperature | replicate'], /^error: --specs .* has 2 '\|'/],
  ["--by ''", [...cakeArgs, '--by', ''], /^error: --by must name at least one factor, not ''/],
  ["--specs 'foo ~ recipe'", [...cakeSpecs, 'foo ~ recipe'], /^error: --specs 'foo ~ recipe': before '~' emmeans takes a contrast method/],
  ["--specs 'pairwise ~ recipe' --contrast eff", [...cakeSpecs, 'pairwise ~ recipe', '--contrast', 'eff'], /^error: --specs 'pairwise ~ recipe' asks for pairwise contrasts and --contrast for eff: give the method once/],
  ['--control B without --contrast trt.vs.ctrl', [...cakeArgs, '--control', 'B'], /^error: --control applies to --contrast trt.vs.ctrl, not to --contrast pairwise/],
  ['--contrast none --adjust holm', [...cakeArgs, '--contrast', 'none', '--adjust', 'holm'], /^error: --adjust applies to contrasts, and --contrast none/],
  ['--ddf asymptotic --ddf-limit 5', [...cakeArgs, '--ddf', 'asymptotic', '--ddf-limit', '5'], /^error: --ddf-limit has no effect with --ddf asymptotic/],
  ['--ddf satterthwaite on a linear model', [...cakeLm, '--ddf', 'satterthwaite'], /^error: --ddf applies to linear mixed models, and this is a linear model/],
  ['--ddf-limit on a linear model', [...cakeLm, '--ddf-limit', '5'], /^error: --ddf-limit applies to linear mixed models, and this is a linear model/],
  ['--ddf asymptotic on a GLMM', ['emmeans', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--factor', 'period,herd', '--family', 'binomial', '--specs', 'period', '--ddf', 'asymptotic'], /^error: --ddf applies to linear mixed models, and this is a generalized linear mixed model/],
] as const) {
  test(`mixedmodels emmeans ${title} is refused in one line, before any output`, () => assertRefused(args, message));
}

test("mixedmodels emmeans --specs 'recipe | temperature' gives the same means as --specs recipe --by temperature", async () => {
  const bar = await runCli([...cakeSpecs, 'recipe | temperature', '--format', 'json']);
  const by = await runCli([...cakeArgs, '--by', 'temperature', '--format', 'json']);
  assert.equal(bar.code, 0, bar.stderr);
  assert.equal(bar.stdout, by.stdout);
  assert.equal(JSON.parse(by.stdout).emmeans.length, 18);
  const trt = await runCli([...cakeArgs, '--contrast', 'trt.vs.ctrl', '--control', '2', '--adjust', 'holm', '--ddf', 'satterthwaite', '--ddf-limit', '10000']);
  assert.equal(trt.code, 0, trt.stderr);
});

test("mixedmodels emmeans --specs 'trt.vs.ctrl ~ recipe' is R's two-sided specs: the same as --specs recipe --contrast trt.vs.ctrl", async () => {
  const two = await runCli([...cakeSpecs, 'trt.vs.ctrl ~ recipe', '--format', 'json']);
  const flags = await runCli([...cakeSpecs, 'recipe', '--contrast', 'trt.vs.ctrl', '--format', 'json']);
  assert.equal(two.code, 0, two.stderr);
  assert.equal(two.stdout, flags.stdout);
  assert.match(two.stdout, /B - A/);
  const pairwise = await runCli([...cakeSpecs, 'pairwise ~ recipe', '--contrast', 'pairwise', '--format', 'json']);
  assert.equal(pairwise.code, 0, pairwise.stderr);
});
