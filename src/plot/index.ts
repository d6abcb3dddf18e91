/**
 * The plot API that runs anywhere: builders from plain inputs to Vega-Lite
 * specifications, and `toSVG`. `toPNG` (Node only) lives in `./png.js`.
 */
export type { CaterpillarInput, EffectInput, EmmeansPlotInput, ForestInput, GroupLinesInput, Line, PlotSpec, QQInput, ResidualInput } from './types.js';
export { caterpillarSpec } from './caterpillar.js';
export { effectSpec } from './effect.js';
export { emmeansSpec } from './emmeans.js';
export { forestSpec } from './forest.js';
export { groupLinesSpec } from './groupLines.js';
export { qqSpec } from './qq.js';
export { residualSpec } from './residuals.js';
export { toSVG } from './svg.js';
