// InstEval (73,421 ratings; students x lecturers x departments crossed) against lme4.
// The Satterthwaite df are checked in test/inference/ddf/satterthwaiteInstEval.test.ts
// (with the p-value tolerance that InstEval's intercept t of 112 needs).
import { test } from 'node:test';
import { readRef } from './helpers.js';
import { checkMixedReference } from './lmmReferences.js';

for (const name of ['insteval_crossed', 'insteval_dept_service']) {
  test(`mixedmodels fit --format json agrees with lme4 for ${name}`, async () => {
    await checkMixedReference(readRef(name), { satterthwaite: false });
  });
}
