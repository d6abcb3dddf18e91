// `mixedmodels simulate`: CSV and JSON output, reproducible by seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataFile, runCli } from './helpers.js';

const base = ['simulate', dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)', '--factor', 'Subject'];

test('mixedmodels simulate --nsim 3 --seed 7 prints CSV columns sim_1..sim_3, one line per row, the same every run', async () => {
  const a = await runCli([...base, '--nsim', '3', '--seed', '7']);
  const b = await runCli([...base, '--nsim', '3', '--seed', '7']);
  const c = await runCli([...base, '--nsim', '3', '--seed', '8']);
  assert.equal(a.code, 0, a.stderr);
  const lines = a.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'sim_1,sim_2,sim_3');
  assert.equal(lines.length, 181);
  assert.ok(lines.slice(1).every((l) => l.split(',').every((x) => Number.isFinite(Number(x)))));
  assert.equal(a.stdout, b.stdout);
  assert.notEqual(a.stdout, c.stdout);
});

test('mixedmodels simulate --format json gives the simulations with their data rows', async () => {
  const r = await runCli([...base, '--nsim', '2', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.nsim, 2);
  assert.equal(out.simulations.length, 2);
  assert.equal(out.simulations[0].length, 180);
  assert.deepEqual(out.rows.slice(0, 3), [1, 2, 3]);
});

test('mixedmodels simulate refuses a bad --nsim and a model without random effects', async () => {
  const r = await runCli([...base, '--nsim', '0']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /--nsim/);
  const lm = await runCli(['simulate', dataFile('sleepstudy'), 'Reaction ~ Days']);
  assert.equal(lm.code, 1);
  assert.match(lm.stderr, /mixed model/);
});

test('mixedmodels simulate --nsim 1e9 is refused at once with the memory limit', async () => {
  const started = performance.now();
  const r = await runCli([...base, '--nsim', '1e9']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^error: simulate\(\): nsim = 1000000000 replicates of 180 numbers would need 1\.31 TiB of memory; the limit is 1 GiB \(134217728 numbers\): use nsim <= 745654\n$/);
  assert.ok(performance.now() - started < 10000);
});

test('mixedmodels simulate --format markdown gives a table followed by an empty line', async () => {
  const r = await runCli([...base, '--nsim', '2', '--format', 'markdown']);
  const lines = r.stdout.split('\n');
  assert.equal(lines[0], '| row | sim\\_1 | sim\\_2 |');
  assert.equal(lines[1], '| --- | ---: | ---: |');
  assert.equal(lines.length, 2 + 180 + 2);
  assert.ok(r.stdout.endsWith(' |\n\n'));
});

test('mixedmodels simulate of a cbind() binomial gives counts of successes and failures, as lme4, with write.csv\'s names', async () => {
  const cbpp = ['simulate', dataFile('cbpp'), 'cbind(incidence, size - incidence) ~ period + (1 | herd)', '--family', 'binomial', '--factor', 'herd,period', '--nsim', '2', '--seed', '3'];
  const csv = await runCli(cbpp);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.trimEnd().split('\n');
  // R: write.csv(simulate(m, 2)) names the columns sim_1.incidence, sim_1. (size - incidence is not a name), ...
  assert.equal(lines[0], 'sim_1.incidence,sim_1.,sim_2.incidence,sim_2.');
  const size = [14, 12, 9, 5];
  for (let i = 0; i < size.length; i++) {
    const [s1, f1, s2, f2] = lines[i + 1].split(',').map(Number);
    assert.ok([s1, f1, s2, f2].every((x) => Number.isInteger(x) && x >= 0), lines[i + 1]);
    assert.equal(s1 + f1, size[i]);
    assert.equal(s2 + f2, size[i]);
  }
  const json = JSON.parse((await runCli([...cbpp, '--format', 'json'])).stdout);
  assert.deepEqual(json.response, ['incidence', '']);
  assert.deepEqual(json.trials.slice(0, 4), size);
  assert.deepEqual(json.simulations[0].slice(0, 4), lines.slice(1, 5).map((l) => Number(l.split(',')[0])));
  // A 0/1 response stays one column per simulation.
  const binary = await runCli(['simulate', dataFile('VerbAgg'), 'r2 ~ Anger + (1 | id)', '--family', 'binomial', '--factor', 'id', '--nsim', '2']);
  assert.equal(binary.code, 0, binary.stderr);
  assert.equal(binary.stdout.split('\n')[0], 'sim_1,sim_2');
});
