import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diagnose, diagnostic, diagnostics, isFailure, withDiagnostics } from '../src/diagnostics.js';

test('diagnose(ds) derives messages in order and converged from the kinds', () => {
  const ok = diagnose([diagnostic('note', 'a'), diagnostic('singular', 'b'), diagnostic('approximation', 'c')]);
  assert.deepEqual(ok.messages, ['a', 'b', 'c']);
  assert.equal(ok.converged, true);
  assert.equal(diagnose([diagnostic('note', 'a'), diagnostic('convergence', 'b')]).converged, false);
  assert.equal(diagnose([diagnostic('separation', 'c')]).converged, false);
  assert.equal(diagnose([]).converged, true);
});

test('isFailure(d) is true for convergence and separation only', () => {
  assert.deepEqual(
    (['convergence', 'separation', 'singular', 'approximation', 'note'] as const).map((k) => isFailure(diagnostic(k, ''))),
    [true, true, false, false, false],
  );
});

test('withDiagnostics(fit, before) puts them first and derives messages and converged again', () => {
  const fit = { estimate: 1, ...diagnose([diagnostic('note', 'fit note')]) };
  const more = withDiagnostics(fit, [...diagnostics('note', ['first']), diagnostic('convergence', 'failed')]);
  assert.deepEqual(more.messages, ['first', 'failed', 'fit note']);
  assert.equal(more.converged, false);
  assert.equal(more.estimate, 1);
  assert.equal(withDiagnostics(fit, []), fit);
});
