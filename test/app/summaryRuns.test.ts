// The model summary's long lines (notes) as runs of their own that wrap in the page (app/src/model/summaryRuns.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryRuns, WRAP_OVER } from '../../app/src/model/summaryRuns.js';

test('summaryRuns(text) makes each line longer than WRAP_OVER a wrapping run of its own, joins the rest, and loses no character', () => {
  const note = `note: ${'the standard errors are lme4\'s '.repeat(6)}end`;
  assert.ok(note.length > WRAP_OVER);
  const table = '            Estimate Std. Error\n(Intercept)   -1.3983     0.2312';
  const text = `${table}\n\n${note}\n${note}\nlast line`;
  const runs = summaryRuns(text);
  assert.deepEqual(runs, [
    { text: `${table}\n\n`, wrap: false },
    { text: note, wrap: true },
    { text: '\n', wrap: false },
    { text: note, wrap: true },
    { text: '\nlast line', wrap: false },
  ]);
  assert.equal(runs.map((r) => r.text).join(''), text);
  assert.deepEqual(summaryRuns(table), [{ text: table, wrap: false }]);
  assert.deepEqual(summaryRuns(note), [{ text: note, wrap: true }]);
  assert.deepEqual(summaryRuns(''), []);
});
