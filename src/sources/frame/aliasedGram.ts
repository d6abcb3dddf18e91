/**
 * R's aliased columns (frame/aliased.ts: column j is aliased when the part of
 * it orthogonal to the kept columns before it has norm below tol times its own
 * norm) decided from the cross-product matrix G = X'X alone: that part's
 * squared norm is the Schur complement G_jj - g_j' G_KK^-1 g_j over the kept
 * columns K, read off a Cholesky factor grown one kept column at a time.
 */
export function aliasedFromGram(G: Float64Array, p: number, tol = 1e-7): boolean[] {
  const kept: number[] = [];
  const L: Float64Array[] = [];
  const aliased: boolean[] = [];
  for (let j = 0; j < p; j++) {
    const gjj = G[j + j * p];
    const v = new Float64Array(kept.length);
    let ss = 0;
    for (let a = 0; a < kept.length; a++) {
      let s = G[kept[a] + j * p];
      for (let b = 0; b < a; b++) s -= L[a][b] * v[b];
      v[a] = s / L[a][a];
      ss += v[a] * v[a];
    }
    const rest2 = gjj - ss;
    const isAliased = !(gjj > 0) || !(rest2 > tol * tol * gjj);
    aliased.push(isAliased);
    if (!isAliased) {
      const row = new Float64Array(kept.length + 1);
      row.set(v);
      row[kept.length] = Math.sqrt(rest2);
      L.push(row);
      kept.push(j);
    }
  }
  return aliased;
}
