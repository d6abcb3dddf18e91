// Saved models are untrusted input: checked against a schema, every bad field named, nothing defaulted silently.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lm, lmer } from '../../src/api/fit.js';
import { MixedModelsError } from '../../src/errors.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { loadModel, readSaved, savedModel } from '../../src/io/savedModel.js';
import { dataFile } from '../cli/helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'mm-saved-'));
const data = join(tmp, 'sleepstudy.csv');
copyFileSync(dataFile('sleepstudy'), data);
const model = lmer('Reaction ~ Days + (Days | Subject)', readCsvFile(data), { factors: ['Subject'] });
const good = savedModel(model, data);

/** The saved model with `change` applied to a deep copy, written to a file. */
function tampered(name: string, change: (m: any) => void): string {
  const m = JSON.parse(JSON.stringify(good));
  change(m);
  const path = join(tmp, `${name}.json`);
  writeFileSync(path, JSON.stringify(m));
  return path;
}

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => e instanceof MixedModelsError && pattern.test(e.message), String(pattern));
}

test('loadModel(path) of an untouched saved model gives the same fit', () => {
  const m = loadModel(tampered('good', () => {}));
  assert.deepEqual(Array.from(m.kind === 'lmm' ? m.fit.theta : []), Array.from(model.fit.theta));
});

test('readSaved(path) names the first bad field of a tampered saved model', () => {
  const cases: [string, (m: any) => void, RegExp][] = [
    ['nulldata', (m) => (m.data = null), /is not a valid saved model: data must be an object \{ path, bytes, sha256 \}, not null$/],
    ['nulloptions', (m) => (m.options = null), /is not a valid saved model: options must be an object of fit options, not null$/],
    ['nulltheta', (m) => (m.theta = m.theta.map(() => null)), /is not a valid saved model: theta\[0\] must be a number, not null$/],
    ['stringtheta', (m) => (m.theta = 'abc'), /theta must be an array of numbers for a mixed model, not "abc"$/],
    ['remlno', (m) => (m.options.REML = 'no'), /options\.REML must be true or false, not "no"$/],
    ['unknownoption', (m) => (m.options.nagq = 3), /options\.nagq is not a known option/],
    ['unknownfield', (m) => (m.extra = 1), /extra is not a known option/],
    ['badsha', (m) => (m.data.sha256 = 'xyz'), /data\.sha256 must be 64 hexadecimal digits, not "xyz"$/],
    ['badkind', (m) => (m.kind = 'gam'), /kind must be 'lm', 'glm', 'lmm' or 'glmm', not "gam"$/],
    ['lmtheta', (m) => (m.kind = 'lm'), /theta must be null for a model without random effects/],
    ['weightsarray', (m) => (m.options.weights = [1, 2]), /options\.weights must be a column name, not an array$/],
  ];
  for (const [name, change, pattern] of cases) refused(() => readSaved(tampered(name, change)), pattern);
});

test('readSaved(path) refuses files that are not saved models, or of another version', () => {
  const notJson = join(tmp, 'not.json');
  writeFileSync(notJson, '{');
  refused(() => readSaved(notJson), /is not a saved model: it is not JSON/);
  refused(() => readSaved(tampered('format', (m) => (m.format = 'x'))), /is not a saved model \(write one with/);
  refused(() => readSaved(tampered('version', (m) => (m.version = 9))), /saved by another version of mixedmodels \(format 9, this one reads 1\)/);
  refused(() => readSaved('/dev/zero'), /it is a device, not a regular file/);
});

test('loadModel(path) refuses a data path that is a device, a changed data file, negative theta and a kind its options contradict', () => {
  const started = performance.now();
  refused(() => loadModel(tampered('devzero', (m) => (m.data.path = '/dev/zero'))), /cannot read the saved model's data file '\/dev\/zero': it is a device/);
  assert.ok(performance.now() - started < 2000);
  refused(() => loadModel(tampered('negative', (m) => (m.theta[0] = -1))), /theta\[0\] is -1, below its lower bound 0/);
  refused(() => loadModel(tampered('family', (m) => (m.options.family = 'poisson'))), /is not a valid saved model: kind is 'lmm' but options give the family 'poisson' with link 'identity'/);
  const linear = savedModel(lm('Reaction ~ Days', readCsvFile(data)), data);
  const path = join(tmp, 'lm.json');
  writeFileSync(path, JSON.stringify({ ...linear, formula: 'Reaction ~ Days + (1 | Subject)' }));
  refused(() => loadModel(path), /kind is 'lm' but its formula and options give a 'lmm' model/);
  const copy = join(tmp, 'copy.csv');
  copyFileSync(data, copy);
  const saved = savedModel(model, copy);
  writeFileSync(copy, readCsvFile(data).nrow + '\n');
  writeFileSync(path, JSON.stringify(saved));
  refused(() => loadModel(path), /has changed since the fit was saved/);
});
