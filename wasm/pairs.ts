// The sums over pairs of entries within a column level of a scalar sparse pattern
// (src/lmm/pairTiles.ts), on a symmetric matrix held by its lower triangle in the module's
// block-column storage (blockColumns.ts): the same walks as the JavaScript of
// src/lmm/pairTiles.ts and src/lmm/levelQuadratics.ts (squareUpdate, quadratics), the same
// operations in the same order, so the same bits. Called by src/linalg/pairSumsWasm.ts on one
// chunk of column levels at a time:
//
//   pos   the chunk's tile positions, (count + 1) Int32 per level (pairTiles.ts), entry
//         indices counted from e0;
//   rows  the chunk's row levels (Int32), vals its values (f64), entry e at index e - e0;
//   col   Int32 per row level r of the matrix: the index in doubles of element [0, r] in the
//         storage at a, so that element [i, r] (i >= r) is at col[r] + i.
//
// The matrix's pieces are read or written at random within a pair of row tiles. On a pattern
// shaped like lmm_crossed_1e6's, these walks with their copies took about 0.55 times the
// JavaScript's time (bench/pair-tiles.ts).

@inline function i32At(p: usize, i: i32): i32 {
  return load<i32>(p + (<usize>i << 2));
}

@inline function f64At(p: usize, i: i32): f64 {
  return load<f64>(p + (<usize>i << 3));
}

/**
 * matrix += sign sum over the chunk's levels l of w_l v_l v_l' (lower triangle), w_l = d_l^2
 * (d_l = dinv[l]) or 1 when dinv is 0: with sign -1 and no weights pairTiles.ts's scalarSquareSub
 * (x - a b, as x + -(a b) is the same number), with sign 1 and weights the K that
 * levelQuadratics.ts forms beside its quadratic forms; in their order of operations.
 *
 * Part `part` of `parts` (threads sharing the memory; parts = 1: all of it): the pairs of tiles
 * t = 0, 1, ... in the walk's order with t mod parts = part. A pair of tiles writes its own piece
 * of the matrix, over every level in order, so the parts give the one-thread bits whatever
 * their number.
 */
export function squareUpdate(count: i32, nl: i32, pos: usize, e0: i32, rows: usize, vals: usize, dinv: usize, sign: f64, a: usize, col: usize, part: i32, parts: i32): void {
  const stride = count + 1;
  let t = -1;
  for (let J = 0; J < count; J++) {
    for (let I = J; I < count; I++) {
      t++;
      if (t % parts != part) continue;
      for (let l = 0; l < nl; l++) {
        const o = l * stride;
        const j0 = i32At(pos, o + J) - e0, j1 = i32At(pos, o + J + 1) - e0;
        if (j0 == j1) continue;
        const i1 = i32At(pos, o + I + 1) - e0;
        const start = I == J ? -1 : i32At(pos, o + I) - e0;
        let d2 = 1.0;
        if (dinv != 0) {
          const d = f64At(dinv, l);
          d2 = d * d;
        }
        for (let f = j0; f < j1; f++) {
          const c = a + (<usize>i32At(col, i32At(rows, f)) << 3), w = dinv != 0 ? f64At(vals, f) * d2 : f64At(vals, f);
          for (let e = start < 0 ? f : start; e < i1; e++) {
            const x = c + (<usize>i32At(rows, e) << 3);
            store<f64>(x, load<f64>(x) + sign * (w * f64At(vals, e)));
          }
        }
      }
    }
  }
}

/**
 * q[l] += d_l^2 sum over pairs of K_l' W K_l for the chunk's levels (W the matrix, dinv per
 * level, d_l = dinv[l]): levelQuadratics.ts's walk without K and without the X rows. Part `part`
 * of `parts`: the levels of its share of the range, each summed whole in the walk's order (the
 * one-thread bits).
 */
export function quadratics(count: i32, nl: i32, pos: usize, e0: i32, rows: usize, vals: usize, dinv: usize, q: usize, a: usize, col: usize, part: i32, parts: i32): void {
  const stride = count + 1;
  const lLo = <i32>((<i64>nl * part) / parts), lHi = <i32>((<i64>nl * (part + 1)) / parts);
  for (let J = 0; J < count; J++) {
    for (let I = J; I < count; I++) {
      const diag = I == J;
      for (let l = lLo; l < lHi; l++) {
        const o = l * stride;
        const j0 = i32At(pos, o + J) - e0, j1 = i32At(pos, o + J + 1) - e0;
        if (j0 == j1) continue;
        const i0 = i32At(pos, o + I) - e0, i1 = i32At(pos, o + I + 1) - e0;
        if (!diag && i0 == i1) continue;
        const d = f64At(dinv, l), d2 = d * d;
        let acc = 0.0;
        for (let f = j0; f < j1; f++) {
          const r = i32At(rows, f), kf = f64At(vals, f);
          const c = a + (<usize>i32At(col, r) << 3);
          let v = 0.0;
          for (let e = diag ? f + 1 : i0; e < i1; e++) v += load<f64>(c + (<usize>i32At(rows, e) << 3)) * f64At(vals, e);
          acc += kf * (diag ? 2 * v + load<f64>(c + (<usize>r << 3)) * kf : 2 * v);
        }
        const x = q + (<usize>l << 3);
        store<f64>(x, load<f64>(x) + acc * d2);
      }
    }
  }
}

