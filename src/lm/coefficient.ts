/**
 * One row of a coefficient table (R's summary(...)$coefficients).
 * `df` is the residual degrees of freedom of a t statistic, or null for a z
 * statistic (normal reference distribution).
 */
export interface Coefficient {
  readonly term: string;
  readonly estimate: number;
  readonly stdError: number;
  readonly statistic: number;
  readonly df: number | null;
  readonly pValue: number;
}
