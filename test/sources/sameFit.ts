/**
 * Two fit JSONs of the same model from different sources agree: logLik within
 * 1e-7, estimates 1e-6, standard errors 1e-5, theta 1e-5 (each relative, times
 * max(1, |value|)), the same nobs and terms. The tolerances of the acceptance
 * check compare_fits.mjs (issue 10).
 */
import assert from 'node:assert/strict';

function close(x: number, y: number, tol: number): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) <= tol * Math.max(1, Math.abs(y));
}

export function assertSameFit(a: Record<string, any>, b: Record<string, any>, what: string): void {
  const bad: string[] = [];
  if (!close(a.logLik, b.logLik, 1e-7)) bad.push(`logLik ${a.logLik} vs ${b.logLik}`);
  if (a.nobs !== b.nobs) bad.push(`nobs ${a.nobs} vs ${b.nobs}`);
  const cb = new Map((b.coefficients ?? []).map((c: any) => [c.term, c]));
  for (const c of a.coefficients ?? []) {
    const d: any = cb.get(c.term);
    if (!d) bad.push(`missing ${c.term}`);
    else if (!close(c.estimate, d.estimate, 1e-6) || !close(c.stdError, d.stdError, 1e-5)) bad.push(`${c.term} ${c.estimate}±${c.stdError} vs ${d.estimate}±${d.stdError}`);
  }
  if ((a.coefficients ?? []).length !== (b.coefficients ?? []).length) bad.push('different numbers of coefficients');
  (a.theta ?? []).forEach((t: number, i: number) => {
    if (!close(t, b.theta?.[i], 1e-5)) bad.push(`theta[${i}] ${t} vs ${b.theta?.[i]}`);
  });
  assert.deepEqual(bad, [], `${what}: ${bad.join('; ')}`);
}
