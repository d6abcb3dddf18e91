/**
 * The tidy tables' shape: plain row objects, one per estimate, keyed by
 * broom's column names, so they go straight into a data-frame library or a
 * spreadsheet. Numbers that are not finite (NaN, an interval a method does not
 * give) become null, as R's NA.
 */
export type TidyValue = string | number | null;
/** One row of a tidy table: column name to value (null where R gives NA). */
export type TidyRow = Record<string, TidyValue>;

/** x when finite, else null. */
export function finite(x: number | null | undefined): number | null {
  return x !== null && x !== undefined && Number.isFinite(x) ? x : null;
}

/** The column names of `rows` in first-seen order (every key of every row). */
export function columnNames(rows: readonly TidyRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) names.add(k);
  return [...names];
}
