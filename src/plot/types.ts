/**
 * Plain inputs for the plot builders. They hold numbers and labels only, so a
 * fitted model (or anything else) is adapted to them in one place, and each
 * builder can be tested without fitting a model.
 *
 * Numeric columns are `ArrayLike<number>` (a Float64Array or a plain array);
 * columns of one input have equal lengths. Every builder returns a Vega-Lite
 * specification: a plain JSON-able object (`PlotSpec`).
 */

/** A Vega-Lite specification (top level), as plain JSON-able data. */
export type PlotSpec = Record<string, unknown>;

/**
 * Conditional modes of one random-effects term, as lattice's `dotplot(ranef(m, condVar = TRUE))`:
 * `values[i]` and `condSd[i]` belong to `levels[i]`. `condSd = null` draws no intervals.
 */
export interface CaterpillarInput {
  /** Grouping factor, e.g. `Subject`. */
  group: string;
  /** Random-effects term, e.g. `(Intercept)` or `Days`. */
  term: string;
  levels: readonly string[];
  values: ArrayLike<number>;
  condSd: ArrayLike<number> | null;
  /** Coverage of the intervals value +- z * condSd (default 0.95). */
  level?: number;
  /** Most levels drawn; beyond it the most extreme half above and half below are kept (default 60). */
  maxLevels?: number;
}

/** Fixed-effects estimates with confidence intervals. */
export interface ForestInput {
  terms: readonly string[];
  estimate: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Coverage of [lower, upper], e.g. 0.95; shown in the axis title. */
  level: number;
  /** Draw the `(Intercept)` row (default false, as sjPlot's plot_model). */
  intercept?: boolean;
  title?: string;
}

/** Residuals against fitted values. */
export interface ResidualInput {
  fitted: ArrayLike<number>;
  residuals: ArrayLike<number>;
  title?: string;
  /** Axis title of the residuals (default `Residuals`), e.g. `Pearson residuals`. */
  residualName?: string;
  /** Most points drawn one by one (default 5000). */
  maxPoints?: number;
  /** What to do beyond `maxPoints`: a 2-D histogram (default) or a deterministic sample. */
  large?: 'bin' | 'sample';
}

/** A normal QQ plot of one sample, e.g. residuals or the conditional modes of one term. */
export interface QQInput {
  values: ArrayLike<number>;
  /** Panel title, e.g. `Residuals` or `Subject: (Intercept)`. */
  label: string;
  /** Thinning grid: at most about 2 * maxSteps points are drawn (default 1000). */
  maxSteps?: number;
}

/** A fitted straight line y = intercept + slope * x. */
export interface Line {
  intercept: number;
  slope: number;
}

/**
 * Observations coloured by group with one fitted line per group beside the
 * pooled line, to show how within-group and pooled slopes differ (Simpson's paradox).
 * `group` is either one label per observation or integer codes into `levels`.
 */
export interface GroupLinesInput {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  group: readonly string[] | { codes: ArrayLike<number>; levels: readonly string[] };
  xName: string;
  yName: string;
  pooled: Line;
  groups: readonly (Line & { level: string })[];
  title?: string;
  /** Most points drawn (default 5000); beyond it a deterministic sample. */
  maxPoints?: number;
}

/**
 * Predicted values of the response over one predictor with a confidence band.
 * A numeric `x` gives a line and a band; a categorical `x` gives points with error bars.
 */
export interface EffectInput {
  term: string;
  x: ArrayLike<number> | readonly string[];
  fit: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  xName: string;
  yName: string;
  /** Coverage of the band, e.g. 0.95; shown in the subtitle when given. */
  level?: number;
  title?: string;
}

/** Estimated marginal means with their confidence intervals (emmeans). */
export interface EmmeansPlotInput {
  /** One label per mean (its levels of the specs factors). */
  labels: readonly string[];
  estimate: ArrayLike<number>;
  lower: ArrayLike<number>;
  upper: ArrayLike<number>;
  /** Coverage of the intervals, e.g. 0.95. */
  level: number;
  /** The factors the means are of (the y axis title), e.g. `style`. */
  specName: string;
  /** The estimate's name (the x axis title), e.g. `emmean` or `prob`. */
  estimateName: string;
  /** One panel label per mean (e.g. `temperature = 175`); absent for one panel. */
  groups?: readonly string[];
  title?: string;
}
