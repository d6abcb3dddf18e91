/**
 * A dictionary encoding of a categorical column's values, made by a reader
 * that met each distinct spelling once (the CSV reader's text cache):
 * values[i] is dictionary[codes[i]] (the same string), null where codes[i] < 0,
 * and the dictionary is in order of first appearance (a text may appear twice,
 * e.g. quoted and bare). Kept by the values array itself, so that a copied or
 * new array has none; textFactor (factor.ts) checks it against the values
 * before it uses it, so that its levels come out as the values' own would.
 */
export interface TextCodes {
  codes: Int32Array;
  dictionary: readonly string[];
}

const registry = new WeakMap<ReadonlyArray<string | null>, TextCodes>();

/** Records the encoding of `values` (codes.length === values.length). */
export function setTextCodes(values: ReadonlyArray<string | null>, codes: Int32Array, dictionary: readonly string[]): void {
  if (codes.length === values.length) registry.set(values, { codes, dictionary });
}

/** The encoding a reader recorded for exactly this array, if any. */
export function textCodesOf(values: ReadonlyArray<string | null>): TextCodes | undefined {
  return registry.get(values);
}

/** textCodesOf, and the encoding forgotten (its codes take 4 bytes a row for as long as the values live). */
export function takeTextCodes(values: ReadonlyArray<string | null>): TextCodes | undefined {
  const codes = registry.get(values);
  registry.delete(values);
  return codes;
}
