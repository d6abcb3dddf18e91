/** An L1-penalised mixed model as one self-contained HTML report: the summary and the coefficient paths. */
import type { LassoMixedModel } from '../../penalized/lassoMixed.js';
import { coefPathSpec } from '../../plot/coefPath.js';
import { toSVG } from '../../plot/svg.js';
import { htmlReport, type ReportSection } from '../html.js';
import { summaryLassoMixed } from './lassoMixedText.js';

export async function lassoMixedReport(m: LassoMixedModel): Promise<string> {
  const sections: ReportSection[] = [{ heading: 'Summary', text: summaryLassoMixed(m, 'text') }];
  const path = m.path.filter((p) => p.lambda > 0);
  if (path.length > 1) {
    const penalised = m.frame.colnames.map((_, j) => j).filter((j) => m.weights[j] > 0);
    const spec = coefPathSpec({
      lambda: path.map((p) => p.lambda),
      terms: penalised.map((j) => m.frame.colnames[j]),
      coefficients: path.map((p) => penalised.map((j) => p.beta[j])),
      marks: [{ name: 'chosen', lambda: m.path[m.selected].lambda }],
      title: 'Fixed-effect paths',
    });
    sections.push({ heading: 'Coefficient paths', svg: await toSVG(spec) });
  }
  return htmlReport({ title: `Penalised mixed model: ${m.formula}`, sections });
}
