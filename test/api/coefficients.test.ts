import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lmer } from '../../src/api/fit.js';
import { parseCsv } from '../../src/io/csv.js';

const data = (name: string) => parseCsv(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'data', `${name}.csv`)));

function close(actual: number, expected: number, rel: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= rel * Math.abs(expected), `${what}: ${actual} vs R's ${expected}`);
}

test("lmer(..., { ddf: 'kenward-roger' }) gives lmerTest's Kenward-Roger t tests (cake)", () => {
  // lmerTest 3.1-3 / pbkrtest: coef(summary(m, ddf = "Kenward-Roger")) for angle ~ recipe * temp + (1 | recipe:replicate).
  const m = lmer('angle ~ recipe * temp + (1 | recipe:replicate)', data('cake'), { factors: ['recipe', 'replicate'], ddf: 'kenward-roger' });
  const R: Record<string, [number, number, number]> = {
    '(Intercept)': [5.90280167, 254.0158, 6.872205e-1],
    recipeB: [8.34782217, 254.0158, 6.623778e-1],
    temp: [0.02820748, 222.0, 1.339032e-7],
    'recipeC:temp': [0.0398914, 222.0, 9.581588e-1],
  };
  for (const c of m.coefficients) {
    const r = R[c.term];
    if (!r) continue;
    close(c.stdError, r[0], 1e-6, `${c.term} SE`);
    close(c.df!, r[1], 2e-3, `${c.term} df`);
    close(c.pValue, r[2], 1e-4, `${c.term} p`);
  }
});

test("lmer(..., { ddf: 'kenward-roger' }) adjusts the SEs on unbalanced data (sleepstudy without its first 10 rows)", () => {
  // R: d <- d[-(1:10), ]; coef(summary(lmer(Reaction ~ Days + (Days | Subject), d), ddf = "Kenward-Roger"))
  const full = data('sleepstudy');
  const cols: Record<string, unknown[]> = {};
  for (const name of full.names) {
    const c = full.columns.get(name)!;
    cols[name] = Array.from(c.values as ArrayLike<number | string | null>).slice(10);
  }
  const m = lmer('Reaction ~ Days + (Days | Subject)', cols, { factors: ['Subject'], ddf: 'kenward-roger' });
  const [a, b] = m.coefficients;
  close(a.stdError, 7.22442706447, 1e-4, 'intercept SE');
  close(b.stdError, 1.48030248783, 1e-4, 'Days SE');
  close(a.df!, 16, 1e-3, 'intercept df');
  close(b.pValue, 5.86828595547e-6, 1e-3, 'Days p');
});
