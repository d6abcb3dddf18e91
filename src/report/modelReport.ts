/**
 * A fitted model as one self-contained HTML report: the summary, then every
 * plot that applies (rendered to inline SVG), ready to open offline.
 */
import type { FittedModel } from '../api/fit.js';
import { modelPlots, type ModelPlotOptions, type PlotKind } from '../plot/fromModel.js';
import { toSVG } from '../plot/svg.js';
import { htmlReport, type ReportSection } from './html.js';
import { render } from './render.js';

const HEADINGS: Record<PlotKind, string> = {
  caterpillar: 'Random effects: conditional modes with 95% intervals',
  forest: 'Fixed effects',
  residuals: 'Residuals against fitted values',
  qq: 'Normal QQ plots',
  groups: 'Observations and fitted lines per group',
  effect: 'Predicted effect',
  emmeans: 'Estimated marginal means',
};

export async function modelReport(m: FittedModel, options: ModelPlotOptions = {}): Promise<string> {
  const sections: ReportSection[] = [{ heading: 'Summary', text: render(m, 'text') }];
  for (const { kind, spec } of modelPlots(m, options)) sections.push({ heading: HEADINGS[kind], svg: await toSVG(spec) });
  return htmlReport({ title: `${m.kind === 'lmm' || m.kind === 'glmm' ? 'Mixed model' : 'Model'}: ${m.formula}`, sections });
}
