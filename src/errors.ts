/**
 * Errors a user can act on. Every error the library throws for bad input is a
 * `MixedModelsError`; the CLI prints `error.message` (one or a few lines, never
 * a stack trace) and exits non-zero.
 */
export class MixedModelsError extends Error {
  override name = 'MixedModelsError';
}

/**
 * A malformed formula. `message` already holds the formula with a caret line
 * under the offending position, e.g.
 *
 *     unexpected ')' in formula
 *       y ~ x + )
 *               ^
 */
export class FormulaError extends MixedModelsError {
  override name = 'FormulaError';
  constructor(
    readonly reason: string,
    readonly formula: string,
    readonly start: number,
    readonly end: number = start + 1,
  ) {
    super(formatCaret(reason, formula, start, end));
  }
}

/** `reason`, then the formula indented by two spaces, then carets under [start, end). */
export function formatCaret(reason: string, text: string, start: number, end: number): string {
  const s = Math.max(0, Math.min(start, text.length));
  const width = Math.max(1, Math.min(end, text.length + 1) - s);
  return `${reason}\n  ${text}\n  ${' '.repeat(s)}${'^'.repeat(width)}`;
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/** The candidate closest to `name` (case-insensitive edit distance), or null if none is close. */
export function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== null && bestD <= Math.max(2, Math.ceil(name.length / 2)) ? best : null;
}

/** A value as a message shows it: `"no"`, `null`, `1.5`, `an object`. */
export function describeValue(x: unknown): string {
  if (x === null || x === undefined || typeof x === 'number' || typeof x === 'boolean') return String(x);
  if (typeof x === 'string') return JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x);
  if (Array.isArray(x)) return 'an array';
  return typeof x === 'object' ? 'an object' : `a ${typeof x}`;
}

/**
 * Checks on a public function's argument `value` (named `what` in `fn()`'s
 * message), for the pipeline stages that take objects built by earlier
 * stages: a wrong argument is a MixedModelsError, never a TypeError.
 * `kind` is 'string', 'function', 'array' (array-like of numbers) or the
 * name of an object (`a model frame`) that must have the listed keys.
 */
export function expectArgument(fn: string, what: string, value: unknown, kind: 'string' | 'function' | 'array' | { object: string; keys: readonly string[] }): void {
  const ok =
    kind === 'string' ? typeof value === 'string'
    : kind === 'function' ? typeof value === 'function'
    : kind === 'array' ? (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)))
    : value !== null && typeof value === 'object' && kind.keys.every((k) => k in value);
  if (ok) return;
  const expected = typeof kind === 'object' ? kind.object : kind === 'array' ? 'an array of numbers' : `a ${kind}`;
  throw new MixedModelsError(`${fn}(): ${what} must be ${expected}, not ${describeValue(value)}`);
}
