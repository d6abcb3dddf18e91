/** The models of test/fixtures/tidy/broom_mixed.R, fitted here, and that script's output (broom.mixed's tables). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { glm, glmer, lm, lmer, parseCsv, type TidyRow } from '../../src/index.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const data = (name: string) => parseCsv(readFileSync(join(FIXTURES, 'data', `${name}.csv`)));
export const ref: Record<string, Record<string, Record<string, unknown>[]>> = JSON.parse(readFileSync(join(FIXTURES, 'tidy', 'broom_mixed.json'), 'utf8'));

const sleep = data('sleepstudy');
const cbpp = data('cbpp');
const sleep3 = { ...Object.fromEntries(sleep.columns), D2: { kind: 'numeric' as const, values: (sleep.columns.get('Days')!.values as Float64Array).map((d) => (d * d) / 10) } };

export const models = {
  sleep: () => lmer('Reaction ~ Days + (Days | Subject)', sleep),
  sleep3ml: () => lmer('Reaction ~ Days + (Days + D2 | Subject)', { columns: new Map(Object.entries(sleep3)), names: [...sleep.names, 'D2'], nrow: sleep.nrow }, { REML: false }),
  penicillin: () => lmer('diameter ~ 1 + (1 | plate) + (1 | sample)', data('Penicillin')),
  cbpp: () => glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', factors: ['period'] }),
  lm: () => lm('Reaction ~ Days', sleep),
  glm: () => glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial', factors: ['period'] }),
};

/**
 * Our rows against R's: R's columns first and in R's order (ours may add
 * more after them), text equal
 * (numbers R wrote for a level compared as text), numbers within `rel`
 * relative (+ `abs`), R's NA as null.
 */
export function assertRowsClose(actual: readonly TidyRow[], expected: readonly Record<string, unknown>[], rel: number, abs = 0, columns?: readonly string[]): void {
  assert.equal(actual.length, expected.length, 'number of rows');
  expected.forEach((e, i) => {
    const names = columns ?? Object.keys(e);
    if (columns === undefined) assert.deepEqual(Object.keys(actual[i]).slice(0, names.length), names, `row ${i}: R's columns first, in R's order`);
    for (const k of names) {
      const a = actual[i][k], x = e[k] ?? null;
      if (typeof x === 'number') {
        assert.equal(typeof a, 'number', `row ${i} ${k}: ${a} for ${x}`);
        assert.ok(Math.abs((a as number) - x) <= rel * Math.abs(x) + abs, `row ${i} ${k}: ${a} vs R ${x}`);
      } else assert.equal(a === null ? null : String(a), x === null ? null : String(x), `row ${i} ${k}`);
    }
  });
}
