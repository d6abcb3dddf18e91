import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fitLmm, glmer, lmer, parseCsv, render } from '../../src/index.js';

const data = (name: string) => parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', `${name}.csv`)));

test('summaryLmm prints a failed convergence as lme4 prints its warnings: below the optimiser line', () => {
  const m = lmer('Reaction ~ Days + (Days | Subject)', data('sleepstudy'), { factors: ['Subject'] });
  const text = render({ ...m, fit: fitLmm(m.frame, { optimizer: 'bobyqa', maxEval: 8 }) }, 'text');
  assert.match(text, /\noptimizer: bobyqa, 8 evaluations, [\d.]+ s \(did not converge\)\nthe optimiser did not converge: [^\n]+\n/);
  assert.doesNotMatch(text, /note: the optimiser did not converge/);
  assert.doesNotMatch(render(m, 'text'), /did not converge/);
});

test('summaryGlmm prints every failure below the optimiser line, as lme4 prints its warnings', () => {
  const m = glmer('y ~ Days + (1 | Subject)', rowsWithY(), { family: 'binomial', factors: ['Subject'] });
  const lines = render(m, 'text').split('\n');
  const at = lines.findIndex((l) => l.startsWith('optimizer: '));
  assert.match(lines[at], /\(did not converge\)$/);
  const block = lines.slice(at + 1, lines.indexOf('', at + 1));
  assert.deepEqual(block, m.fit.diagnostics.filter((d) => d.kind === 'convergence' || d.kind === 'separation').map((d) => d.message));
  assert.ok(block.some((l) => /^fitted probabilities numerically 0 or 1 occurred/.test(l)));
  assert.ok(block.some((l) => /^Model failed to converge/.test(l)));
});

/** sleepstudy with y = 1 exactly when Days > 4: the fixed effects separate the data. */
function rowsWithY(): Record<string, unknown>[] {
  const t = data('sleepstudy');
  const days = t.columns.get('Days')!.values as Float64Array;
  const subj = t.columns.get('Subject')!.values;
  return Array.from({ length: t.nrow }, (_, i) => ({ y: days[i] > 4 ? 1 : 0, Days: days[i], Subject: subj[i] }));
}
