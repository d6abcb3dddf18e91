/**
 * lme4's names of a mixed model's parameters as `confint(m, oldNames = FALSE)`
 * prints them: per random-effects term (lme4's term order) the lower triangle
 * of its sd/correlation matrix by columns, so for `(1 + Days | Subject)`
 *
 *   sd_(Intercept)|Subject, cor_Days.(Intercept)|Subject, sd_Days|Subject
 *
 * (a correlation is `cor_<row column>.<column column>|<factor>`), then `sigma`
 * for models with a residual scale, then the fixed effects by name.
 */

/** What the names need from a term: its grouping factor and column names (a VarCorrTerm has both). */
export interface NamedTerm {
  readonly factor: string;
  readonly cnames: readonly string[];
}

/** The sd and correlation names of the terms, in theta's layout. */
export function covarianceNames(terms: readonly NamedTerm[]): string[] {
  const out: string[] = [];
  for (const { factor, cnames } of terms) {
    const k = cnames.length;
    for (let c = 0; c < k; c++) {
      for (let r = c; r < k; r++) out.push(r === c ? `sd_${cnames[r]}|${factor}` : `cor_${cnames[r]}.${cnames[c]}|${factor}`);
    }
  }
  return out;
}

/** All parameter names: covariance parameters, `sigma` when `hasSigma`, then the fixed effects. */
export function parameterNames(terms: readonly NamedTerm[], hasSigma: boolean, coefnames: readonly string[]): string[] {
  return [...covarianceNames(terms), ...(hasSigma ? ['sigma'] : []), ...coefnames];
}
