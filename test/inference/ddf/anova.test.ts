// anova(model, { type, ddf }) against lmerTest 3.1-3 (pbkrtest 0.5.2 for Kenward-Roger); the tables with
// sums of squares further down.
// the cake reference (test/fixtures/refs/anova_cake_type3.json: F within 1e-4 relative,
// denominator df within 0.2%), and lmerTest's printed anova tables (F within 1e-3, as
// printed to 5-7 digits) for cake and for cake without rows 3, 17, 40, 41, 99, 150, 151,
// 152, 200, 260 (unbalanced):
//   cu <- cake[-c(3, 17, 40, 41, 99, 150, 151, 152, 200, 260), ]
//   m <- lmer(angle ~ recipe * temp + (1 | recipe:replicate), cu)
//   print(anova(m, type = 3), digits = 12); anova(m, type = 1); anova(m, ddf = "Kenward-Roger")
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lm, lmer, glm, glmer } from '../../../src/api/fit.js';
import { readCsvFile } from '../../../src/io/readTable.js';
import { anova, type AnovaRow } from '../../../src/inference/ddf/anova.js';
import { MixedModelsError } from '../../../src/errors.js';
import { assertClose, dataFile, readRef, rFixture } from '../../cli/helpers.js';

const cake = readCsvFile(dataFile('cake'));
const factors = ['recipe', 'replicate'];

function unbalancedCake(): Record<string, unknown[]> {
  const drop = new Set([3, 17, 40, 41, 99, 150, 151, 152, 200, 260]);
  const out: Record<string, unknown[]> = {};
  for (const name of cake.names) {
    const col = cake.columns.get(name)!;
    const values: unknown[] = Array.from(col.values as ArrayLike<unknown>);
    out[name] = values.filter((_, i) => !drop.has(i + 1));
  }
  return out;
}

function check(rows: AnovaRow[], expected: [string, number, number, number][], what: string): void {
  assert.deepEqual(rows.map((r) => r.term), expected.map((e) => e[0]));
  rows.forEach((r, i) => {
    const [term, numDf, denDf, F] = expected[i];
    assert.equal(r.numDf, numDf, `${what} ${term} numDf`);
    assertClose(r.denDf, denDf, 2e-3, `${what} ${term} denDf`);
    assertClose(r.F, F, 1e-3, `${what} ${term} F`);
  });
}

for (const [method, key] of [['satterthwaite', 'satterthwaite'], ['kenward-roger', 'kenward_roger']] as const) {
  test(`anova(lmer(angle ~ recipe * temp + (1 | recipe:replicate)), { type: 3, ddf: '${method}' }) agrees with lmerTest`, () => {
    const ref = readRef('anova_cake_type3');
    const rows = anova(lmer(ref.formula, cake, { factors: ref.factors }), { type: 3, ddf: method });
    assert.deepEqual(rows.map((r) => r.term), ref[key].map((r: any) => r.term));
    rows.forEach((r, i) => {
      const e = ref[key][i];
      assert.equal(r.numDf, e.numdf);
      assertClose(r.F, e.F, 1e-4, `${e.term} F`);
      assertClose(r.denDf, e.dendf, 2e-3, `${e.term} denDf`);
      assertClose(r.pValue, e.p, 1e-3, `${e.term} p`);
    });
  });
}

test('anova(model, { type: 1 }) equals type III on a balanced factorial (cake, recipe * temperature)', () => {
  const m = lmer('angle ~ recipe * temperature + (1 | recipe:replicate)', cake, { factors: [...factors, 'temperature'] });
  const one = anova(m, { type: 1 }), three = anova(m);
  // lmerTest: recipe F = 0.24879 on (2, 42), temperature 20.51986 on (5, 210), recipe:temperature 1.00620 on (10, 210).
  check(three, [['recipe', 2, 42, 0.24879], ['temperature', 5, 210, 20.51986], ['recipe:temperature', 10, 210, 1.0062]], 'type III');
  // The same hypotheses; lmerTest rounds its type III rows to 7 digits (zapsmall), which moves F by parts in 1e8.
  one.forEach((r, i) => {
    assertClose(r.F, three[i].F, 1e-7, `${r.term} F`);
    assertClose(r.denDf, three[i].denDf, 1e-7, `${r.term} denDf`);
  });
});

test('anova(model, { type }) agrees with lmerTest on unbalanced data (numeric covariate)', () => {
  const m = lmer('angle ~ recipe * temp + (1 | recipe:replicate)', unbalancedCake(), { factors });
  check(anova(m, { type: 3 }), [['recipe', 2, 241.911438746, 0.03414], ['temp', 1, 212.347969897, 92.556], ['recipe:temp', 2, 212.345174667, 0.01773]], 'type III');
  check(anova(m, { type: 1 }), [['recipe', 2, 41.9129543371, 0.20753], ['temp', 1, 212.3395826412, 92.54449], ['recipe:temp', 2, 212.3449948301, 0.01773]], 'type I');
  check(anova(m, { ddf: 'kenward-roger' }), [['recipe', 2, 241.936609315, 0.03413], ['temp', 1, 212.425374997, 92.54576], ['recipe:temp', 2, 212.422449186, 0.01773]], 'KR');
});

