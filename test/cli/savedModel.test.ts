import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, appendFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dataFile, runCli } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-save-'));
const data = join(tmp, 'sleepstudy.csv');
copyFileSync(dataFile('sleepstudy'), data);
const newdata = join(tmp, 'new.csv');
writeFileSync(newdata, 'Days,Subject\n0,308\n9,999\n');
const FIT = [data, 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject'];

async function ok(args: string[]): Promise<string> {
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

test('mixedmodels fit --save then predict/confint/anova --model answer as a fresh fit does', async () => {
  const saved = join(tmp, 'm.json');
  await ok(['fit', ...FIT, '--save', saved, '--format', 'json']);
  const file = JSON.parse(readFileSync(saved, 'utf8'));
  assert.equal(file.format, 'mixedmodels-fit');
  assert.equal(file.summary.model, 'lmm');
  for (const [command, extra] of [['predict', ['--newdata', newdata, '--allow-new-levels']], ['confint', ['--method', 'wald']], ['anova', []]] as const) {
    const fresh = JSON.parse(await ok([command, ...FIT, ...extra, '--format', 'json']));
    const loaded = JSON.parse(await ok([command, '--model', saved, ...extra, '--format', 'json']));
    assert.deepEqual(loaded, fresh, `${command} from the saved fit`);
  }
});

test('mixedmodels predict --model refuses a changed data file, a non-model file, and both a model and a formula', async () => {
  const copy = join(tmp, 'copy.csv');
  copyFileSync(dataFile('sleepstudy'), copy);
  const saved = join(tmp, 'm2.json');
  await ok(['fit', copy, 'Reaction ~ Days + (1 | Subject)', '--factor', 'Subject', '--save', saved]);
  appendFileSync(copy, '300,1,308\n');
  const changed = await runCli(['predict', '--model', saved]);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /has changed since the fit was saved/);
  const notModel = await runCli(['predict', '--model', newdata]);
  assert.equal(notModel.code, 1);
  assert.match(notModel.stderr, /is not a saved model/);
  const both = await runCli(['predict', ...FIT, '--model', saved]);
  assert.equal(both.code, 1);
  assert.match(both.stderr, /either --model or a data file/);
  const neither = await runCli(['predict']);
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /missing the data file and formula/);
});

test('mixedmodels predict --model refuses tampered saved models with the bad field, quickly and without a TypeError', async () => {
  const saved = join(tmp, 'm3.json');
  await ok(['fit', ...FIT, '--save', saved]);
  const good = JSON.parse(readFileSync(saved, 'utf8'));
  const variants: [string, (m: any) => void, RegExp][] = [
    ['nulldata', (m) => (m.data = null), /is not a valid saved model: data must be an object/],
    ['nulloptions', (m) => (m.options = null), /is not a valid saved model: options must be an object of fit options, not null/],
    ['nulltheta', (m) => (m.theta = m.theta.map(() => null)), /is not a valid saved model: theta\[0\] must be a number, not null/],
    ['devzero', (m) => (m.data.path = '/dev/zero'), /cannot read the saved model's data file '\/dev\/zero': it is a device/],
    ['reml', (m) => (m.options.REML = 'no'), /options\.REML must be true or false, not "no"/],
  ];
  for (const [name, change, pattern] of variants) {
    const m = JSON.parse(JSON.stringify(good));
    change(m);
    const path = join(tmp, `m3_${name}.json`);
    writeFileSync(path, JSON.stringify(m));
    const r = await runCli(['predict', '--model', path, '--newdata', newdata, '--allow-new-levels']);
    assert.equal(r.code, 1, `${name}: ${r.stderr}`);
    assert.match(r.stderr, pattern, name);
    assert.doesNotMatch(r.stderr, /TypeError|internal error|\n\s+at /, name);
  }
  const dev = await runCli(['predict', '--model', '/dev/zero']);
  assert.match(dev.stderr, /cannot read the saved model '\/dev\/zero': it is a device/);
});

test('mixedmodels fit --sep with --save keeps the separator for later --model commands', async () => {
  const semi = join(tmp, 'semi.csv');
  writeFileSync(semi, readFileSync(data, 'utf8').replaceAll(',', ';'));
  const saved = join(tmp, 'semi.json');
  await ok(['fit', semi, 'Reaction ~ Days + (1 | Subject)', '--factor', 'Subject', '--sep', ';', '--save', saved]);
  assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')).csv, { sep: ';' });
  assert.match(await ok(['confint', '--model', saved, '--method', 'wald']), /Days/);
});

test('mixedmodels predict/anova/confint --model refuse the options of a fit, which a saved fit would ignore', async () => {
  const saved = join(tmp, 'm2.json');
  await ok(['fit', ...FIT, '--save', saved, '--format', 'json']);
  for (const [command, flag] of [
    ['predict', ['--family', 'poisson']], ['anova', ['--ml']], ['confint', ['--factor', 'Days']], ['simulate', ['--weights', 'Days']],
    ['emmeans', ['--nagq', '2', '--specs', 'Days']], ['predict', ['--pushdown', 'off']], ['anova', ['--ref', 'Subject=309']],
  ] as const) {
    const r = await runCli([command, '--model', saved, ...flag]);
    assert.equal(r.code, 1, `${command} ${flag.join(' ')}: ${r.stdout.slice(0, 80)}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^error: ${flag[0]} says how to fit <file> "<formula>"; a saved fit \\(--model\\) keeps the options it was fitted with: leave it out, or refit\\n$`));
  }
  // --sep and --dec may still read --newdata.
  await ok(['predict', '--model', saved, '--newdata', newdata, '--allow-new-levels', '--sep', ',']);
});
