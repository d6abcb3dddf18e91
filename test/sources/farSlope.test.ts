/**
 * A random slope far from 0 relative to its spread from a database's sums: sleepstudy with
 * D = Days + 1e4 in (D | Subject). The sums fit stopped at logLik -871.8162 (for -871.8141,
 * R's on Days: lme4 1.1-31 -871.8141359795), converged and silent; now the blocks are
 * centred (lmm/conditioning/termCentring.ts sumsCentring) and the estimates mapped back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dataFile, fitJson } from '../cli/helpers.js';

const query = (shift: number) => `SELECT Reaction, Days + ${shift} AS D, CAST(Subject AS VARCHAR) AS Subject FROM read_csv('${dataFile('sleepstudy')}')`;

describe('a random slope far from 0 from the sums', () => {
  it('fit duckdb: "Reaction ~ D + (D | Subject)" with D = Days + 1e4: the fit on Days (logLik, slope sd, slope, df), with a note', async () => {
    const [far, near] = await Promise.all([fitJson(['duckdb:', 'Reaction ~ D + (D | Subject)', '--query', query(1e4)]), fitJson(['duckdb:', 'Reaction ~ D + (D | Subject)', '--query', query(0)])]);
    assert.equal(far.source.pushdown, 'sums');
    assert.ok(Math.abs(far.logLik - -871.8141359795) < 1e-9 * 871.8, `logLik ${far.logLik}`);
    assert.equal(far.converged, true);
    const sd = (out: Record<string, any>, v: string) => out.varCorr.find((r: Record<string, any>) => r.var1 === v && r.var2 === null).sdcor;
    assert.ok(Math.abs(sd(far, 'D') - sd(near, 'D')) < 1e-4 * sd(near, 'D'), `slope sd ${sd(far, 'D')} vs ${sd(near, 'D')}`);
    assert.ok(Math.abs(far.coefficients[1].estimate - near.coefficients[1].estimate) < 1e-8, 'slope');
    assert.ok(Math.abs(far.coefficients[1].df - near.coefficients[1].df) < 1e-3, `df ${far.coefficients[1].df} vs ${near.coefficients[1].df}`);
    assert.ok(far.messages.some((m: string) => /D in the random-effects term \(D \| Subject\) is far from 0 relative to its spread: the model was fitted with it centred/.test(m)), far.messages.join('\n'));
    assert.ok(Math.abs(far.icc.adjusted - near.icc.adjusted) < 1e-5, 'icc');
  });
});
