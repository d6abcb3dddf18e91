/**
 * The row helper's side (rowHelper.ts): take the problem's arrays at OP_ATTACH, then run the row
 * kernels of modesPass.ts on the rows handed over, forever. `receive` takes the next message sent
 * by the starter's post (a Node worker: receiveMessageOnPort), synchronously.
 */
import { devianceRows, expFRows, factoredRows, plainRows, type RowsData } from './modesPass.js';
import { binomialLogitRows } from './rowKernel.js';
import {
  A_FACTORED, A_FROM, A_FROZEN, A_HANDLE, A_OP, A_SUM, A_TH, A_TO, A_WITHDEV, DONE, FAILED,
  OP_ATTACH, OP_DEVIANCE, OP_EXPF, OP_FACTORED, OP_KERNEL, OP_PLAIN, RESULT, SEQ, STATE, type RowHelperTask, type RowsMessage,
} from './rowHelper.js';

/** Checks of SEQ before the helper sleeps (about a millisecond). */
const HELPER_SPIN = 2_000;

/** A problem's rows as the kernels read them, and its message. */
interface Held {
  data: RowsData;
  m: RowsMessage;
}

function held(m: RowsMessage): Held {
  return {
    m,
    data: {
      resp: { y: m.y, pw: m.pw, n: m.n }, refs: m.refs, z: m.z, f: m.f, u: m.u, eta: m.eta, rows: { mu: m.mu },
      saturated: m.saturated, zConst: m.zConst, expF: m.expF, expU: m.expU, unitWeights: m.unitWeights, saturatedZero: m.saturatedZero, frozen: null,
    },
  };
}

/** Runs one operation on the held problem; its boolean result. */
function run(h: Held, a: Float64Array): boolean {
  const op = a[A_OP], th = a[A_TH], from = a[A_FROM], to = a[A_TO], { data, m } = h;
  data.frozen = a[A_FROZEN] === 1 ? m.frozen : null;
  if (op === OP_FACTORED) return factoredRows(data, th, a[A_WITHDEV] === 1, from, to, m.grad, m.D, m.pd);
  if (op === OP_PLAIN) return plainRows(data, th, a[A_WITHDEV] === 1, from, to, m.grad, m.D, m.pd);
  if (op === OP_DEVIANCE) return devianceRows(data, th, a[A_FACTORED] === 1, m.uAt, from, to, m.out);
  if (op === OP_EXPF) {
    expFRows(data, from, to);
    return true;
  }
  if (op === OP_KERNEL) {
    a[A_SUM] = binomialLogitRows(data.resp, m.eta, { mu: m.mu, W: m.W, wr: m.wr, dev: m.dev }, from, to);
    return true;
  }
  throw new Error(`row helper: unknown operation ${op}`);
}

export function rowHelperLoop(task: RowHelperTask, receive: () => RowsMessage | undefined): void {
  const c = task.control, a = task.args;
  let current: Held | null = null;
  Atomics.store(c, STATE, 1);
  let seen = Atomics.load(c, SEQ);
  for (;;) {
    for (let k = 0; k < HELPER_SPIN && Atomics.load(c, SEQ) === seen; k++);
    Atomics.wait(c, SEQ, seen);
    const s = Atomics.load(c, SEQ);
    if (s === seen) continue;
    seen = s;
    let ok = false;
    try {
      if (a[A_OP] === OP_ATTACH) {
        const m = receive();
        current = m !== undefined && m.handle === a[A_HANDLE] ? held(m) : null;
        ok = current !== null;
        Atomics.store(c, RESULT, 1);
      } else if (current !== null && current.m.handle === a[A_HANDLE]) {
        Atomics.store(c, RESULT, run(current, a) ? 1 : 0);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (!ok) Atomics.store(c, FAILED, 1);
    Atomics.store(c, DONE, s);
    Atomics.notify(c, DONE);
  }
}
