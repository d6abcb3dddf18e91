// Shared check of an LMM or GLMM reference (lme4 1.1-31 on the same CSV files,
// test/fixtures/refs) against the CLI's JSON, with the tolerances:
// logLik within 2e-3 (or higher than lme4's), fixed effects and standard errors
// within 1% of a standard error, random-effect sds within 1%, correlations within
// 0.01, sigma within 0.1%, the singular flag, and the conditional modes (within
// 1% of the term's standard deviation).
import assert from 'node:assert/strict';
import { assertClose, dataFile, fitJson } from './helpers.js';

export function refArgs(ref: Record<string, any>): string[] {
  const args = [dataFile(ref.data), ref.formula];
  if (ref.factors.length) args.push('--factor', ref.factors.join(','));
  if (ref.family && ref.family !== 'gaussian') args.push('--family', ref.family, '--link', ref.link);
  if (ref.weights) args.push('--weights', ref.weights);
  if (ref.REML === false && (!ref.family || ref.family === 'gaussian')) args.push('--ml');
  if (ref.nAGQ !== null && ref.nAGQ !== undefined && ref.family !== 'gaussian') args.push('--nagq', String(ref.nAGQ));
  return args;
}

export async function checkMixedReference(ref: Record<string, any>, options: { logLik?: number; logLikField?: string; satterthwaite?: boolean } = {}): Promise<Record<string, any>> {
  const out = await fitJson(refArgs(ref));
  const target = ref[options.logLikField ?? 'logLik'];
  const tol = options.logLik ?? 2e-3;
  assert.ok(out.logLik >= target - tol, `logLik ${out.logLik} vs lme4 ${target}`);
  if (options.logLikField === undefined) assert.ok(out.logLik <= target + 0.05, `logLik ${out.logLik} far above lme4's ${target}: different criterion?`);
  assert.equal(out.nobs, ref.nobs);
  assert.deepEqual(out.ngrps, ref.ngrps);
  const terms = out.coefficients.map((c: any) => c.term);
  assert.deepEqual(terms, Object.keys(ref.fixef));
  for (const c of out.coefficients) {
    const se = ref.fixef_se[c.term];
    assertClose(c.estimate, ref.fixef[c.term], 0, `${c.term} estimate`, 0.01 * se);
    assertClose(c.stdError, se, 0, `${c.term} std. error`, 0.01 * se);
  }
  if (ref.family === 'gaussian') assertClose(out.sigma, ref.sigma, 1e-3, 'sigma');
  if (ref.satterthwaite_df && options.satterthwaite !== false) {
    for (const c of out.coefficients) {
      assert.ok(c.df !== null, `${c.term}: Satterthwaite df computed`);
      assertClose(c.df, ref.satterthwaite_df[c.term], 2e-3, `${c.term} Satterthwaite df`);
      assertClose(c.pValue, ref.satterthwaite_p[c.term], 1e-2, `${c.term} Satterthwaite p`, 1e-300);
    }
  }
  const key = (r: any) => `${r.grp ?? r.group}|${r.var1}|${r.var2}`;
  const ours = new Map<string, any>(out.varCorr.map((r: any) => [key(r), r]));
  for (const r of ref.varcorr) {
    const o = ours.get(key(r));
    assert.ok(o, `varCorr row ${key(r)} present`);
    if (r.var2 === null) assertClose(o.sdcor, r.sdcor, 0.01, `sd ${key(r)}`, 1e-3);
    else assertClose(o.sdcor, r.sdcor, 0, `correlation ${key(r)}`, 0.01);
  }
  assert.equal(out.varCorr.length, ref.varcorr.length, 'number of variance components');
  assert.equal(out.singular, ref.singular, 'singular flag');
  for (const [group, byTerm] of Object.entries<any>(ref.ranef)) {
    for (const [term, byLevel] of Object.entries<any>(byTerm)) {
      const sd = ref.varcorr.find((r: any) => r.grp.replace(/\.\d+$/, '') === group && r.var1 === term && r.var2 === null).sdcor;
      const ourLevels = out.ranef[group]?.[term];
      assert.ok(ourLevels, `ranef ${group} ${term}`);
      assert.deepEqual(Object.keys(ourLevels).sort(), Object.keys(byLevel).sort(), `levels of ${group}`);
      for (const [level, value] of Object.entries<number>(byLevel)) {
        assertClose(ourLevels[level], value, 0, `ranef ${group} ${term} ${level}`, 0.01 * sd + 1e-6);
      }
    }
  }
  return out;
}
