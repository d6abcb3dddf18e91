/**
 * Sum of a Chebyshev series, sum_k' a_k T_k(t) for t in [-1, 1] with the
 * first coefficient halved, by Clenshaw's recurrence
 *   b_k = 2 t b_{k+1} - b_{k+2} + a_k,  sum = (b_0 - b_2) / 2
 * (Fox & Parker 1968; the form R's chebyshev_eval uses for SLATEC's series).
 */

/** sum_k' a[k] T_k(t) (module comment). */
export function chebyshev(t: number, a: readonly number[]): number {
  const twot = 2 * t;
  let b0 = 0, b1 = 0, b2 = 0;
  for (let i = a.length - 1; i >= 0; i--) {
    b2 = b1;
    b1 = b0;
    b0 = twot * b1 - b2 + a[i];
  }
  return (b0 - b2) * 0.5;
}
