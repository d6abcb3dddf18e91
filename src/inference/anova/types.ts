/** Rows of the ANOVA tables (anova.ts, lmAnova.ts, glmAnova.ts). */

/** An F test of one term (lmerTest's columns; R's anova.lm's, with the residuals as a last row). */
export interface AnovaRow {
  term: string;
  sumSq: number;
  meanSq: number;
  numDf: number;
  /** NaN on a linear model's Residuals row. */
  denDf: number;
  F: number;
  pValue: number;
}

/** A row of a GLM's analysis of deviance (R's anova.glm): the NULL model, then each term added in turn. */
export interface DevianceRow {
  term: string;
  /** NaN on the NULL row. */
  df: number;
  deviance: number;
  residDf: number;
  residDeviance: number;
  /** The F statistic (F test), NaN otherwise. */
  F: number;
  /** NaN without a test. */
  pValue: number;
}

export type GlmTest = 'Chisq' | 'F' | 'none';
