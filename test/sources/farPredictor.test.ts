/**
 * A predictor far from 0 relative to its spread (x = 1e4 + u) from a
 * database's sums: the model is the model with x - 1e4 (same criterion), whose
 * logLik R gives exactly: -464.730064386708 (R 4.2.2, lme4 1.1-31:
 *   i <- 0:399; u <- (i %% 7) * 0.1 + 0.01 * sin(i)
 *   d <- data.frame(g = i %% 20, u = u, y = sin(i) + (i %% 20) * 0.1 + 3 * u)
 *   logLik(lmer(y ~ u + (1 | g), d))
 * lme4 with x = 1e4 + u itself: -464.730062804103). The engine's sums lost
 * digits to the near-collinear X'WX (logLik off by 7e-5): the response's sums
 * are now taken again, shifted (lmm/conditioning/responseShift.ts), and agree to
 * 2e-8 - 1.1e-6 (DuckDB adds in an order that varies from run to run; tested
 * at 1e-8 relative, 4.6e-6);
 * x = 1e3 + u needs no second pass.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitJson } from '../cli/helpers.js';

const query = (base: number) => `SELECT (i % 20) AS g, ${base} + (i % 7) * 0.1 + 0.01 * sin(i) AS x,
  sin(i) + (i % 20) * 0.1 + 3 * ((i % 7) * 0.1 + 0.01 * sin(i)) AS y FROM range(400) t(i)`;
const EXACT = -464.730064386708;

describe('a predictor far from 0 from the sums', () => {
  it('fit duckdb: "y ~ x + (1 | g)" with x = 1e4 + u: logLik within 1e-8 (relative) of the centred model, slope 3.0672062 (two passes)', async () => {
    const out = await fitJson(['duckdb:', 'y ~ x + (1 | g)', '--query', query(1e4)]);
    assert.ok(Math.abs(out.logLik - EXACT) < 1e-8 * Math.abs(EXACT), `logLik ${out.logLik}`);
    assert.ok(Math.abs(out.coefficients[1].estimate - 3.067206173115) < 1e-6, `slope ${out.coefficients[1].estimate}`);
    assert.equal(out.source.queries, 2);
  });

  it('fit duckdb: "y ~ x + (1 | g)" with x = 1e3 + u: one pass, logLik within 1e-7', async () => {
    const out = await fitJson(['duckdb:', 'y ~ x + (1 | g)', '--query', query(1e3)]);
    assert.ok(Math.abs(out.logLik - EXACT) < 1e-7 * Math.abs(EXACT), `logLik ${out.logLik}`);
    assert.equal(out.source.queries, 1);
  });
});
