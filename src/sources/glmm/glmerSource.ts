/** Placeholder: GLMM pushdown (next commit). */
import type { GeneralizedLinearMixedModel } from '../../api/fit.js';
import type { SqlFrame } from '../frame/sqlFrame.js';
import { PushdownUnsupported } from '../frame/unsupported.js';
import type { SourceModelOptions } from '../lmm/lmerSource.js';

export async function glmerFromSource(_sql: SqlFrame, formula: string, _options: SourceModelOptions): Promise<{ model: GeneralizedLinearMixedModel; pushdown: string }> {
  throw new PushdownUnsupported(formula, 'GLMM pushdown is not written yet');
}
