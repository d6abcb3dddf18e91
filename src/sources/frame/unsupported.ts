/**
 * A formula feature the pushdown does not compute in SQL (e.g. `poly()`): the
 * fit falls back to reading the model's columns (pushdown auto) or stops with
 * this message (pushdown on). `what` names the term.
 */
import { MixedModelsError } from '../../errors.js';

export class PushdownUnsupported extends MixedModelsError {
  override name = 'PushdownUnsupported';
  constructor(readonly what: string, reason: string) {
    super(`'${what}' is not computed in the database: ${reason}`);
  }
}
