/** A fitted model as text (R-like summary), markdown (the same as tables) or JSON. */
import * as v from 'valibot';
import { checkModel, checkOptions, describeValue, must } from '../api/arguments.js';
import type { FittedModel } from '../api/fit.js';
import { MixedModelsError } from '../errors.js';
import { modelJson } from './json.js';
import { summaryGlm, summaryLm } from './summaryLm.js';
import { summaryGlmm, summaryLmm } from './summaryLmm.js';
import type { SummaryOptions } from './printout.js';

export type { SummaryOptions } from './printout.js';

/** The output formats of `render`: R's text summary, the CLI's JSON or a markdown table. */
export type OutputFormat = 'text' | 'json' | 'markdown';

const FORMATS: readonly OutputFormat[] = ['text', 'json', 'markdown'];

/**
 * The model's summary: R's printout (text), the same as markdown, or the JSON
 * of modelJson. `options.data` names the data on the `Data:` line (R prints
 * the name of its data argument; without one, as R without `data =`, no line);
 * `options.correlation` shows or hides the fixed effects' correlation
 * (default: shown for 2 to 12 coefficients, as lme4).
 * @example
 * ```ts
 * console.log(render(m, 'text'));      // R's summary
 * render(m, 'markdown'); render(m, 'json');
 * ```
 */
export function render(m: FittedModel, format: OutputFormat = 'text', options: SummaryOptions = {}): string {
  checkModel('render', m);
  if (!FORMATS.includes(format)) throw new MixedModelsError(`render(): format must be 'text', 'json' or 'markdown', not ${describeValue(format)}`);
  checkOptions('render', summaryOptionsSchema, options, Object.keys(summaryOptionsSchema.entries));
  if (format === 'json') return JSON.stringify(modelJson(m), null, 2) + '\n';
  switch (m.kind) {
    case 'lm':
      return summaryLm(m, format, options);
    case 'glm':
      return summaryGlm(m, format, options);
    case 'lmm':
      return summaryLmm(m, format, options);
    case 'glmm':
      return summaryGlmm(m, format, options);
  }
}

const summaryOptionsSchema = v.strictObject({
  data: v.optional(v.string("must be a string (the data's name)")),
  correlation: v.optional(v.boolean(must.boolean)),
});
