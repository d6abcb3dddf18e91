/**
 * An evaluation as one self-contained HTML report: the table and the scores
 * per method. The SVG renderer (vega) loads only when a report is written.
 */
import type { Evaluation } from '../../evaluate/evaluate.js';
import { methodScoresSpec } from '../../plot/methodScores.js';
import { htmlReport } from '../html.js';
import { summaryEvaluation } from './evaluationText.js';

/**
 * An Evaluation as one self-contained HTML page with its plots (SVG, rendered with Vega, which loads on the first call).
 */
export async function evaluationReport(e: Evaluation, formula: string): Promise<string> {
  const { toSVG } = await import('../../plot/svg.js');
  const spec = methodScoresSpec({ methods: e.methods.map((m) => m.method), scores: e.methods.map((m) => m.scores), metric: e.metric.toUpperCase() });
  return htmlReport({
    title: `Methods compared: ${formula}`,
    sections: [
      { heading: 'Scores', text: summaryEvaluation(e, 'text') },
      { heading: `${e.metric.toUpperCase()} by method`, svg: await toSVG(spec) },
    ],
  });
}
