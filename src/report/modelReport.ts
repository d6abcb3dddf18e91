/**
 * A fitted model as one self-contained HTML report: a header naming the data
 * file, the date, the package version and the command that made it; the
 * summary; then every plot that applies (rendered to inline SVG at the
 * page's width), ready to open offline, and last the plots that do not apply,
 * each with the reason.
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

/** Plotting width that, with axes and legend, fills the report's column (html.ts: 1100 px less padding). */
export const REPORT_PLOT_WIDTH = 780;

/** Where the report came from, for its header (each part optional). */
export interface ReportProvenance {
  /** The data file or source, as the user named it. */
  data?: string;
  /** The command line that made the report. */
  command?: string;
  /** The package version. */
  version?: string;
  /** When it was made (default: now). */
  date?: Date;
}

function meta(p: ReportProvenance): { label: string; value: string }[] {
  const date = (p.date ?? new Date()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return [
    ...(p.data === undefined ? [] : [{ label: 'Data', value: p.data }]),
    { label: 'Date', value: date },
    ...(p.version === undefined ? [] : [{ label: 'mixedmodels', value: `version ${p.version}` }]),
    ...(p.command === undefined ? [] : [{ label: 'Command', value: p.command }]),
  ];
}

export async function modelReport(m: FittedModel, options: ModelPlotOptions = {}, provenance: ReportProvenance = {}): Promise<string> {
  const sections: ReportSection[] = [{ heading: 'Summary', text: render(m, 'text', { data: provenance.data }) }];
  const skipped: { kind: PlotKind; reason: string }[] = [];
  for (const { kind, spec } of modelPlots(m, { width: REPORT_PLOT_WIDTH, ...options }, skipped)) sections.push({ heading: HEADINGS[kind], svg: await toSVG(spec) });
  if (skipped.length > 0) sections.push({ heading: 'Plots not drawn', text: skipped.map((s) => `${HEADINGS[s.kind]}: ${s.reason}`).join('\n') });
  return htmlReport({ title: `${m.kind === 'lmm' || m.kind === 'glmm' ? 'Mixed model' : 'Model'}: ${m.formula}`, meta: meta(provenance), sections });
}
