/**
 * Order statistics without a full sort: after `selectRanks(v, ranks)`, v[k] holds the value a
 * sort of v would put at index k, for every k in `ranks` (0-based, increasing). Hoare's
 * quickselect with a median-of-three pivot, generalised to several ranks at once: each
 * partition recurses only into the sides that still hold a wanted rank, so m ranks cost
 * about n (2 + log2 m) comparisons on average instead of a sort's n log2 n. v is permuted
 * in place; it must hold no NaN (the caller drops them, as R's quantile does).
 */
export function selectRanks(v: Float64Array, ranks: readonly number[]): void {
  select(v, 0, v.length - 1, ranks, 0, ranks.length);
}

/** Places the ranks ranks[r0..r1) (all inside [lo, hi]) of v[lo..hi]. */
function select(v: Float64Array, lo: number, hi: number, ranks: readonly number[], r0: number, r1: number): void {
  while (r0 < r1 && hi - lo >= 16) {
    const mid = lo + ((hi - lo) >> 1);
    sort3(v, lo, mid, hi);
    const pivot = v[mid];
    let i = lo, j = hi;
    // Hoare partition: afterwards v[lo..j] <= pivot <= v[i..hi] and every index between j and i holds the pivot.
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    let a = r0;
    while (a < r1 && ranks[a] <= j) a++;
    let b = a;
    while (b < r1 && ranks[b] < i) b++;
    // Ranks in [r0, a) lie left, [a, b) already sit on the pivot's value, [b, r1) lie right.
    if (a - r0 < r1 - b) {
      select(v, lo, j, ranks, r0, a);
      lo = i;
      r0 = b;
    } else {
      select(v, i, hi, ranks, b, r1);
      hi = j;
      r1 = a;
    }
  }
  if (r0 < r1) insertionSort(v, lo, hi);
}

function sort3(v: Float64Array, a: number, b: number, c: number): void {
  if (v[b] < v[a]) swap(v, a, b);
  if (v[c] < v[b]) {
    swap(v, b, c);
    if (v[b] < v[a]) swap(v, a, b);
  }
}

function swap(v: Float64Array, a: number, b: number): void {
  const t = v[a];
  v[a] = v[b];
  v[b] = t;
}

function insertionSort(v: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const x = v[i];
    let j = i - 1;
    while (j >= lo && v[j] > x) {
      v[j + 1] = v[j];
      j--;
    }
    v[j + 1] = x;
  }
}
