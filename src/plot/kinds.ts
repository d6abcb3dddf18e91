/**
 * The names of the plots (`mixedmodels plot <kind>`), apart from the code that
 * draws them, so that the command line can list them without loading it.
 */

/** Plots of a fitted model (plot/fromModel.ts). */
export const PLOT_KINDS = ['caterpillar', 'forest', 'residuals', 'qq', 'groups', 'effect', 'emmeans'] as const;
/** One of PLOT_KINDS. */
export type PlotKind = (typeof PLOT_KINDS)[number];

/** Plots of a penalised fit (plot/fromGlmnet.ts). */
export const GLMNET_PLOT_KINDS = ['cv', 'path'] as const;
/** One of GLMNET_PLOT_KINDS. */
export type GlmnetPlotKind = (typeof GLMNET_PLOT_KINDS)[number];
