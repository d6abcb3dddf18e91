// Penalty factors of 0 against glmnet 4.1-6 (test/fixtures/r/glmnet_penalty_factor.json, thresh = 1e-14). The
// data (test/fixtures/data/glmnet_pf0.csv), in R: set.seed(42); n <- 120; x1 <- rnorm(n); x2 <- rnorm(n) * 1000;
// x3 <- rnorm(n) * 0.001; x4 <- runif(n); g <- factor(sample(letters[1:5], n, TRUE)); ...; off <- log(runif(n, 1, 5));
// cnt <- rpois(n, exp(0.3 + 0.4 x1 + off)); fold <- sample(rep(1:5, length = n)).
// - glmnet's nulldev and dev.ratio refer to the intercept-only model (with the offset), also when unpenalised
//   columns enter the first fit: dev.ratio above 0 there, and the early stop compares those ratios.
// - A factor whose every indicator is unpenalised sums to the intercept's column: the intercept and its
//   coefficients are only determined up to a shift, so they are compared through intercept + indicator.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cvGlmnet, glmnetCoefficients } from '../../src/glmnet/glmnet.js';
import { readCsvFile } from '../../src/io/readTable.js';
import { dataFile, rFixture } from '../cli/helpers.js';
import { near } from './helpers.js';

const { cases } = rFixture('glmnet_penalty_factor');

for (const c of cases) {
  test(`cvGlmnet with penalty factors ${JSON.stringify(c.penaltyFactor)} (${c.family}${c.offset ? ', offset' : ''}${c.alpha === 0 ? ', ridge' : ''}: ${c.formula}) gives glmnet's path and cv.glmnet's choice`, () => {
    const m = cvGlmnet(c.formula, readCsvFile(dataFile(c.data)), { family: c.family, alpha: c.alpha ?? 1, offset: c.offset ?? undefined, penaltyFactor: c.penaltyFactor, foldid: c.foldid });
    const pts = m.path.points;
    near(m.path.nullDeviance, c.nulldev, 1e-9 * c.nulldev, 'nulldev');
    assert.equal(pts.length, c.lambda.length, 'path length (early stop)');
    c.lambda.forEach((l: number, k: number) => near(pts[k].lambda, l, 1e-8 * l, `lambda[${k}]`));
    c.devRatio.forEach((d: number, k: number) => near(pts[k].devRatio, d, 1e-6, `devRatio[${k}]`));
    near(m.cv.lambdaMin, c.lambdaMin, 1e-8 * c.lambdaMin, 'lambda.min');
    near(m.cv.lambda1se, c.lambda1se, 1e-8 * c.lambda1se, 'lambda.1se');
    c.cvm.forEach((v: number, k: number) => near(m.cv.cvm[k], v, 1e-4 * Math.abs(v), `cvm[${k}]`));
    const ours = new Map(glmnetCoefficients(m, 'lambda.min').map((r) => [r.term, r.estimate]));
    const R = new Map<string, number>(c.terms.map((t: string, j: number) => [t, c.coefMin[j]]));
    const free = Object.entries(c.penaltyFactor).filter(([, v]) => v === 0).map(([t]) => t).filter((t) => c.terms.some((n: string) => n !== t && n.startsWith(t)));
    for (const [term, v] of R) {
      const block = free.find((t) => term.startsWith(t) && term !== t);
      if (term === '(Intercept)' && free.length > 0) continue;
      // Within a free factor: the intercept plus the level's coefficient, the same in every split.
      const got = block === undefined ? ours.get(term)! : ours.get('(Intercept)')! + ours.get(term)!;
      const want = block === undefined ? v : R.get('(Intercept)')! + v;
      near(got, want, 1e-5 * Math.max(1, Math.abs(want)), `${term} at lambda.min`);
    }
    if (free.length > 0) assert.ok(m.messages.some((s) => /are all unpenalised \(penalty factor 0\) and sum to the intercept's column/.test(s)), m.messages.join('\n'));
  });
}

test('an unpenalised factor of 600 levels (the general solver) converges, averages its levels to 0, and predicts a level a fold lacks at their mean', () => {
  // Each level in one fold only (g = i mod 600, fold = i mod 5 + 1), so each fold's fit meets a fifth of the levels
  // as new. The same data in R (glmnet 4.1-6, cv.glmnet with foldid, thresh = 1e-14, full indicators, penalty.factor 0
  // on g): 45 lambdas, lambda.min 3.65311993319e-05, lambda.1se 7.17122292833e-04, x1 0.482018892752 at lambda.min,
  // intercept + gL0 3.73959070102 and intercept + gL1 -0.143024645599 (glmnet's split of the intercept and the levels
  // is its own: -0.0742 and 3.8138; cvm differs where new levels are predicted at that split's intercept).
  let s = 7;
  const r = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const n = () => Math.sqrt(-2 * Math.log(r())) * Math.cos(2 * Math.PI * r());
  const b = Array.from({ length: 600 }, () => n());
  const rows = Array.from({ length: 6000 }, (_, i) => {
    const x1 = n(), x2 = n();
    return { y: Number((0.5 * x1 + b[i % 600] + n()).toFixed(4)), x1: Number(x1.toFixed(4)), x2: Number(x2.toFixed(4)), g: `L${i % 600}`, fold: (i % 5) + 1 };
  });
  const data = Object.fromEntries(['y', 'x1', 'x2', 'g', 'fold'].map((k) => [k, rows.map((row) => row[k as keyof typeof row])]));
  const m = cvGlmnet('y ~ x1 + x2 + g', data, { penaltyFactor: { g: 0 }, foldid: 'fold' });
  assert.equal(m.path.points.length, 45);
  near(m.cv.lambdaMin, 3.65311993319e-5, 1e-6 * 3.65311993319e-5, 'lambda.min');
  near(m.cv.lambda1se, 7.17122292833e-4, 1e-6 * 7.17122292833e-4, 'lambda.1se');
  const c = new Map(glmnetCoefficients(m, 'lambda.min').map((row) => [row.term, row.estimate]));
  near(c.get('x1')!, 0.482018892752, 1e-6, 'x1');
  // gL0, the level held at 0 while fitting, is carried by the intercept through the block's joint update (one-coordinate
  // descent on the other levels alone left it 1.1e-3 from the optimum at thresh 1e-14, in 5097 passes).
  near(c.get('(Intercept)')! + c.get('gL0')!, 3.73959070102, 1e-6, 'intercept + gL0');
  near(c.get('(Intercept)')! + c.get('gL1')!, -0.143024645599, 1e-6, 'intercept + gL1');
  const levels = [...c].filter(([t]) => t.startsWith('gL')).map(([, v]) => v);
  near(levels.reduce((a, v) => a + v, 0) / levels.length, 0, 1e-10, 'levels average 0');
  assert.ok(m.messages.some((msg) => /averaging 0, so that a new level is predicted at their mean$/.test(msg)), m.messages.join('\n'));
});
