/**
 * Grouping ids beyond 2^53 (64-bit ids): as R reads them (doubles, levels
 * labelled by as.character: every digit of a whole number), the same levels
 * from a CSV file in memory and from a BIGINT column in DuckDB, and a note
 * that ids this large may have merged. R 4.2.2 / lme4 1.1-31 on the same CSV:
 * 10 levels, logLik -243.44662276118, first levels 1152921504606846976,
 * 1152921504606848000, 1152921504606849024.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvWriter, fitJson, runCli } from '../cli/helpers.js';

const csv = csvWriter('mm-bigids-');
const ID = 1152921504606846976n; // 2^60
const row = (i: number) => `${Math.sin(i) + (i % 10) * 0.5},${i % 7},${(ID + 1000n * BigInt(i % 10)).toString()}`;

function check(out: Record<string, any>): void {
  assert.deepEqual(out.ngrps, { g: 10 });
  assert.ok(Math.abs(out.logLik - -243.44662276118) < 1e-9, `logLik ${out.logLik}`);
  assert.deepEqual(Object.keys(out.ranef.g['(Intercept)']).slice(0, 3), ['1152921504606846976', '1152921504606848000', '1152921504606849024']);
  assert.ok(out.messages.some((m: string) => /beyond 2\^53/.test(m)), `messages: ${out.messages}`);
}

describe('grouping ids beyond 2^53', () => {
  it('fit ids.csv "y ~ x + (1 | g)" keeps R\'s levels and notes the ids\' size', async () => {
    check(await fitJson([csv('ids.csv', 'y,x,g', 200, row), 'y ~ x + (1 | g)']));
  });

  it('fit duckdb: --query with a BIGINT id column gives the same levels and note', async () => {
    const query = `SELECT (${ID} + 1000 * (i % 10))::BIGINT AS g, (i % 7)::DOUBLE AS x, sin(i) + (i % 10) * 0.5 AS y FROM range(200) t(i)`;
    check(await fitJson(['duckdb:', 'y ~ x + (1 | g)', '--query', query]));
    // The residual summary joins the modes on the id column: not with keys that came back as doubles.
    const text = await runCli(['fit', 'duckdb:', 'y ~ x + (1 | g)', '--query', query]);
    assert.match(text.stdout, /Scaled residuals: not computed/);
  });
});
