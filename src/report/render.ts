/** A fitted model as text (R-like summary), markdown (the same as tables) or JSON. */
import { checkModel, describeValue } from '../api/arguments.js';
import type { FittedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { modelJson } from './json.js';
import { summaryGlm, summaryLm } from './summaryLm.js';
import { summaryGlmm, summaryLmm } from './summaryLmm.js';

export type OutputFormat = 'text' | 'json' | 'markdown';

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown'];

export function render(m: FittedModel, format: OutputFormat = 'text'): string {
  checkModel('render', m);
  if (!FORMATS.includes(format)) throw new MixedModelsError(`render(): format must be 'text', 'json' or 'markdown', not ${describeValue(format)}`);
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
