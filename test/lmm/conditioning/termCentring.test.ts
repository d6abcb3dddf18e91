// A random slope far from 0 relative to its spread, fitted with it centred (termCentring.ts):
// sleepstudy with Days + c in (Days | Subject), and a term with two slopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildFrame, glmer, lmer } from '../../../src/api/fit.js';
import { fitLmm, lmmProblem } from '../../../src/lmm/index.js';
import { termCentring } from '../../../src/lmm/conditioning/termCentring.js';
import { userTermsFit } from '../../../src/lmm/conditioning/userTermsFit.js';
import { lmmRefitter } from '../../../src/inference/bootstrap/bootRefit.js';
import { glmmRefitter } from '../../../src/inference/bootstrap/glmmRefit.js';
import { confidenceIntervals } from '../../../src/inference/confint.js';
import { dataFile } from '../../cli/helpers.js';

const rows = readFileSync(dataFile('sleepstudy'), 'utf8').trim().split('\n').slice(1).map((line) => line.split(',').map((f) => f.replace(/"/g, '')));

/** sleepstudy with Days + c, and E: a second slope (Days squared over 10, plus e). */
function withDays(c: number, e = 0): Record<string, unknown[]> {
  return {
    Reaction: rows.map((r) => Number(r[0])),
    Days: rows.map((r) => Number(r[1]) + c),
    E: rows.map((r, i) => (Number(r[1]) ** 2) / 10 + ((i * 7) % 5) / 4 + e),
    Subject: rows.map((r) => r[2]),
  };
}

const close = (a: number, b: number, rel: number, what: string) => assert.ok(Math.abs(a - b) <= rel * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('lmer with Days + 1e4 or + 1e6 in (Days | Subject) gives the fit on Days: logLik, sds, correlation, df; converged, with a note', () => {
  const ref = lmer('Reaction ~ Days + (Days | Subject)', withDays(0), { factors: ['Subject'] });
  for (const c of [1e4, 1e6]) {
    const m = lmer('Reaction ~ Days + (Days | Subject)', withDays(c), { factors: ['Subject'] });
    // The fits before centring: logLik -872.08 at 1e4 (a convergence failure), -889.48 at 1e5.
    close(m.fit.logLik, ref.fit.logLik, 1e-9, `logLik at ${c}`);
    assert.equal(m.fit.converged, true, m.fit.messages.join('\n'));
    const [t, r] = [m.fit.varCorr.terms[0], ref.fit.varCorr.terms[0]];
    close(t.sd[1], r.sd[1], 1e-4, `slope sd at ${c}`);
    // The intercept at Days = -c: var(b0 - c b1) of the reference's covariance.
    const v0 = r.cov[0] - 2 * c * r.cov[1] + c * c * r.cov[3];
    close(t.sd[0], Math.sqrt(v0), 1e-4, `intercept sd at ${c}`);
    close(t.corr[1], (r.cov[1] - c * r.cov[3]) / Math.sqrt(v0 * r.cov[3]), 1e-8, `correlation at ${c}`);
    close(m.fit.beta[1], ref.fit.beta[1], 1e-8, `slope at ${c}`);
    close(m.fit.se[1], ref.fit.se[1], 1e-4, `slope se at ${c}`);
    close(m.coefficients[1].df!, ref.coefficients[1].df!, 1e-4, `slope df at ${c}`);
    assert.equal(m.fit.diagnostics.filter((d) => d.kind === 'note' && /fitted with it centred \(Days - /.test(d.message)).length, 1, m.fit.messages.join('\n'));
  }
});

test('userTermsFit maps the centred fit exactly: b = A b~, condVar = A C~ A\', Sigma = sigma^2 T T\', b = T u, and the criterion at the mapped theta', () => {
  for (const [formula, c, e] of [['Reaction ~ Days + (Days | Subject)', 1e4, 0], ['Reaction ~ Days + (Days + E | Subject)', 0, 1e4]] as const) {
    const frame = buildFrame(formula, withDays(c, e), { factors: ['Subject'] });
    const tc = termCentring(frame);
    assert.ok(tc !== null, formula);
    const prob = lmmProblem(tc.frame, { REML: true });
    const inner = fitLmm(tc.frame);
    const user = userTermsFit(inner, tc, frame, prob.map, prob.factors);
    const k = frame.reTerms[0].k, nl = frame.reTerms[0].levels.length, s = tc.shifts[0];
    assert.equal(k, formula.includes('E') ? 3 : 2);
    const A = (r: number, col: number) => (r === col ? 1 : r === s.i0 ? -s.means[col] : 0);
    // T from theta (one term: the lower triangle, column by column).
    const T = new Float64Array(k * k);
    let e0 = 0;
    for (let col = 0; col < k; col++) for (let r = col; r < k; r++) T[r + col * k] = user.theta[e0++];
    for (let l = 0; l < nl; l++) {
      for (let r = 0; r < k; r++) {
        let Ab = 0, Tu = 0;
        for (let q = 0; q < k; q++) {
          Ab += A(r, q) * inner.b[l * k + q];
          Tu += T[r + q * k] * user.u[l * k + q];
        }
        close(user.b[l * k + r], Ab, 1e-12, `b at level ${l}`);
        close(user.b[l * k + r], Tu, 1e-9, `T u at level ${l}`);
        close(user.ranef[0].values[l * k + r], Ab, 1e-12, `ranef at level ${l}`);
        for (let col = 0; col < k; col++) {
          let ACA = 0;
          for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) ACA += A(r, p) * inner.ranef[0].condVar[l * k * k + p + q * k] * A(col, q);
          close(user.ranef[0].condVar[l * k * k + r + col * k], ACA, 1e-10, `condVar at level ${l}`);
        }
      }
    }
    const cov = user.varCorr.terms[0].cov;
    for (let col = 0; col < k; col++) for (let r = 0; r < k; r++) {
      let TT = 0;
      for (let q = 0; q < k; q++) TT += T[r + q * k] * T[col + q * k];
      close(cov[r + col * k], user.sigma ** 2 * TT, 1e-8, `Sigma[${r}, ${col}]`);
    }
    for (let e = 0; e < k; e++) if (e !== s.i0) assert.ok(T[e * (k + 1)] >= 0, 'a positive diagonal');
    // The user's problem at the mapped theta: the centred criterion (to the digits the user's columns keep).
    close(lmmProblem(frame, { REML: true }).evaluate(user.theta), inner.objective, 1e-9, `criterion of ${formula}`);
    assert.equal(user.logLik, inner.logLik);
    assert.deepEqual(Array.from(user.beta), Array.from(inner.beta));
  }
});

test('termCentring leaves alone terms it cannot centre to the same model and frames without far slopes', () => {
  const frame = (f: string, c: number) => buildFrame(f, withDays(c), { factors: ['Subject'] });
  assert.equal(termCentring(frame('Reaction ~ Days + (Days | Subject)', 1e3)), null, 'share 8e-6: exact as it is');
  assert.equal(termCentring(frame('Reaction ~ Days + (1 | Subject) + (0 + Days | Subject)', 1e4)), null, 'separate terms: a different model if centred');
  assert.equal(termCentring(frame('Reaction ~ Days + (0 + Days | Subject)', 1e4)), null, 'no intercept beside it');
  const tc = termCentring(frame('Reaction ~ Days + (Days | Subject)', 1e4))!;
  assert.equal(termCentring(tc.frame), null, 'not centred twice');
  assert.deepEqual(Array.from(tc.shifts[0].means), [0, 10004.5]);
});

test('bootstrap refits of such a fit are made on the centred term: a new response gives the parameters of the fit on Days', () => {
  const m0 = lmer('Reaction ~ Days + (Days | Subject)', withDays(0), { factors: ['Subject'] });
  // A response near the fit's: Reaction plus a deterministic wiggle per row.
  const y = Float64Array.from(m0.frame.y, (v, i) => v + 20 * Math.sin(i * 1.7) + ((i * 13) % 7));
  const r0 = lmmRefitter(m0)(y, new Float64Array(6));
  for (const c of [1e4, 1e6]) {
    const m = lmer('Reaction ~ Days + (Days | Subject)', withDays(c), { factors: ['Subject'] });
    const r = lmmRefitter(m)(y, new Float64Array(6));
    // [sd0, cor, sd1, sigma, beta0, beta1]: the slope's sd, sigma and slope as on Days; the intercept's sd at Days = -c.
    close(r[2], r0[2], 1e-4, `slope sd at ${c}`);
    close(r[3], r0[3], 1e-6, `sigma at ${c}`);
    close(r[5], r0[5], 1e-6, `slope at ${c}`);
    const cov01 = r0[1] * r0[0] * r0[2], v0 = r0[0] ** 2 - 2 * c * cov01 + c * c * r0[2] ** 2;
    close(r[0], Math.sqrt(v0), 1e-4, `intercept sd at ${c}`);
  }
});

test('profiles of such a fit run on the centred term: the slope sd, sigma and slope intervals of the fit on Days; the intercept-slope correlation untraced, with a message', () => {
  const at = (c: number) => confidenceIntervals(lmer('Reaction ~ Days + (Days | Subject)', withDays(c), { factors: ['Subject'] }), { method: 'profile' });
  const r0 = at(0);
  const r = at(1e4);
  const byName = (rep: typeof r) => Object.fromEntries(rep.intervals.map((iv) => [iv.parameter, iv]));
  const [a, b] = [byName(r), byName(r0)];
  for (const name of ['sd_Days|Subject', 'sigma', 'Days']) {
    close(a[name].lower!, b[name].lower!, 1e-5, `${name} lower`);
    close(a[name].upper!, b[name].upper!, 1e-5, `${name} upper`);
  }
  const cor = a['cor_Days.(Intercept)|Subject'];
  assert.deepEqual([cor.lower, cor.upper], [null, null]);
  assert.ok(r.messages.some((m) => /correlations of the intercept with Days in \(Days \| Subject\) are not profiled/.test(m)), r.messages.join('\n'));
  // The intercept's sd at Days = -1e4 is about 1e4 times the slope's: its limits near 1e4 times the slope sd's.
  const sd0 = a['sd_(Intercept)|Subject'];
  close(sd0.lower!, 1e4 * b['sd_Days|Subject'].lower!, 1e-3, 'intercept sd lower');
  close(sd0.upper!, 1e4 * b['sd_Days|Subject'].upper!, 1e-3, 'intercept sd upper');
});

test('glmer with Days + 1e4 or + 1e6 in (Days | Subject) gives the fit on Days - 4.5 (the centred term); its bootstrap refits and profiles run on the centred term', () => {
  // Binary response from sleepstudy (Reaction above its median).
  const binary = (c: number) => {
    const data = withDays(c), median = [...(data.Reaction as number[])].sort((a, b) => a - b)[90];
    return { ...data, high: (data.Reaction as number[]).map((r) => (r > median ? 1 : 0)) };
  };
  const ref = glmer('high ~ Days + (Days | Subject)', binary(-4.5), { family: 'binomial' });
  for (const c of [1e4, 1e6]) {
    // The fits on the columns as given: logLik -75.53 with a convergence failure at both.
    const m = glmer('high ~ Days + (Days | Subject)', binary(c), { family: 'binomial' });
    close(m.fit.logLik, ref.fit.logLik, 1e-9, `logLik at ${c}`);
    assert.equal(m.fit.converged, true, m.fit.messages.join('\n'));
    const [t, r] = [m.fit.varCorr.terms[0], ref.fit.varCorr.terms[0]];
    close(t.sd[1], r.sd[1], 1e-6, `slope sd at ${c}`);
    const s = c + 4.5, v0 = r.cov[0] - 2 * s * r.cov[1] + s * s * r.cov[3];
    close(t.sd[0], Math.sqrt(v0), 1e-6, `intercept sd at ${c}`);
    close(m.fit.beta[1], ref.fit.beta[1], 1e-6, `slope at ${c}`);
    close(m.fit.se[1], ref.fit.se[1], 1e-5, `slope se at ${c}`);
    assert.ok(m.fit.diagnostics.some((d) => d.kind === 'note' && /fitted with it centred \(Days - /.test(d.message)), m.fit.messages.join('\n'));
  }
  const far = glmer('high ~ Days + (Days | Subject)', binary(1e4), { family: 'binomial' });
  // Profiles on the centred term: the slope sd's and the slope's intervals of the fit on Days - 4.5; the intercept's sd
  // traced and bracketing its estimate; its correlation with the slope untraced, with a message.
  const byName = (rep: ReturnType<typeof confidenceIntervals>) => Object.fromEntries(rep.intervals.map((iv) => [iv.parameter, iv]));
  const pf = confidenceIntervals(far, { method: 'profile' }), p0 = confidenceIntervals(ref, { method: 'profile' });
  const [pa, pb] = [byName(pf), byName(p0)];
  for (const name of ['sd_Days|Subject', 'Days']) {
    close(pa[name].lower!, pb[name].lower!, 1e-4, `${name} profile lower`);
    close(pa[name].upper!, pb[name].upper!, 1e-4, `${name} profile upper`);
  }
  const sd0 = pa['sd_(Intercept)|Subject'], est0 = far.fit.varCorr.terms[0].sd[0];
  assert.ok(sd0.lower! < est0 && est0 < sd0.upper!, `${sd0.lower} < ${est0} < ${sd0.upper}`);
  // Its upper limit: about 1e4 times the slope sd's (the intercept at Days = -1e4 is mostly the slope's).
  close(sd0.upper!, 1e4 * pb['sd_Days|Subject'].upper!, 1e-2, 'intercept sd upper');
  assert.deepEqual([pa['cor_Days.(Intercept)|Subject'].lower, pa['cor_Days.(Intercept)|Subject'].upper], [null, null]);
  assert.ok(pf.messages.some((m) => /correlations of the intercept with Days in \(Days \| Subject\) are not profiled/.test(m)), pf.messages.join('\n'));
  // A bootstrap refit (a response with every 7th row flipped) on the centred term: the refit of the fit on Days - 4.5.
  const y = Float64Array.from(ref.frame.y, (v, i) => (i % 7 === 3 ? 1 - v : v));
  const [a, b] = [glmmRefitter(far)(y)!.fit, glmmRefitter(ref)(y)!.fit];
  close(a.logLik, b.logLik, 1e-8, 'refit logLik');
  close(a.varCorr.terms[0].sd[1], b.varCorr.terms[0].sd[1], 1e-4, 'refit slope sd');
  close(a.beta[1], b.beta[1], 1e-4, 'refit slope');
  const s = 1e4 + 4.5, r = b.varCorr.terms[0].cov;
  close(a.varCorr.terms[0].sd[0], Math.sqrt(r[0] - 2 * s * r[1] + s * s * r[3]), 1e-4, 'refit intercept sd');
});
