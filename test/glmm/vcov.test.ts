import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hessianVcov, inverseFromFactor, lme4StepMeasures } from '../../src/glmm/vcov.js';
import { fitGlmm } from '../../src/glmm/index.js';
import { dataFrame, near, readRef, refFrame } from './helpers.js';
import { buildFrame } from '../../src/api/fit.js';
import { rng } from '../linalg/random.js';

test('hessianVcov(H, nt, p, scale) is the beta block of 2 H^-1, in beta\'s units', () => {
  // H over (theta, b1, b2), row-major; beta measured in units of 10 and 0.5.
  const H = Float64Array.from([4, 1, 0, 1, 3, 1, 0, 1, 2]);
  const v = hessianVcov(H, 1, 2, [10, 0.5])!;
  // inverse of H by cofactors: det = 4(6 - 1) - 1(2 - 0) = 18; [H^-1]_11 = (4*2 - 0) / 18, [H^-1]_12 = -(4*1 - 0) / 18, [H^-1]_22 = (4*3 - 1) / 18.
  near(v[0], 2 * (8 / 18) * 100, 1e-12, 'v11');
  near(v[1], 2 * (-4 / 18) * 5, 1e-12, 'v21');
  near(v[2], v[1], 0, 'symmetric');
  near(v[3], 2 * (11 / 18) * 0.25, 1e-12, 'v22');
  assert.equal(hessianVcov(Float64Array.from([1, 2, 2, 1]), 0, 2, [1, 1]), null);
});

test('inverseFromFactor(p, L) is (L L\')^-1', () => {
  const L = Float64Array.from([2, 1, 0, 3]); // column-major lower: [[2, 0], [1, 3]]
  const v = inverseFromFactor(2, L);
  // L L' = [[4, 2], [2, 10]], inverse = [[10, -2], [-2, 4]] / 36.
  [10 / 36, -2 / 36, -2 / 36, 4 / 36].forEach((x, i) => near(v[i], x, 1e-15, `v[${i}]`));
});

test('lme4StepMeasures(f, diagonal) is false when rounding over lme4\'s step 1e-4 reaches 0.1% of an element', () => {
  // Gamma(log) on sleepstudy: f 1741, H diagonal 183, 1110, 335900: rounding / step^2 = 0.017, measured.
  assert.equal(lme4StepMeasures(1740.8, [183.3, 1109.9, 335900]), true);
  // inverse.gaussian(identity): H_theta,theta 6e-5 at f 1754.
  assert.equal(lme4StepMeasures(1754.2, [6.1e-5, 0.0175, 3.95]), false);
});