test('anova(model, { type }) agrees with lmerTest on unbalanced data (two factors)', () => {
  const m = lmer('angle ~ recipe * temperature + (1 | recipe:replicate)', unbalancedCake(), { factors: [...factors, 'temperature'] });
  check(anova(m), [['recipe', 2, 41.8990950357, 0.23274], ['temperature', 5, 200.231754558, 20.03528], ['recipe:temperature', 10, 200.2257816199, 0.89762]], 'type III');
  check(anova(m, { type: 1 }), [['recipe', 2, 41.8855977087, 0.20925], ['temperature', 5, 200.2141367476, 19.99545], ['recipe:temperature', 10, 200.22600663, 0.89762]], 'type I');
  check(anova(m, { ddf: 'kenward-roger' }), [['recipe', 2, 41.9880619688, 0.23273], ['temperature', 5, 200.3204460321, 20.03313], ['recipe:temperature', 10, 200.3145869298, 0.8975]], 'KR');
});

test('anova(lm(...)) gives exact F tests on the residual df, type I by default as R', () => {
  const m = lm('angle ~ recipe * temperature', cake, { factors: ['recipe', 'temperature'] });
  const rows = anova(m);
  const terms = rows.slice(0, -1);
  for (const r of terms) assert.equal(r.denDf, m.fit.dfResidual);
  // R: anova(lm(angle ~ recipe * temperature, cake)): F = 1.08404, 6.74168, 0.33058 on 252 df.
  check(terms, [['recipe', 2, 252, 1.08404], ['temperature', 5, 252, 6.74168], ['recipe:temperature', 10, 252, 0.33058]], 'lm type I');
  check(anova(m, { type: 3 }).slice(0, -1), [['recipe', 2, 252, 1.08404], ['temperature', 5, 252, 6.74168], ['recipe:temperature', 10, 252, 0.33058]], 'lm type III (balanced)');
  assert.equal(rows.at(-1)!.term, 'Residuals');
});

test('anova(model) of an intercept-only model is empty', () => {
  assert.deepEqual(anova(lmer('Yield ~ 1 + (1 | Batch)', readCsvFile(dataFile('Dyestuff')))), []);
});

test('anova(glmer(...)), anova(glm(...), { type: 3 }) and bad options throw MixedModelsError', () => {
  const cbpp = readCsvFile(dataFile('cbpp'));
  const g = glm('cbind(incidence, size - incidence) ~ period', cbpp, { family: 'binomial', factors: ['period'] });
  assert.equal(anova(g).length, 2);
  assert.throws(() => anova(g, { type: 3 }), /type 1/);
  assert.throws(() => anova(glmer('cbind(incidence, size - incidence) ~ period + (1 | herd)', cbpp, { family: 'binomial', factors: ['period', 'herd'] })), MixedModelsError);
  const m = lmer('Reaction ~ Days + (1 | Subject)', readCsvFile(dataFile('sleepstudy')));
  assert.throws(() => anova(m, { type: 4 as 1 }), /type must be 1, 2 or 3/);
  assert.throws(() => anova(m, { ddf: 'containment' as 'satterthwaite' }), /ddf must be/);
});

// lmerTest's tables with sums of squares: test/fixtures/refs/anova_cake_types.json (shared reference) and
// anova_extra.json (test/fixtures/r/anova_refs.R). Sum Sq, Mean Sq and F within 1e-4, DenDF and p within 2e-3.
function compareTable(rows: AnovaRow[], expected: Record<string, any>[], what: string): void {
  for (const e of expected) {
    const r = rows.find((x) => x.term === e.term);
    assert.ok(r, `${what}: no row ${e.term}`);
    assert.equal(r.numDf, e.numDf, `${what} ${e.term} numDf`);
    for (const f of ['sumSq', 'meanSq', 'F'] as const) assertClose(r[f], e[f], 1e-4, `${what} ${e.term} ${f}`);
    assertClose(r.denDf, e.denDf, 2e-3, `${what} ${e.term} denDf`);
    assertClose(r.pValue, e.pValue, 2e-3, `${what} ${e.term} p`);
  }
}

test('anova(lmer(angle ~ recipe * temperature + ...), { type: 2 | 3 }) gives lmerTest\'s sums of squares (anova_cake_types)', () => {
  const ref = readRef('anova_cake_types');
  const m = lmer(ref.formula, cake, { factors: ref.factors });
  compareTable(anova(m, { type: 2 }), ref.type2_satterthwaite, 'type II Satterthwaite');
  compareTable(anova(m, { type: 3 }), ref.type3_satterthwaite, 'type III Satterthwaite');
  compareTable(anova(m, { type: 2, ddf: 'kenward-roger' }), ref.type2_kenward_roger, 'type II Kenward-Roger');
});

