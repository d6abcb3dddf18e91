/**
 * A constant response in the engine (lmm/lmmSums.ts checkVaries): told from
 * the first query's sums when they show variation for certain, otherwise by
 * min(y) and max(y) (carried by the shifted sums' query, or one more query),
 * so that a constant y is refused as in memory and a y that varies only in
 * its last digits is still fitted.
 * Through DuckDB (always here): CSV files read with --pushdown on.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvWriter, fitFails, fitJson, noise } from '../cli/helpers.js';

const csv = csvWriter('mm-constant-');

describe('constant response, pushed down', () => {
  it('fit with a constant y is refused as in memory (no fixed effects: the range takes its own query)', async () => {
    const path = csv('const0.csv', 'y,x,g', 40, (i) => `5,${i},${i % 4}`);
    await fitFails([path, 'y ~ 0 + (1 | g)', '--pushdown', 'on'], /response 'y' is constant \(every value is 5\)/);
  });

  it('fit with a constant y is refused as in memory', async () => {
    const path = csv('const.csv', 'y,x,g', 40, (i) => `5,${i},${i % 4}`);
    await fitFails([path, 'y ~ x + (1 | g)', '--pushdown', 'on'], /response 'y' is constant \(every value is 5\)/);
  });

  it('fit with a constant y and an offset (whose sums cannot tell) is refused', async () => {
    const path = csv('const_offset.csv', 'y,x,g', 40, (i) => `5,${i},${i % 4}`);
    await fitFails([path, 'y ~ x + offset(x / 10) + (1 | g)', '--pushdown', 'on'], /response 'y' is constant/);
  });

  it('fit with y varying in its tenth digit takes its sums again, shifted, with its range, and fits as in memory', async () => {
    const path = csv('nearly.csv', 'y,x,g', 40, (i) => `${1e6 + 1e-4 * (noise(i) + (i % 4))},${i},${i % 4}`);
    const out = await fitJson([path, 'y ~ x + (1 | g)', '--pushdown', 'on']);
    assert.equal(out.source.pushdown, 'sums');
    // The sums, then the sums again of y less its least-squares fit (responseShift), which carry min and max of y.
    assert.equal(out.source.queries, 2);
    const memory = await fitJson([path, 'y ~ x + (1 | g)']);
    assert.ok(Math.abs(out.logLik - memory.logLik) <= 1e-7 * Math.abs(memory.logLik), `logLik ${out.logLik} vs ${memory.logLik}`);
    assert.ok(Math.abs(out.sigma - memory.sigma) <= 1e-6 * memory.sigma, `sigma ${out.sigma} vs ${memory.sigma}`);
  });

  it('fit with y that clearly varies needs one query', async () => {
    const path = csv('varies.csv', 'y,x,g', 40, (i) => `${noise(i) + (i % 4)},${i},${i % 4}`);
    const out = await fitJson([path, 'y ~ x + (1 | g)', '--pushdown', 'on']);
    assert.equal(out.source.queries, 1);
  });
});
