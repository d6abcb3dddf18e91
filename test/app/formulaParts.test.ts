// The form <-> formula-box sync (app/src/model/formulaParts.ts): reading a formula into parts and writing it back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  emptyParts,
  fixedOnlyFormula,
  formulaColumns,
  formulaNames,
  formulaParts,
  formulaText,
  nestedSuggestion,
  predictorColumns,
  withGroup,
  withInteraction,
  withMainEffect,
  withResponse,
  withSlopes,
  withoutPiece,
} from '../../app/src/model/formulaParts.js';

test('formulaParts() reads the response, main effects, interactions and random terms as written', () => {
  const p = formulaParts('Reaction ~ Days + a:b + x*z + poly(x, 2) + (Days | Subject) + (1 | g) + (0 + x || h) + (1 | a/b)');
  assert.deepEqual(p.response, { mode: 'column', column: 'Reaction' });
  assert.deepEqual(p.pieces.map((q) => [q.kind, q.text]), [
    ['main', 'Days'],
    ['interaction', 'a:b'],
    ['interaction', 'x*z'],
    ['other', 'poly(x, 2)'],
    ['random', '(Days | Subject)'],
    ['random', '(1 | g)'],
    ['other', '(0 + x || h)'],
    ['other', '(1 | a/b)'],
  ]);
  const r = p.pieces[4];
  assert.ok(r.kind === 'random' && r.group === 'Subject' && r.correlated && r.slopes.join() === 'Days');
});

test('formulaParts() reads cbind(s, n - s) as successes out of trials and keeps any other response as text', () => {
  assert.deepEqual(formulaParts('cbind(incidence, size - incidence) ~ period').response, { mode: 'counts', successes: 'incidence', trials: 'size' });
  assert.deepEqual(formulaParts('cbind(a, b) ~ 1').response, { mode: 'custom', text: 'cbind(a, b)' });
  assert.deepEqual(formulaParts('log(y) ~ x').response, { mode: 'custom', text: 'log(y)' });
  assert.deepEqual(formulaParts('~ x').response, { mode: 'none' });
});

test('formulaText(formulaParts(f)) gives f back for formulas in the usual spacing, with - terms', () => {
  for (const f of ['y ~ x + (1 | g)', 'y ~ x - 1 + (x || g)', 'y ~ 1', 'cbind(s, n - s) ~ poly(x, 2) + (1 | a/b)']) assert.equal(formulaText(formulaParts(f)), f);
});

test('formulaParts() throws the library\'s caret message for a formula that does not parse', () => {
  assert.throws(() => formulaParts('y ~ x + (1 | g'), /unclosed '\('\n {2}y ~ x \+ \(1 \| g\n {10}\^/);
});

test('withMainEffect(), withGroup() and withSlopes() build sleepstudy\'s model from empty parts', () => {
  let p = withResponse(emptyParts(), { mode: 'column', column: 'Reaction' });
  assert.equal(formulaText(p), 'Reaction ~ 1');
  p = formulaParts(formulaText(p));
  p = withMainEffect(p, 'Days', true);
  assert.equal(formulaText(p), 'Reaction ~ Days', 'the bare 1 goes once there is a term');
  p = withGroup(p, 'Subject', true);
  assert.equal(formulaText(p), 'Reaction ~ Days + (1 | Subject)');
  p = withSlopes(p, 'Subject', ['Days'], true);
  assert.equal(formulaText(p), 'Reaction ~ Days + (Days | Subject)');
  p = withSlopes(p, 'Subject', ['Days'], false);
  assert.equal(formulaText(p), 'Reaction ~ Days + (Days || Subject)');
});

test('withMainEffect() inserts before the random terms and keeps the other pieces as written', () => {
  const p = formulaParts('y ~ poly(x, 2) + (1 | g)');
  assert.equal(formulaText(withMainEffect(p, 'my col', true)), 'y ~ poly(x, 2) + `my col` + (1 | g)');
  assert.equal(formulaText(withMainEffect(formulaParts('y ~ a + b + (1 | g)'), 'a', false)), 'y ~ b + (1 | g)');
  assert.equal(formulaText(withInteraction(formulaParts('y ~ a + b'), 'a', 'b')), 'y ~ a + b + a:b');
  assert.equal(formulaText(withGroup(formulaParts('y ~ a + (a | g) + (1 | h)'), 'g', false)), 'y ~ a + (1 | h)');
  assert.equal(formulaText(withoutPiece(formulaParts('y ~ a + b'), 0)), 'y ~ b');
});

test('fixedOnlyFormula() and nestedSuggestion() give the models to compare with', () => {
  assert.equal(fixedOnlyFormula('Reaction ~ Days + (Days | Subject)'), 'Reaction ~ Days');
  assert.equal(fixedOnlyFormula('y ~ (1 | g) + (1 | a/b)'), 'y ~ 1');
  assert.equal(nestedSuggestion('Reaction ~ Days + (Days | Subject)'), 'Reaction ~ Days + (1 | Subject)');
  assert.equal(nestedSuggestion('y ~ a + b + (1 | g)'), 'y ~ a + (1 | g)');
  assert.equal(nestedSuggestion('y ~ a + (1 | g)'), 'y ~ (1 | g)');
  assert.equal(nestedSuggestion('y ~ (1 | g)'), 'y ~ 1');
});

test('formulaNames(), formulaColumns() and predictorColumns() find the variables, not the functions', () => {
  assert.deepEqual(formulaNames('log(y) ~ poly(x, 2) + factor(p) + (x | g)'), ['y', 'x', 'p', 'g']);
  assert.deepEqual(formulaColumns('cbind(s, n - s) ~ x + (1 | g)', ['g', 'n', 's', 'x', 'unused']), ['s', 'n', 'x', 'g']);
  assert.deepEqual(predictorColumns('Reaction ~ Days + (Days | Subject)', ['Reaction', 'Days', 'Subject']), ['Days', 'Subject']);
});
