import { test } from 'node:test';
import assert from 'node:assert/strict';
import { augment, lmer, parseCsv, tidy } from '../../src/index.js';
import { csvWriter, dataFile, fitFails, runCli } from './helpers.js';
import { readFileSync } from 'node:fs';

const SLEEP = [dataFile('sleepstudy'), 'Reaction ~ Days + (Days | Subject)'];
const model = lmer(SLEEP[1], parseCsv(readFileSync(SLEEP[0])));

/** A CSV line split into fields (enough for these tables: quoted fields hold no newlines). */
function fields(line: string): string[] {
  return [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]);
}

test('mixedmodels fit --tidy fixed --conf-int --format csv prints tidy(m) with every digit', async () => {
  const r = await runCli(['fit', ...SLEEP, '--tidy', 'fixed', '--conf-int', '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'effect,term,estimate,std.error,statistic,df,p.value,conf.low,conf.high');
  const want = tidy(model, { effects: 'fixed', confInt: true });
  lines.slice(1).forEach((line, i) => {
    const f = fields(line);
    assert.equal(f[1], want[i].term);
    assert.equal(Number(f[2]), want[i].estimate);
    assert.equal(Number(f[8]), want[i]['conf.high']);
  });
});

test('mixedmodels fit --tidy ranef|varcorr|glance|augment prints the tables in csv, json, text and markdown', async () => {
  const ranef = await runCli(['fit', ...SLEEP, '--tidy', 'ranef', '--format', 'json']);
  assert.deepEqual(JSON.parse(ranef.stdout), tidy(model, { effects: 'ran_vals' }));
  const varcorr = await runCli(['fit', ...SLEEP, '--tidy', 'varcorr', '--format', 'text']);
  assert.match(varcorr.stdout, /^effect\s+group\s+term\s+estimate\nran_pars\s+Subject\s+sd__\(Intercept\)\s+24\.74/);
  const glance = await runCli(['fit', ...SLEEP, '--tidy', 'glance', '--format', 'markdown']);
  assert.match(glance.stdout, /^\| nobs \| sigma \| logLik \| AIC \| BIC \| REMLcrit \| df.residual \|/);
  const aug = await runCli(['fit', ...SLEEP, '--tidy', 'augment', '--format', 'csv']);
  const lines = aug.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 181);
  assert.equal(Number(fields(lines[1])[3]), augment(model)[0]['.fitted']);
});

test('mixedmodels fit --tidy augment --format csv quotes commas and guards formulas in the data', async () => {
  const write = csvWriter('mm-tidy-');
  const file = write('inj.csv', 'y,x,g,note', 40, (i) => `${(i % 7) + 0.1 * i},${i % 5},"g${i % 4}","${i === 0 ? '=HYPERLINK(""http://x"")' : i === 1 ? 'a, b' : i === 2 ? '-1' : 'ok'}"`);
  const r = await runCli(['fit', file, 'y ~ x + (1 | g)', '--tidy', 'augment', '--format', 'csv']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.equal(fields(lines[1])[3], `"'=HYPERLINK(""http://x"")"`);
  assert.equal(fields(lines[2])[3], '"a, b"');
  assert.equal(fields(lines[3])[3], '-1');
});

test('mixedmodels fit --format csv without --tidy, --level without --conf-int, and --tidy ranef of an lm exit 1', async () => {
  await fitFails([...SLEEP, '--format', 'csv'], /--format csv prints a tidy table: add --tidy/);
  await fitFails([...SLEEP, '--tidy', 'fixed', '--level', '0.9'], /add --conf-int/);
  await fitFails([...SLEEP, '--tidy', 'fixed', '--conf-int', '--level', '2'], /--level must be a number between 0 and 1/);
  await fitFails([dataFile('sleepstudy'), 'Reaction ~ Days', '--tidy', 'ranef'], /needs a mixed model/);
  await fitFails([...SLEEP, '--tidy', 'coef'], /Allowed choices are fixed, ranef, varcorr, glance, augment/);
});
