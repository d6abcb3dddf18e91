/**
 * The library's in-memory table: named columns of equal length.
 *
 * - numeric columns hold a Float64Array; NaN marks a missing value;
 * - categorical columns hold strings (null = missing); `levels`, when given,
 *   fixes the level order (otherwise levels sort as R sorts them).
 */
export type Column =
  | { kind: 'numeric'; values: Float64Array }
  | {
      kind: 'categorical';
      values: ReadonlyArray<string | null>;
      levels?: readonly string[];
      /**
       * Set when the column looks numeric but was read as text, saying why:
       * e.g. "holds numbers and text (row 17 is 'n/a')". A model that uses
       * the column as a number is refused with this note; naming the column
       * in `factors` makes it categorical on purpose.
       */
      looksNumeric?: string;
    };

/**
 * A table of named columns, each numeric (Float64Array, NaN missing), categorical (codes into levels) or logical, as `parseCsv` and `toTable` return it and every fitting function accepts.
 * @example
 * ```ts
 * const table = toTable({ y: [1, 2, 3], g: ['a', 'b', 'a'] });
 * table.nrow; // 3
 * ```
 */
export interface DataTable {
  readonly names: readonly string[];
  readonly nrow: number;
  readonly columns: ReadonlyMap<string, Column>;
}
