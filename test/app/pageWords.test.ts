// The library's command-line advice in the page's words (app/src/model/pageWords.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pageWords } from '../../app/src/model/pageWords.js';
import { lmer, parseCsv } from '../../src/index.js';

test('pageWords() turns the --factor advice of a value error into the data preview\'s type switch, and leaves other messages alone', () => {
  const rows = Array.from({ length: 12 }, (_, i) => `${200 + i},${i === 5 ? 'three' : i % 10},${i % 3}`);
  let message = '';
  try {
    lmer('Reaction ~ Days + (1 | Subject)', parseCsv(['Reaction,Days,Subject', ...rows].join('\n')));
  } catch (err) {
    message = (err as Error).message;
  }
  assert.match(message, /--factor Days \(library: factors: \['Days'\]\)/, 'the library\'s own words');
  const page = pageWords(message);
  assert.match(page, /make 'Days' categorical with its type switch in the data preview/);
  assert.doesNotMatch(page, /--factor|library:/);
  assert.equal(pageWords('dropped 3 rows with missing values'), 'dropped 3 rows with missing values');
});
