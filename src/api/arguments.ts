/**
 * Checks on the arguments of the public functions, so that a wrong argument
 * (null data, an option of the wrong type, an unknown option, a model that is
 * not a fitted model) gives a MixedModelsError naming the argument, never a
 * TypeError from deep inside or a silently ignored setting.
 *
 * Options are described by valibot schemas (`checkOptions`), so the message
 * names the exact field (`options.contrasts.recipe`); unknown keys are errors,
 * with the closest known key suggested, because a misspelt option (`reml`)
 * would otherwise fit another model than the one asked for.
 */
import * as v from 'valibot';
import { closest, describeValue, MixedModelsError } from '../errors.js';

export { describeValue } from '../errors.js';

/** Any valibot schema of an options object. */
export type OptionsSchema = v.GenericSchema<unknown, unknown>;

/** The issue's path as written in JavaScript: `options.contrasts.recipe`, `theta[0]`. */
export function issuePath(root: string, issue: v.BaseIssue<unknown>): string {
  let out = root;
  for (const item of issue.path ?? []) {
    const key = item.key;
    out += typeof key === 'number' ? `[${key}]` : typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key) ? `${out ? '.' : ''}${key}` : `[${JSON.stringify(key)}]`;
  }
  return out;
}

/** One sentence for the first issue: where, what is expected, what was given. */
export function describeIssue(root: string, issue: v.BaseIssue<unknown>, known: readonly string[] = []): string {
  const where = issuePath(root, issue);
  if (issue.type === 'strict_object' && issue.expected === 'never') {
    const key = String(issue.path?.[issue.path.length - 1]?.key);
    const near = closest(key, known);
    return `${where} is not a known option${near === null ? '' : ` (did you mean '${near}'?)`}`;
  }
  return `${where} ${issue.message}, not ${describeValue(issue.input)}`;
}

/** `options` checked against `schema` (undefined means `{}`); `fn` names the function in the message. */
export function checkOptions<T>(fn: string, schema: v.GenericSchema<unknown, T>, options: unknown, known: readonly string[] = []): T {
  if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
    throw new MixedModelsError(`${fn}(): options must be an object of options, not ${describeValue(options)}`);
  }
  const result = v.safeParse(schema, options ?? {});
  if (result.success) return result.output;
  throw new MixedModelsError(`${fn}(): ${describeIssue('options', result.issues[0], known)}`);
}

const KINDS = ['lm', 'glm', 'lmm', 'glmm'];

/** Refuses anything that is not a fitted model (null, a data table, a fit's JSON summary). */
export function checkModel<T extends { kind: string }>(fn: string, model: T, kinds: readonly string[] = KINDS): T {
  const m = model as unknown as Record<string, unknown> | null;
  const isModel = m !== null && typeof m === 'object' && KINDS.includes(m.kind as string) && typeof m.fit === 'object' && typeof m.frame === 'object';
  if (!isModel) throw new MixedModelsError(`${fn}() needs a fitted model from lm(), glm(), lmer(), glmer() or fitModel(), not ${describeValue(model)}`);
  if (!kinds.includes(model.kind)) throw new MixedModelsError(`${fn}() needs ${kinds.map(kindName).join(' or ')}, not ${kindName(model.kind)}`);
  return model;
}

function kindName(kind: string): string {
  return { lm: 'a linear model (lm)', glm: 'a generalized linear model (glm)', lmm: 'a linear mixed model (lmer)', glmm: 'a generalized linear mixed model (glmer)' }[kind] ?? kind;
}

/** Message pieces shared by the option schemas. */
export const must = {
  boolean: 'must be true or false',
  string: 'must be a string',
  number: 'must be a number',
  whole: 'must be a whole number',
  positive: 'must be positive',
  nonNegative: 'must be 0 or more',
  strings: 'must be an array of column names',
  object: 'must be an object',
} as const;

/** A whole number >= min. */
export function wholeNumber(min: number) {
  return v.pipe(v.number(must.number), v.finite(must.number), v.integer(must.whole), v.minValue(min, min === 0 ? must.nonNegative : `must be ${min} or more`));
}

/** A number strictly between 0 and 1 (a coverage level). */
export const level = v.pipe(v.number(must.number), v.gtValue(0, 'must be between 0 and 1'), v.ltValue(1, 'must be between 0 and 1'));
