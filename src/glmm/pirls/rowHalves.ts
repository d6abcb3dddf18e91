/**
 * The row passes of a large scalar GLMM in two halves (ScalarPirls, modesPass.ts): from
 * ROW_SPLIT_MIN rows on, a pass sums rows [0, n/2) into the group sums and rows [n/2, n) into
 * sums of their own, then adds those; the per-row parts (e^f, the deviances at quadrature nodes)
 * split the same way without sums. With a helper thread (rowHelper.ts) the second half runs
 * there at the same time, on the other core: a pass over 1e6 rows takes about half the time.
 * Without one (a browser, one core, the helper not started yet or failed) this thread runs both
 * halves, in the same order, so the numbers never depend on the helper: the same to the bit
 * with or without it. Below ROW_SPLIT_MIN rows every pass sums its rows in order, as before.
 */
import type { ModesData } from './modesPass.js';
import { OP_DEVIANCE, OP_EXPF, OP_KERNEL, type RowHelper, type RowsMessage } from './rowHelper.js';

export { OP_FACTORED, OP_PLAIN } from './rowHelper.js';

/** Rows from which passes split (a pass over 200,000 rows takes about 3 ms; a hand-over about 0.05 ms). */
export const ROW_SPLIT_MIN = 200_000;

/** The second half's sums and the helper, when there is one, with the message that gives it the problem's arrays. */
export interface RowHalves {
  grad: Float64Array;
  D: Float64Array;
  pd: Float64Array;
  out: Float64Array;
  uAt: Float64Array;
  helper: RowHelper | null;
  message: RowsMessage | null;
}

/**
 * The modes pass `rows(from, to, grad, D, pd)` over every row: in halves when d.halves is set
 * (module comment), the second half's sums then added to those of the groups not frozen.
 */
export function modesInHalves(
  d: ModesData, op: number, th: number, withDev: boolean,
  rows: (from: number, to: number, grad: Float64Array, D: Float64Array, pd: Float64Array) => boolean,
): boolean {
  const h = d.halves, n = d.resp.n;
  if (h === null) return rows(0, n, d.grad, d.D, d.pd);
  const mid = n >> 1, frozen = d.frozen;
  const clear = (): void => {
    h.grad.fill(0);
    h.D.fill(0);
    h.pd.fill(0);
  };
  clear();
  const handed = h.helper !== null && h.message !== null && h.helper.start(h.message, op, th, withDev, false, frozen !== null, mid, n);
  let ok = rows(0, mid, d.grad, d.D, d.pd);
  if (handed && h.helper!.join()) ok = h.helper!.result() && ok;
  else {
    if (handed) clear();
    ok = rows(mid, n, h.grad, h.D, h.pd) && ok;
  }
  const { grad, D, pd } = d;
  for (let g = 0; g < grad.length; g++) {
    if (frozen !== null && frozen[g] === 1) continue;
    grad[g] += h.grad[g];
    D[g] += h.D[g];
    if (withDev) pd[g] += h.pd[g];
  }
  return ok;
}

/** The deviance pass `rows(from, to, uAt, out)` at the group values uAt (out zeroed by the caller), in halves when d.halves is set. */
export function devianceInHalves(
  d: ModesData, th: number, factored: boolean, uAt: Float64Array, out: Float64Array,
  rows: (from: number, to: number, uAt: Float64Array, out: Float64Array) => boolean,
): boolean {
  const h = d.halves, n = d.resp.n;
  if (h === null) return rows(0, n, uAt, out);
  const mid = n >> 1;
  h.out.fill(0);
  let handed = false;
  if (h.helper !== null && h.message !== null) {
    h.uAt.set(uAt);
    handed = h.helper.start(h.message, OP_DEVIANCE, th, false, factored, false, mid, n);
  }
  let ok = rows(0, mid, uAt, out);
  if (handed && h.helper!.join()) ok = h.helper!.result() && ok;
  else {
    if (handed) h.out.fill(0);
    ok = rows(mid, n, uAt, h.out) && ok;
  }
  for (let g = 0; g < out.length; g++) out[g] += h.out[g];
  return ok;
}

/** A per-row pass without sums, `rows(from, to)`, in halves when d.halves is set. */
export function expFInHalves(d: ModesData, rows: (from: number, to: number) => void): void {
  const h = d.halves, n = d.resp.n;
  if (h === null) {
    rows(0, n);
    return;
  }
  const mid = n >> 1;
  const handed = h.helper !== null && h.message !== null && h.helper.start(h.message, OP_EXPF, 0, false, false, false, mid, n);
  rows(0, mid);
  if (!(handed && h.helper!.join())) rows(mid, n);
}

/** The row kernel `rows(from, to)` (its deviance sum) over the engine's eta and rows, in halves when d.halves is set: the two sums added. */
export function kernelInHalves(d: ModesData, rows: (from: number, to: number) => number): number {
  const h = d.halves, n = d.resp.n;
  if (h === null) return rows(0, n);
  const mid = n >> 1;
  const handed = h.helper !== null && h.message !== null && h.helper.start(h.message, OP_KERNEL, 0, false, false, false, mid, n);
  const first = rows(0, mid);
  const second = handed && h.helper!.join() ? h.helper!.sum() : rows(mid, n);
  return first + second;
}
