import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitModel, glm, glmer, lm, lmer, parseCsv, render, MixedModelsError } from '../../src/index.js';

const sleep = parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', 'sleepstudy.csv')));
const ref = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'refs', 'sleepstudy_slopes_reml.json'), 'utf8'));

function rowsOf(t: ReturnType<typeof parseCsv>): Record<string, unknown>[] {
  return Array.from({ length: t.nrow }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const name of t.names) {
      const c = t.columns.get(name)!;
      row[name] = c.kind === 'numeric' ? c.values[i] : c.values[i];
    }
    return row;
  });
}

test('lmer(formula, rows, { factors }) fits from an array of row objects', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', rowsOf(sleep), { factors: ['Subject'] });
  assert.equal(m.kind, 'lmm');
  assert.ok(Math.abs(m.fit.logLik - ref.logLik) < 1e-6);
  assert.deepEqual([...m.fit.coefnames], ['(Intercept)', 'Days']);
});

test('lmer(formula, columns) fits from an object of columns and leaves the input unchanged', () => {
  const cols = { Reaction: Array.from((sleep.columns.get('Reaction') as any).values as Float64Array), Days: Array.from((sleep.columns.get('Days') as any).values as Float64Array), Subject: Array.from((sleep.columns.get('Subject') as any).values as Float64Array, String) };
  const before = JSON.stringify(cols);
  const m = lmer('Reaction ~ Days + (Days | Subject)', cols);
  assert.ok(Math.abs(m.fit.logLik - ref.logLik) < 1e-6);
  assert.equal(JSON.stringify(cols), before);
});

test('fitModel picks lm, glm or lmm from the formula and family', () => {
  assert.equal(fitModel('Reaction ~ Days', sleep).kind, 'lm');
  assert.equal(fitModel('Reaction ~ Days', sleep, { family: 'gaussian' }).kind, 'glm');
  assert.equal(fitModel('Reaction ~ Days + (1 | Subject)', sleep, { factors: ['Subject'] }).kind, 'lmm');
});

test('lm and glm(gaussian) agree on coefficients', () => {
  const a = lm('Reaction ~ Days', sleep).fit.coefficients;
  const b = glm('Reaction ~ Days', sleep).fit.coefficients;
  a.forEach((c, i) => assert.ok(Math.abs(c.estimate - b[i].estimate) < 1e-9));
});

test('lmer without a bar explains what to use instead', () => {
  assert.throws(() => lmer('Reaction ~ Days', sleep), (e: unknown) => e instanceof MixedModelsError && /random-effects term/.test(e.message));
});

test('render(model, format) gives text, markdown and parseable JSON', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] });
  assert.match(render(m, 'text'), /Random effects:[\s\S]*Subject[\s\S]*Fixed effects:/);
  assert.match(render(m, 'markdown'), /\| Groups \| Name \|/);
  const json = JSON.parse(render(m, 'json'));
  assert.equal(json.model, 'lmm');
  assert.equal(json.varCorr.at(-1).group, 'Residual');
  // performance::r2_nakagawa on this model: marginal 0.279, conditional 0.799.
  assert.ok(Math.abs(json.r2.marginal - 0.279) < 1e-3 && Math.abs(json.r2.conditional - 0.799) < 1e-3, JSON.stringify(json.r2));
});

test('glm, glmer and fitModel refuse a link the family does not have before reading the data', () => {
  for (const f of [glm, fitModel]) {
    assert.throws(() => f('y ~ x', null, { family: 'binomial', link: 'inverse' }), /link 'inverse' is not available for family binomial; its links are logit, probit, cauchit, log, cloglog/);
  }
  assert.throws(() => glmer('y ~ x + (1 | g)', null, { family: 'poisson', link: 'logit' }), /link 'logit' is not available for family poisson/);
});
