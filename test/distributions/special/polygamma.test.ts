import { test } from 'node:test';
import assert from 'node:assert/strict';
import { digamma, trigamma } from '../../../src/distributions/special/polygamma.js';
import { assertClose } from '../close.js';

// R 4.2.2: sprintf("%.17g", digamma(x)), trigamma(x). Tolerance 1e-14 relative (absolute 1e-15 at the root of digamma).
const R: [number, number, number][] = [
  [1e-8, -100000000.57721566, 10000000000000034],
  [0.01, -100.56088545786866, 10001.621213528313],
  [0.5, -1.9635100260214231, 4.934802200544679],
  [1, -0.57721566490153231, 1.6449340668482264],
  [2.5, 0.70315664064524341, 0.49035775610023491],
  [9.99, 2.2507003728312012, 0.10527695014824182],
  [10, 2.2517525890667214, 0.10516633568168572],
  [33.3, 3.4904672385202429, 0.030485444095338887],
  [1000, 6.907255195648812, 0.0010005001666666335],
  [1e8, 18.420680738952367, 1.0000000049999981e-8],
];

test('digamma(x) and trigamma(x) agree with R', () => {
  for (const [x, psi, psi1] of R) {
    assertClose(digamma(x), psi, 1e-14, `digamma(${x})`);
    assertClose(trigamma(x), psi1, 1e-14, `trigamma(${x})`);
  }
  assert.ok(Math.abs(digamma(1.4616321449683622)) < 1e-15, 'digamma at its positive root');
});

test('digamma(x) and trigamma(x) are NaN outside x > 0', () => {
  for (const x of [0, -1, NaN]) {
    assert.ok(Number.isNaN(digamma(x)));
    assert.ok(Number.isNaN(trigamma(x)));
  }
});
