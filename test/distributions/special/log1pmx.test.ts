import { test } from 'node:test';
import { log1pmx } from '../../../src/distributions/special/log1pmx.js';
import { assertClose } from '../close.js';

test('log1pmx(u) keeps relative accuracy near 0, where log1p(u) - u cancels', () => {
  // Taylor series -u^2/2 + u^3/3 - u^4/4 + u^5/5, exact to rounding at |u| = 1e-4.
  for (const u of [1e-4, -1e-4]) assertClose(log1pmx(u), -(u ** 2) / 2 + u ** 3 / 3 - u ** 4 / 4 + u ** 5 / 5, 1e-15, `u=${u}`);
});

test('log1pmx(u) equals log(1 + u) - u where that does not cancel', () => {
  for (const u of [-0.9, -0.5, 0.3, 1, 5, 1e3]) assertClose(log1pmx(u), Math.log1p(u) - u, 4e-16 * 8, `u=${u}`);
});
