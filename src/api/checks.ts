/**
 * Checks on a model frame before a mixed model is fitted, as small named
 * functions (lme4's checkControl habit): each returns a message to attach to
 * the result, or throws a MixedModelsError for input that cannot be fitted.
 */
import type { DataTable } from '../data/types.js';
import { MixedModelsError } from '../errors.js';
import type { ModelFrame } from '../frame/types.js';

/** A constant response leaves nothing to model: the residual variance would be 0. */
export function checkResponseVaries(frame: ModelFrame): void {
  const y = frame.y;
  for (let i = 1; i < y.length; i++) if (y[i] !== y[0]) return;
  throw new MixedModelsError(`the response '${frame.responseName}' is constant (every value is ${y[0]}): a mixed model needs variation in the response`);
}

/** Levels above which a numeric grouping column is probably a covariate used by mistake. */
const MANY_LEVELS = 100;

/**
 * A bar over a numeric column with many distinct values is legal but rarely
 * meant: say so, suggesting the covariate form.
 */
export function numericGroupingMessages(frame: ModelFrame, data: DataTable, factors: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const t of frame.reTerms) {
    const col = data.columns.get(t.group);
    if (seen.has(t.group) || !col || col.kind !== 'numeric' || factors.includes(t.group)) continue;
    seen.add(t.group);
    if (t.levels.length > MANY_LEVELS) {
      out.push(
        `grouping factor '${t.group}' is a numeric column with ${t.levels.length} distinct values, each made a level; ` +
          `if '${t.group}' is a covariate, put it left of the bar, e.g. (1 + ${t.group} | g)`,
      );
    }
  }
  return out;
}
