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
  test(`cvGlmnet with penalty factors ${JSON.stringify(c.penaltyFactor)} (${c.family}${c.offset ? ', offset' : ''}: ${c.formula}) gives glmnet's path and cv.glmnet's choice`, () => {
    const m = cvGlmnet(c.formula, readCsvFile(dataFile(c.data)), { family: c.family, offset: c.offset ?? undefined, penaltyFactor: c.penaltyFactor, foldid: c.foldid });
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
