/**
 * The row helper's side (rowHelper.ts): take the problem's arrays at OP_ATTACH, then run the row
 * kernels of modesPass.ts on the chunks it takes of each operation (rowChunks.ts), forever.
 * `receive` takes the next message sent by the starter's post (a Node worker:
 * receiveMessageOnPort), synchronously.
 */
import { devianceRows, expFRows, factoredRows, plainRows, type RowsData } from './modesPass.js';
import { binomialLogitRows } from './rowKernel.js';
import { chunkStart, chunkViews } from './rowChunks.js';
import {
  A_FACTORED, A_FROZEN, A_HANDLE, A_OP, A_TH, A_WITHDEV, NEXT,
  OP_ATTACH, OP_DEVIANCE, OP_EXPF, OP_FACTORED, OP_KERNEL, OP_PLAIN, OP_RELEASE, RESULT, type RowHelperTask, type RowsMessage,
} from './rowHelper.js';
import { nextOperation, operationDone, SEQ, STATE } from '../../threads/helperControl.js';

/** Checks of SEQ before the helper sleeps (about a millisecond). */
const HELPER_SPIN = 2_000;

/** A problem's rows as the kernels read them, its message and its chunks' views. */
interface Held {
  data: RowsData;
  m: RowsMessage;
  grad: Float64Array[];
  D: Float64Array[];
  pd: Float64Array[];
  out: Float64Array[];
}

function held(m: RowsMessage): Held {
  const G = m.u.length;
  return {
    m,
    grad: chunkViews(m.grad, m.K, G),
    D: chunkViews(m.D, m.K, G),
    pd: chunkViews(m.pd, m.K, G),
    out: chunkViews(m.out, m.K, G),
    data: {
      resp: { y: m.y, pw: m.pw, n: m.n }, refs: m.refs, z: m.z, f: m.f, u: m.u, eta: m.eta, rows: { mu: m.mu },
      saturated: m.saturated, zConst: m.zConst, expF: m.expF, expU: m.expU, unitWeights: m.unitWeights, saturatedZero: m.saturatedZero, frozen: null,
    },
  };
}

/** Runs chunk c of one operation on the held problem (as rowChunks.ts's side does); its boolean result. */
function runChunk(h: Held, a: Float64Array, c: number): boolean {
  const op = a[A_OP], th = a[A_TH], { data, m } = h;
  const from = chunkStart(c, m.K, m.n), to = chunkStart(c + 1, m.K, m.n);
  data.frozen = a[A_FROZEN] === 1 ? m.frozen : null;
  if (op === OP_FACTORED || op === OP_PLAIN) {
    h.grad[c].fill(0);
    h.D[c].fill(0);
    h.pd[c].fill(0);
    const rows = op === OP_FACTORED ? factoredRows : plainRows;
    return rows(data, th, a[A_WITHDEV] === 1, from, to, h.grad[c], h.D[c], h.pd[c]);
  }
  if (op === OP_DEVIANCE) {
    h.out[c].fill(0);
    return devianceRows(data, th, a[A_FACTORED] === 1, m.uAt, from, to, h.out[c]);
  }
  if (op === OP_EXPF) {
    expFRows(data, from, to);
    return true;
  }
  if (op === OP_KERNEL) {
    m.sums[c] = binomialLogitRows(m.y, m.unitWeights ? null : m.pw, m.eta, { mu: m.mu, W: m.W, wr: m.wr, dev: m.dev }, from, to);
    return true;
  }
  throw new Error(`row helper: unknown operation ${op}`);
}

/** The chunks this thread takes of one operation, each marked done when finished; the AND of their results. */
function runChunks(h: Held, c: Int32Array, a: Float64Array): boolean {
  let ok = true;
  for (let k = Atomics.add(c, NEXT, 1); k < h.m.K; k = Atomics.add(c, NEXT, 1)) {
    ok = runChunk(h, a, k) && ok;
    Atomics.store(h.m.done, k, 1);
  }
  return ok;
}

export function rowHelperLoop(task: RowHelperTask, receive: () => RowsMessage | undefined): void {
  const c = task.control, a = task.args;
  let current: Held | null = null;
  Atomics.store(c, STATE, 1);
  let seen = Atomics.load(c, SEQ);
  for (;;) {
    const s = nextOperation(c, seen, HELPER_SPIN);
    seen = s;
    let ok = false;
    try {
      if (a[A_OP] === OP_RELEASE) {
        current = null;
        ok = true;
      } else if (a[A_OP] === OP_ATTACH) {
        const m = receive();
        current = m !== undefined && m.handle === a[A_HANDLE] ? held(m) : null;
        ok = current !== null;
        Atomics.store(c, RESULT, 1);
      } else if (current !== null && current.m.handle === a[A_HANDLE]) {
        Atomics.store(c, RESULT, runChunks(current, c, a) ? 1 : 0);
        ok = true;
      }
    } catch {
      ok = false;
    }
    operationDone(c, s, ok);
  }
}