for (const c of rFixture('anova_extra').cases.filter((x: any) => x.kind === 'lmm')) {
  test(`anova(lmer(${c.formula}), { type: 1 | 2 | 3, ddf }) agrees with lmerTest on ${c.data}`, () => {
    const m = lmer(c.formula, readCsvFile(dataFile(c.data)), { factors: c.factors });
    for (const type of [1, 2, 3] as const) {
      for (const ddf of ['satterthwaite', 'kenward-roger'] as const) {
        compareTable(anova(m, { type, ddf }), c[`type${type}_${ddf.replace('-', '_')}`], `type ${type} ${ddf}`);
      }
    }
  });
}

// R 4.2.2, lmerTest 3.1-3: m <- lmer(angle ~ temp + recipe:temp + (1 | recipe:replicate), cake, control =
// lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_rel = 1e-12, ftol_rel = 1e-14, ftol_abs = 1e-14, xtol_abs = 1e-12)));
// print(anova(m), digits = 12); print(anova(m, ddf = "Kenward-Roger"), digits = 12)
test('anova(model) of type III on a non-hierarchical formula (recipe only within temp:recipe) gives lmerTest\'s table', () => {
  const m = lmer('angle ~ temp + recipe:temp + (1 | recipe:replicate)', cake, { factors });
  const R = {
    satterthwaite: [['temp', 1765.638923966, 1, 264.9178135539, 85.16487], ['temp:recipe', 8.100520151, 2, 50.6409317195, 0.19536]],
    'kenward-roger': [['temp', 1763.294866489, 1, 264.9090665746, 85.05181], ['temp:recipe', 8.028416761, 2, 50.3103633054, 0.19362]],
  } as const;
  for (const [ddf, rows] of Object.entries(R)) {
    const table = anova(m, { ddf: ddf as 'satterthwaite' | 'kenward-roger' });
    assert.deepEqual(table.map((r) => r.term), rows.map((r) => r[0]));
    table.forEach((row, i) => {
      const [, sumSq, numDf, denDf, F] = rows[i];
      assert.equal(row.numDf, numDf);
      for (const [name, got, want, tol] of [['sumSq', row.sumSq, sumSq, 1e-6], ['denDf', row.denDf, denDf, 1e-6], ['F', row.F, F, 5e-5]] as const) {
        assert.ok(Math.abs(got! - want) <= tol * Math.abs(want), `${ddf} ${row.term} ${name}: ${got} vs lmerTest ${want}`);
      }
    });
  }
});

// lmerTest's multi-df Satterthwaite df depend on the rows of L, not only on the hypothesis: types I and II take the
// rows of the unit-triangular Doolittle factor of X'X. R 4.2.2, lmerTest 3.1-3, lme4 at its optimum
// (lmerControl(optimizer = "nloptwrap", optCtrl = list(xtol_rel = 1e-12, ftol_rel = 1e-14, ftol_abs = 1e-14, xtol_abs = 1e-12))):
//   m <- lmer(Reaction ~ factor(Days) + (Days | Subject), sleepstudy); anova(m, type = 1)   # DenDF 74.8862061554
//   d <- sleepstudy[-sample(180, 50), ] (set.seed(3)); phase: Days cut at 2, 6; grp: Subject even or odd
//   m <- lmer(Reaction ~ phase * grp + (Days | Subject), d); anova(m, type = 1); anova(m, type = 2)
// (the DenDF were 73.22 and 43.43-like values before, from rows of the Cholesky factor).
test('anova(lmer) types I and II give lmerTest\'s Satterthwaite DenDF for terms of several df', () => {
  const sleep = readCsvFile(dataFile('sleepstudy'));
  const m1 = lmer('Reaction ~ factor(Days) + (Days | Subject)', sleep, { factors: ['Subject'] });
  check(anova(m1, { type: 1 }), [['factor(Days)', 9, 74.8862061554, 5.68278793983]], 'sleepstudy type I');
  assertClose(anova(m1, { type: 1 })[0].denDf, 74.8862061554, 1e-5, 'sleepstudy type I DenDF');
  const unbal = readCsvFile(dataFile('sleepstudy_unbal'));
  const m2 = lmer('Reaction ~ phase * grp + (Days | Subject)', unbal, { factors: ['Subject'] });
  const expected = {
    1: [['phase', 2, 39.9056220741, 8.98803241739], ['grp', 1, 17.3321730281, 0.119426274215], ['phase:grp', 2, 39.5928888065, 0.630641709333]],
    2: [['phase', 2, 39.5923521236, 9.025207790219], ['grp', 1, 17.3321730281, 0.119426274215], ['phase:grp', 2, 41.1851292436, 0.630641709333]],
  } as const;
  for (const type of [1, 2] as const) {
    const rows = anova(m2, { type });
    check(rows, expected[type].map((e) => [...e]) as [string, number, number, number][], `unbalanced type ${type}`);
    rows.forEach((r, i) => assertClose(r.denDf, expected[type][i][2], 1e-5, `unbalanced type ${type} ${r.term} DenDF`));
  }
});
