// Every LMM reference except InstEval (lmmInstEval.test.ts) agrees with lme4 through the CLI's JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, readRef } from './helpers.js';
import { checkMixedReference } from './lmmReferences.js';

const refs = readdirSync(join(FIXTURES, 'refs'))
  .filter((f) => !/^(lm|glm|anova|inference)_/.test(f))
  .map((f) => readRef(f.replace(/\.json$/, '')))
  .filter((r) => r.kind === undefined && r.family === 'gaussian' && r.data !== 'InstEval');

test('the reference set holds the LMM cases', () => {
  assert.ok(refs.length >= 10);
});

for (const ref of refs) {
  test(`mixedmodels fit --format json agrees with lme4 for ${ref.name} (${ref.formula})`, async () => {
    const out = await checkMixedReference(ref);
    assert.equal(out.model, 'lmm');
    assert.equal(out.REML, ref.REML);
  });
}
