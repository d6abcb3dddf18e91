/**
 * The fit's numbers and notes in plain words, for people meeting mixed models
 * for the first time: what the ICC and R^2 say, what each message from the
 * fit means and what to do about it, and how to read the likelihood-ratio
 * test against the model without random effects.
 *
 * Readings of the ICC follow the usual teaching rule of thumb (below 0.05 the
 * grouping barely matters; above about 0.3 it dominates); they are guidance,
 * not tests.
 */
import type { IccReading, Lrt } from '../worker/protocol.js';

/** `x` with `digits` significant digits, as plain text (no exponent for ordinary sizes). */
export function signif(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'NA';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-4 && a < 1e15) return String(Number(x.toPrecision(digits)));
  return x.toExponential(digits - 1);
}

export function percent(x: number): string {
  const p = 100 * x;
  return `${p < 10 && p > 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** A p-value as R prints small ones: `< 0.001` below a thousandth. */
export function pText(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return 'NA';
  return p < 0.001 ? '< 0.001' : signif(p, 2);
}

export interface Reading {
  headline: string;
  sentences: string[];
}

/** The ICC: what share of the variance lies between groups, and what that means for the model. */
export function iccReading(icc: IccReading, groups: readonly string[]): Reading {
  const g = groups.length === 1 ? groups[0] : 'group';
  const scale = icc.scale === 'latent' ? ' on the scale of the model’s link (for a binomial model, the log-odds)' : '';
  const sentences = [
    `${percent(icc.value)} of the variation the fixed effects leave unexplained lies between ${groups.length === 1 ? `levels of ${g}` : 'groups'} rather than within them${scale}: ` +
      `two observations from the same ${g} are correlated by about ${signif(icc.value, 2)}.`,
  ];
  if (icc.value < 0.05) {
    sentences.push('Members of a group barely resemble each other. The random effects change little here: a model without them gives similar answers (see the comparison below).');
  } else if (icc.value < 0.3) {
    sentences.push('Members of a group resemble each other moderately. Ignoring the groups would treat related observations as independent and make standard errors too small.');
  } else {
    sentences.push('Members of a group strongly resemble each other: the grouping must be in the model, or the tests would count many related observations as independent evidence.');
  }
  if (icc.shares.length > 1) {
    sentences.push(`Share of that variance per grouping factor: ${icc.shares.map((s) => `${s.group} ${percent(s.share)}`).join(', ')}.`);
  }
  return { headline: `Intraclass correlation (ICC): ${signif(icc.value, 3)}`, sentences };
}

/** Nakagawa's marginal and conditional R^2 in words. */
export function r2Reading(r2: { marginal: number; conditional: number }): Reading {
  return {
    headline: `R²: marginal ${signif(r2.marginal, 3)}, conditional ${signif(r2.conditional, 3)}`,
    sentences: [
      `The fixed effects alone explain ${percent(r2.marginal)} of the variance (marginal R²); together with the differences between groups, ${percent(r2.conditional)} (conditional R²).`,
      `The gap, ${percent(Math.max(0, r2.conditional - r2.marginal))}, is what knowing the group adds.`,
    ],
  };
}

export interface MessageExplanation {
  message: string;
  explanation: string;
  /** A suggested refit with more quadrature points, when the fit names one. */
  nagq: number | null;
}

const RULES: readonly [RegExp, string][] = [
  [/^dropped \d+ rows? with missing values/, 'Some rows have an empty or NA value in a variable the model uses; they were left out, as R does. Check that the missing values are not telling a story of their own (for example, people who dropped out).'],
  [/^dropped aliased columns/, 'Some columns of the design are exact combinations of others (for example two predictors that say the same thing, or a combination of categories with no rows). Their coefficients cannot be estimated and were dropped, as R reports NA for them.'],
  [/boundary \(singular\) fit/, 'A variance was estimated as zero, or a correlation as ±1: the data show no sign that the groups differ in that respect. The model is simpler than it looks; consider removing that random term (or its random slope, keeping the intercept).'],
  [/Laplace approximation is poor/, 'The Laplace approximation, the default way to compute a generalized mixed model’s likelihood, is inaccurate for these data, typically when groups have few observations or proportions near 0 or 1. Estimates from adaptive quadrature (more nAGQ points) are more trustworthy.'],
  [/separation|numerically 0 or 1|all failures|all successes/, 'Some groups or predictor values have only successes or only failures, so the data cannot say how extreme they are. Their estimates rest on the model’s assumptions; very large coefficients or standard errors are a symptom.'],
  [/grouping factor '.*' is a numeric column/, 'A grouping column holds numbers with many distinct values. If it is an identifier (a user or herd number) all is well: switch its type to categorical in the data preview to say so. If it is a measurement, it belongs left of the bar, as a random slope.'],
  [/^the standard errors are lme4's/, 'The table shows lme4’s standard errors, so that it matches R. lme4 takes them from a numerical second derivative over an inner loop it stops early, which moves them a little; the note gives the values of the fully converged criterion, the more accurate ones. The estimates themselves are not affected.'],
  [/^logLik .* are the marginal likelihood's/, 'With quadrature (nAGQ > 1) lme4 reports a log-likelihood without a constant part of the response’s density, so its logLik and AIC cannot be compared with other models’. The ones shown here are the whole likelihood; the note gives lme4’s for comparison with R.'],
  [/converge|did not converge|gradient/i, 'The optimiser’s convergence checks were not all met, so the estimates may be slightly off. Rescaling numeric predictors (for example scale(x)), a simpler random-effects structure or ML instead of REML often helps.'],
  [/Hessian/, 'The curvature of the likelihood at the estimates is not as expected, so standard errors or degrees of freedom are approximate.'],
  [/Satterthwaite df and p-values were skipped/, 'The degrees of freedom for the t tests would take long to compute for a model this size, so the table shows estimates and t values without p-values. The command-line tool computes them with --ddf satterthwaite.'],
  [/IRLS|step size|non-finite coefficients/, 'The fitting iterations ran into trouble (a step had to be shortened). The estimates may not be the best ones; check the data for extreme values.'],
];

export function explainMessage(message: string): MessageExplanation {
  const rule = RULES.find(([re]) => re.test(message));
  const nagq = /nAGQ = (\d+)/.exec(message);
  return {
    message,
    explanation: rule ? rule[1] : 'A note from the fit; it also travels with the result in the JSON download (messages).',
    nagq: nagq && /Laplace approximation is poor/.test(message) ? Number(nagq[1]) : null,
  };
}

/** The likelihood-ratio test of the random effects (or of any smaller model) in words. */
export function lrtReading(lrt: Lrt, randomEffects: boolean): Reading {
  const sentences: string[] = [];
  const stat = `χ²(${signif(lrt.df, 3)}) = ${signif(lrt.chisq, 4)}, p ${lrt.pValue !== null && lrt.pValue < 0.001 ? '< 0.001' : `= ${pText(lrt.pValue)}`}`;
  const significant = lrt.pValue !== null && lrt.pValue < 0.05;
  if (randomEffects) {
    sentences.push(significant
      ? `The model with random effects fits clearly better (${stat}): the groups differ more than chance alone would explain.`
      : `The model with random effects does not fit clearly better (${stat}): the data show little evidence that the groups differ.`);
    sentences.push('A variance cannot be negative, so this test of variances is conservative: the true p-value is smaller (for a single random intercept, about half the one shown).');
  } else {
    sentences.push(significant
      ? `The larger model fits clearly better (${stat}).`
      : `The larger model does not fit clearly better (${stat}); the smaller one is enough for these data.`);
  }
  if (lrt.refitted) sentences.push('For the test, REML fits were refitted by maximum likelihood, as lme4 does: a REML criterion is not a likelihood that compares across models.');
  return { headline: 'Likelihood-ratio test', sentences };
}
