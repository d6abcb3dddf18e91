// A random slope on a variable far from 0 relative to its spread: the message that names it, and
// the fits it describes (sleepstudy with Days + c in (Days | Subject)).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildFrame, glmer, lmer } from '../../../src/api/fit.js';
import { termPrecisionMessages } from '../../../src/lmm/conditioning/termPrecision.js';
import { readFileSync } from 'node:fs';
import { dataFile } from '../../cli/helpers.js';

// sleepstudy's columns, with Days shifted by c.
const rows = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map((f) => f.replace(/"/g, '')));

function withDays(c: number): Record<string, unknown[]> {
  return { Reaction: rows.map((r) => Number(r[0])), Days: rows.map((r) => Number(r[1]) + c), Subject: rows.map((r) => r[2]) };
}

test('termPrecisionMessages names a slope far from 0 relative to its spread, with its mean, and nothing else', () => {
  const messages = (c: number, formula = 'Reaction ~ Days + (Days | Subject)') => termPrecisionMessages(buildFrame(formula, withDays(c), { factors: ['Subject'] }));
  assert.deepEqual(messages(0), []);
  assert.deepEqual(messages(1e3), [], 'share 8e-6: the fit is exact there');
  const far = messages(1e4);
  assert.equal(far.length, 1);
  assert.match(far[0], /^Days in the random-effects term \(Days \| Subject\) is far from 0/);
  assert.match(far[0], /Days - 1\.00e\+4/);
  // Separate terms (no intercept beside the slope), or a slope without an intercept: not this case.
  assert.deepEqual(messages(1e4, 'Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)'), []);
});

test('lmer with Days + 1e4 in (Days | Subject) is fitted with Days centred (termCentring.test.ts): a note, not this message; Days + 1e3 fits exactly as it is', () => {
  const near = lmer('Reaction ~ Days + (Days | Subject)', withDays(1e3), { factors: ['Subject'] });
  assert.ok(Math.abs(near.fit.logLik - -871.8141359795) < 1e-8, String(near.fit.logLik));
  assert.deepEqual(near.fit.messages, []);
  const far = lmer('Reaction ~ Days + (Days | Subject)', withDays(1e4), { factors: ['Subject'] });
  assert.ok(!far.fit.messages.some((m) => /optimiser may stop early; centre it/.test(m)), far.fit.messages.join('\n'));
  assert.ok(far.fit.diagnostics.some((d) => d.kind === 'note' && /Days in the random-effects term \(Days \| Subject\) is far from 0/.test(d.message)), far.fit.messages.join('\n'));
});

test('glmer with a random slope far from 0 is fitted with it centred and says so (termCentring.test.ts)', () => {
  // Binary response from sleepstudy (Reaction above its median), Days + 1e4 in (Days | Subject).
  const data = withDays(1e4), median = [...(data.Reaction as number[])].sort((a, b) => a - b)[90];
  const model = glmer('high ~ Days + (Days | Subject)', { ...data, high: (data.Reaction as number[]).map((r) => (r > median ? 1 : 0)) }, { family: 'binomial' });
  assert.ok(model.fit.messages.some((m) => /Days in the random-effects term \(Days \| Subject\) is far from 0/.test(m)), model.fit.messages.join('\n'));
});
