/**
 * The library's in-memory table: named columns of equal length.
 *
 * - numeric columns hold a Float64Array; NaN marks a missing value;
 * - categorical columns hold strings (null = missing); `levels`, when given,
 *   fixes the level order (otherwise levels sort as R sorts them).
 */
export type Column =
  | { kind: 'numeric'; values: Float64Array }
  | { kind: 'categorical'; values: ReadonlyArray<string | null>; levels?: readonly string[] };

export interface DataTable {
  readonly names: readonly string[];
  readonly nrow: number;
  readonly columns: ReadonlyMap<string, Column>;
}
