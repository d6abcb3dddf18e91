/** A fitted model as text (R-like summary), markdown (the same as tables) or JSON. */
import type { FittedModel } from '../api/fit.js';
import { modelJson } from './json.js';
import { summaryGlm, summaryLm } from './summaryLm.js';
import { summaryGlmm, summaryLmm } from './summaryLmm.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

export function render(m: FittedModel, format: OutputFormat): string {
  if (format === 'json') return JSON.stringify(modelJson(m), null, 2) + '\n';
  switch (m.kind) {
    case 'lm':
      return summaryLm(m, format);
    case 'glm':
      return summaryGlm(m, format);
    case 'lmm':
      return summaryLmm(m, format);
    case 'glmm':
      return summaryGlmm(m, format);
  }
}
