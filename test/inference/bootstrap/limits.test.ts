// Simulations and bootstraps that cannot give an answer, or cannot finish, are refused before any work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lmer } from '../../../src/api/fit.js';
import { MixedModelsError } from '../../../src/errors.js';
import { bootstrap } from '../../../src/inference/bootstrap/bootstrap.js';
import { checkMemory, checkTime, MAX_VALUES, minimumReplicates } from '../../../src/inference/bootstrap/limits.js';
import { simulate } from '../../../src/inference/bootstrap/simulate.js';
import { confint } from '../../../src/inference/confint.js';
import { predict } from '../../../src/inference/predict/predict.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { bootstrapParallel } from '../../../src/node/bootstrapWorkers.js';
import { dataFile } from '../../cli/helpers.js';

const model = lmer('Reaction ~ Days + (Days | Subject)', readCsvFile(dataFile('sleepstudy')), { factors: ['Subject'] });

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: Error) => e instanceof MixedModelsError && pattern.test(e.message), String(pattern));
}

test('minimumReplicates(level) is the fewest replicates whose percentile ends are not the extreme ones', () => {
  assert.equal(minimumReplicates(0.95), 40);
  assert.equal(minimumReplicates(0.9), 20);
  assert.equal(minimumReplicates(0.99), 200);
  assert.equal(minimumReplicates(0.5), 4);
});

test('checkMemory and checkTime name the limit and the largest nsim that fits', () => {
  assert.doesNotThrow(() => checkMemory('x', MAX_VALUES / 4, 4));
  refused(() => checkMemory('simulate()', 1e9, 180), /^simulate\(\): nsim = 1000000000 replicates of 180 numbers would need 1\.31 TiB of memory; the limit is 1 GiB \(134217728 numbers\): use nsim <= 745654$/);
  assert.doesNotThrow(() => checkTime('x', 1e6, 0.01));
  refused(() => checkTime('bootstrap()', 1e8, 0.01), /^bootstrap\(\): nsim = 100000000 refits would take about 12 days \(one fit took 0\.010 s\); the limit is 24 hours: use nsim <= 8640000$/);
});

test('simulate(m, { nsim: 1e9 }) is refused at once with the memory limit', () => {
  const started = performance.now();
  refused(() => simulate(model, { nsim: 1e9 }), /^simulate\(\): nsim = 1000000000 replicates of 180 numbers would need .* the limit is 1 GiB/);
  assert.ok(performance.now() - started < 1000, 'refused before any work');
});

test('bootstrap(m, { nsim: 1e9 }) and confint(m, { method: "boot", nsim: 1e9 }) are refused at once', async () => {
  refused(() => bootstrap(model, { nsim: 1e9 }), /^bootstrap\(\): nsim = 1000000000 replicates of 6 numbers would need .*: use nsim <= 22369621$/);
  refused(() => confint(model, { method: 'boot', nsim: 1e9 }), /the limit is 1 GiB/);
  await assert.rejects(bootstrapParallel(model, { nsim: 1e9, workers: 1 }), /the limit is 1 GiB/);
});

test('bootstrap(m, { nsim: 1 }) is refused instead of giving zero-width intervals', () => {
  refused(() => bootstrap(model, { nsim: 1 }), /^bootstrap\(\): a 95% percentile interval needs at least 40 replicates \(nsim = 1 would put its ends at the extreme replicates, an interval of zero width\)/);
  refused(() => confint(model, { method: 'boot', nsim: 39 }), /needs at least 40 replicates/);
  refused(() => bootstrap(model, { nsim: 10, level: 0.99 }), /a 99% percentile interval needs at least 200 replicates/);
});

test('predict(m, newdata, { method: "boot" }) refuses too few replicates and too many numbers', () => {
  const newdata = { Days: [1, 2], Subject: ['308', '309'] };
  refused(() => predict(model, newdata, { method: 'boot', interval: 'confidence', nsim: 1 }), /^bootstrap prediction intervals: a 95% percentile interval needs at least 40 replicates/);
  refused(() => predict(model, newdata, { method: 'boot', interval: 'confidence', nsim: 1e9 }), /^bootstrap prediction intervals: nsim = 1000000000 replicates of 2 numbers/);
});
