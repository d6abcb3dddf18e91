/** An elastic-net fit as one self-contained HTML report: the summary, the CV curve and the coefficient paths. */
import type { CvGlmnetModel, GlmnetModel } from '../../glmnet/glmnet.js';
import { glmnetPlot } from '../../plot/fromGlmnet.js';
import { toSVG } from '../../plot/svg.js';
import { htmlReport, type ReportSection } from '../html.js';
import { summaryGlmnet } from './glmnetText.js';

export async function glmnetReport(model: GlmnetModel | CvGlmnetModel): Promise<string> {
  const sections: ReportSection[] = [{ heading: 'Summary', text: summaryGlmnet(model, 'text') }];
  if ('cv' in model) sections.push({ heading: 'Cross-validation', svg: await toSVG(glmnetPlot(model, 'cv')) });
  sections.push({ heading: 'Coefficient paths', svg: await toSVG(glmnetPlot(model, 'path')) });
  return htmlReport({ title: `Penalised regression: ${model.formula}`, sections });
}
