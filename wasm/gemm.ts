// AssemblyScript source of the WebAssembly SIMD module: macroKernel below, behind
// src/linalg/rankUpdate.ts; the whole dense Cholesky, inverse and symmetric product of dense.ts,
// behind src/linalg/denseWasm.ts; the sums over pairs of sparse entries of pairs.ts, behind
// src/linalg/pairSumsWasm.ts. Compiled by scripts/build-wasm.mjs during `npm run build`
// (writes src/linalg/gemmWasm.generated.ts).
//
// macroKernel: out = A_packed B_packed' for one row block of A (mc rows) against n columns of B,
// both packed by rankUpdate.ts's pack() into 4-row panels (panel element [r, l] at 4l + r) of
// depth kc. out is column-major with leading dimension ldo = 4 ceil(mc / 4); every computed 4 x 4
// tile is stored whole. With lower != 0 (C -= A A', C's lower triangle), column panel q only
// meets the row panels from the one holding global row max(i0, 4q) on; jEnd limits the columns.
// Its inner 4 x 4 loop is tile.ts's tile() written out again on purpose: storing the product
// (here) instead of subtracting it in place (there); zeroing out and calling tile() measured
// 10-25% slower for gemmNTSub(1128, 1128, 1128) (164 ms, 144 ms with @inline, against 131 ms).

export function macroKernel(mc: i32, n: i32, kc: i32, pa: usize, pb: usize, out: usize, lower: i32, i0: i32, jEnd: i32): void {
  const np = (mc + 3) >> 2;
  const ldo = <usize>(np << 2) << 3;
  const panel = <usize>(kc << 2) << 3;
  for (let j = 0; j < jEnd; j += 4) {
    let p0 = 0;
    if (lower != 0) {
      const s = max(i0, j) - i0;
      p0 = s >> 2;
    }
    const bq = pb + <usize>(j >> 2) * panel;
    const oc = out + <usize>j * ldo;
    for (let p = p0; p < np; p++) {
      let a = pa + <usize>p * panel;
      let b = bq;
      let c0a = f64x2.splat(0.0), c0b = f64x2.splat(0.0);
      let c1a = f64x2.splat(0.0), c1b = f64x2.splat(0.0);
      let c2a = f64x2.splat(0.0), c2b = f64x2.splat(0.0);
      let c3a = f64x2.splat(0.0), c3b = f64x2.splat(0.0);
      for (let l = 0; l < kc; l++) {
        const a01 = v128.load(a);
        const a23 = v128.load(a, 16);
        let bb = v128.load64_splat(b);
        c0a = f64x2.add(c0a, f64x2.mul(a01, bb));
        c0b = f64x2.add(c0b, f64x2.mul(a23, bb));
        bb = v128.load64_splat(b, 8);
        c1a = f64x2.add(c1a, f64x2.mul(a01, bb));
        c1b = f64x2.add(c1b, f64x2.mul(a23, bb));
        bb = v128.load64_splat(b, 16);
        c2a = f64x2.add(c2a, f64x2.mul(a01, bb));
        c2b = f64x2.add(c2b, f64x2.mul(a23, bb));
        bb = v128.load64_splat(b, 24);
        c3a = f64x2.add(c3a, f64x2.mul(a01, bb));
        c3b = f64x2.add(c3b, f64x2.mul(a23, bb));
        a += 32;
        b += 32;
      }
      const o = oc + (<usize>p << 5);
      v128.store(o, c0a);
      v128.store(o, c0b, 16);
      v128.store(o + ldo, c1a);
      v128.store(o + ldo, c1b, 16);
      v128.store(o + 2 * ldo, c2a);
      v128.store(o + 2 * ldo, c2b, 16);
      v128.store(o + 3 * ldo, c3a);
      v128.store(o + 3 * ldo, c3b, 16);
    }
  }
}

export { potrf, potri, trtri, trsmPart, packSymPart, workspace, storage, column, symmProduct, symmWorkspace } from './dense';
export { productPart } from './tile';
export { squareUpdate, quadratics } from './pairs';
