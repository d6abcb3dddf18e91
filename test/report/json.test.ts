import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitLmm, glm, glmer, lm, lmer, modelJson, parseCsv } from '../../src/index.js';

const data = (name: string) => parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', `${name}.csv`)));
const sleep = data('sleepstudy');

/** converged is false exactly when a message reports a failure (the check of issue 12, case 5). */
function assertConsistent(j: Record<string, any>): void {
  const failed = (j.messages as string[]).some((m) => /fail|not converge|separation/i.test(m));
  assert.equal(j.converged, !failed, JSON.stringify(j.messages));
}

test('modelJson(m).converged is there for every kind of model and agrees with the messages', () => {
  const fits = [
    lm('Reaction ~ Days', sleep),
    glm('cbind(incidence, size - incidence) ~ period', data('cbpp'), { family: 'binomial' }),
    lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] }),
    glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', data('cbpp'), { family: 'binomial' }),
  ];
  for (const m of fits) {
    const j = modelJson(m);
    assert.equal(j.converged, true, `${m.kind}: ${JSON.stringify(j.messages)}`);
    assertConsistent(j);
  }
});

test('modelJson(m).converged is false for an LMM whose optimiser stopped early', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', sleep, { factors: ['Subject'] });
  const short = { ...m, fit: fitLmm(m.frame, { optimizer: 'bobyqa', maxEval: 8 }) };
  const j = modelJson(short) as Record<string, any>;
  assert.equal(j.converged, false);
  assert.match(j.messages.join('\n'), /the optimiser did not converge/);
  assertConsistent(j);
});

test('modelJson(m).converged is false for a separated glm, with R\'s message', () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({ y: i < 10 ? 0 : 1, x: i }));
  const j = modelJson(glm('y ~ x', rows, { family: 'binomial' })) as Record<string, any>;
  assert.equal(j.converged, false);
  assert.match(j.messages.join('\n'), /fitted probabilities numerically 0 or 1 occurred/);
  assertConsistent(j);
});
