/**
 * Numbers R labels alike are one level: factor(c(0.3, 0.1 + 0.2)) has the one
 * level "0.3" (15 significant digits). The pushdown codes each level by one key
 * value in SQL, so a variable with two such values is read from the engine and
 * fitted in memory, with a note, instead of being coded as two levels (before,
 * `y ~ factor(g)` from DuckDB silently gave a different parameterisation from R's).
 * Reference: R 4.2.2, lme4 1.1-31,
 *   i <- 0:59; d <- data.frame(g = c(0.3, 0.1 + 0.2, 0.7, 1.1, 2.2)[i %% 5 + 1], x = i %% 7,
 *                              y = sin(i) + (i %% 5) * 0.3 + cos(3 * i))
 *   m <- lmer(y ~ factor(g) + (1 | x), d); logLik(m); fixef(m)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitJson } from '../cli/helpers.js';

const QUERY = `SELECT CASE i % 5 WHEN 0 THEN 0.3::DOUBLE WHEN 1 THEN 0.1::DOUBLE + 0.2::DOUBLE WHEN 2 THEN 0.7::DOUBLE WHEN 3 THEN 1.1::DOUBLE ELSE 2.2::DOUBLE END AS g,
  (i % 7)::DOUBLE AS x, sin(i) + (i % 5) * 0.3 + cos(3 * i) AS y FROM range(60) t(i)`;

const R = {
  logLik: -85.8145073226701,
  terms: ['(Intercept)', 'factor(g)0.7', 'factor(g)1.1', 'factor(g)2.2'],
  estimates: [0.113471625210379, 0.684302152768349, 0.822300080630953, 1.151886518219484],
};

describe('numeric values R labels alike', () => {
  it('fit duckdb: "y ~ factor(g) + (1 | x)" with g in {0.3, 0.1 + 0.2, ...} gives R\'s levels and estimates (1e-7), read in memory with a note', async () => {
    const out = await fitJson(['duckdb:', 'y ~ factor(g) + (1 | x)', '--query', QUERY]);
    assert.deepEqual(out.coefficients.map((c: { term: string }) => c.term), R.terms);
    out.coefficients.forEach((c: { estimate: number }, t: number) => assert.ok(Math.abs(c.estimate - R.estimates[t]) < 1e-7, `${R.terms[t]}: ${c.estimate}`));
    assert.ok(Math.abs(out.logLik - R.logLik) < 1e-7, `logLik ${out.logLik}`);
    assert.equal(out.source.pushdown, 'none');
    assert.ok(out.messages.some((m: string) => /'factor\(g\)'.*both labelled 0\.3/.test(m)), `messages: ${out.messages}`);
  });

  it('fit duckdb: "y ~ x + (1 | g)" groups 0.3 and 0.1 + 0.2 together: 4 levels as R', async () => {
    const out = await fitJson(['duckdb:', 'y ~ x + (1 | g)', '--query', QUERY]);
    assert.deepEqual(out.ngrps, { g: 4 });
    assert.deepEqual(Object.keys(out.ranef.g['(Intercept)']), ['0.3', '0.7', '1.1', '2.2']);
  });
});