test('lme4\'s standard errors come with a note when its Hessian is off the converged criterion\'s (cbpp, Gamma(log)), and none when it is not', () => {
  // R, lme4 1.1-31: the Hessian of devfun with glmerControl(tolPwrss = 1e-13) at glmer's estimates
  // (lme4:::deriv12, delta 1e-3), 2 H^-1: cbpp 0.2324131 0.3066155 0.3266018 0.4273612 against vcov()'s
  // 0.2312140 0.3031506 0.3228302 0.4220492; sleepstudy Gamma(log) Days 0.0024390 (delta 3e-4: 0.0024386) against 0.0025226.
  const cases = [
    { name: 'cbpp_laplace', family: 'binomial', link: undefined, converged: [0.2324131, 0.3066155, 0.3266018, 0.4273612] },
    { name: 'glmm_sleep_gamma_log', family: 'Gamma', link: 'log', converged: [null, 0.002439] },
  ];
  for (const c of cases) {
    const ref = readRef(c.name);
    const fit = fitGlmm(refFrame(c.name), { family: c.family, link: c.link });
    // The standard errors themselves stay lme4's.
    fit.coefnames.forEach((nm, j) => near(fit.se[j], ref.fixef_se[nm], 1e-5 * ref.fixef_se[nm], `${c.name} ${nm} se`));
    const note = fit.diagnostics.find((d) => /^the standard errors are lme4's/.test(d.message));
    assert.ok(note !== undefined && note.kind === 'note', `${c.name}: ${fit.messages.join('\n')}`);
    c.converged.forEach((v, j) => {
      const named = new RegExp(`${fit.coefnames[j].replace(/[()]/g, '\\$&')} ([0-9.]+) \\(lme4's ([0-9.]+)\\)`).exec(note.message);
      if (v === null) return assert.equal(named, null, `${c.name} ${fit.coefnames[j]} is within 0.5% and not named`);
      assert.ok(named !== null, `${c.name} names ${fit.coefnames[j]}: ${note.message}`);
      near(Number(named[1]), v, 1e-3 * v, `${c.name} ${fit.coefnames[j]} converged se`);
      near(Number(named[2]), ref.fixef_se[fit.coefnames[j]], 1e-3 * v, `${c.name} ${fit.coefnames[j]} lme4's se`);
    });
  }
  // cloglog on cbpp: lme4's standard errors are the converged criterion's to 3e-5, nothing to say.
  const cloglog = fitGlmm(refFrame('glmm_cbpp_cloglog'), { family: 'binomial', link: 'cloglog' });
  assert.ok(!cloglog.messages.some((m) => /standard errors are lme4's/.test(m)), cloglog.messages.join('\n'));
});

test('quadrature fits take their Hessian with a step the criterion\'s rounding does not swamp (Poisson with an offset, nAGQ = 5)', () => {
  // R, lme4 1.1-31: glmer(clicks ~ display + (1 | id), ctr1000, poisson, offset = log(expos), nAGQ = 5): standard errors
  // 0.1097347530 and 0.0418742229 (at lme4's estimates, which the optimum here differs from by 1e-3 of a standard error).
  // With stage 2's Hessian at step 1e-4 (scaled units) they were 0.109861 and 0.0418577: rounding over a -2 log-likelihood of 5156.
  const frame = dataFrame('ctr1000', 'clicks ~ display + (1 | id) + offset(log(expos))', { factors: ['id'], family: 'poisson' });
  const fit = fitGlmm(frame, { family: 'poisson', nAGQ: 5 });
  near(fit.se[1], 0.0418742229, 5e-5 * 0.0418742229, 'display se');
  near(fit.se[0], 0.1097347530, 7e-4 * 0.1097347530, 'intercept se');
});

test('a fit whose converged criterion has no positive definite Hessian at the estimates says its standard errors are not reliable', () => {
  // binomial(log) on test/fixtures/data/binomial_cbind_weights.csv: lme4 stops ("PIRLS loop resulted in NaN value"); here
  // the optimiser stops short (max|grad| 0.33) at a point where lme4's finite differences give standard errors near 0.002
  // for every coefficient, against 0.02-0.07 from the GLM: they measure nothing.
  const frame = dataFrame('binomial_cbind_weights', 'cbind(succ, fail) ~ x + trt + (1 | g)', { family: 'binomial' });
  const fit = fitGlmm(frame, { family: 'binomial', link: 'log' });
  assert.equal(fit.converged, false);
  assert.ok(fit.diagnostics.some((d) => d.kind === 'convergence' && /converged criterion at these estimates is not positive definite .* standard errors, .* are not reliable/.test(d.message)), fit.messages.join('\n'));
});

test('a covariate on a large scale: the table takes the converged criterion\'s standard errors where lme4\'s finite differences are noise, and the note gives lme4\'s', () => {
  // Binary y, 40 groups, a slope on x * 1e6: lme4's Hessian procedure puts the slope's se several times
  // too high (the cross-check's case: 8.3e-7 where it is 1.18e-7, p 0.49 against 1.5e-6). The truth is
  // the fit on x itself, whose slope and se are 1e6 times these.
  const r = rng(23), g: string[] = [], x: number[] = [], xbig: number[] = [], y: number[] = [];
  for (let i = 0; i < 400; i++) {
    const grp = i % 40, xi = r() + 0.5;
    g.push(`g${grp}`);
    x.push(xi);
    xbig.push(xi * 1e6);
    const eta = -0.8 + 1.2 * xi + 0.7 * Math.sin(grp * 1.7);
    y.push(r() + 0.5 < 1 / (1 + Math.exp(-eta)) ? 1 : 0);
  }
  const big = fitGlmm(buildFrame('y ~ xbig + (1 | g)', { y, xbig, g }), { family: 'binomial' });
  const unit = fitGlmm(buildFrame('y ~ x + (1 | g)', { y, x, g }), { family: 'binomial' });
  near(big.beta[1] * 1e6, unit.beta[1], 1e-4 * Math.abs(unit.beta[1]), 'slope');
  near(big.se[1] * 1e6, unit.se[1], 2e-3 * unit.se[1], 'the slope\'s se is the fit on x\'s, rescaled');
  const note = big.diagnostics.find((d) => d.kind === 'note' && /^the standard errors are those of the converged criterion's Hessian: lme4's/.test(d.message));
  assert.ok(note !== undefined, big.messages.join('\n'));
  assert.match(note.message, /xbig [\d.e+-]+ \(lme4's [\d.e+-]+\)/);
});
