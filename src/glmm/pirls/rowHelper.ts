/**
 * One helper thread for the row passes of large scalar GLMMs (rowChunks.ts): the thread that
 * runs PIRLS hands the helper an operation on a pass's chunks of rows, and both take chunks until
 * none is left; then it waits for the helper's last (and does any it did not finish, when it failed).
 *
 * The two threads meet in a small shared Int32Array (`control`, threads/helperControl.ts): SEQ
 * counts the operations handed over, DONE is the last one the helper finished, STATE is 1 once
 * the helper is ready (-1: it never will be), FAILED is set when its part threw or named a
 * problem it does not hold; then RESULT is the AND of its chunks' boolean results, NEXT the next
 * chunk to take; `args` (shared Float64Array) holds the operation and its numbers. A problem's
 * arrays (shared memory) reach the helper once, as a message (RowsMessage) that it takes at the
 * OP_ATTACH operation; it holds one problem at a time, until OP_RELEASE.
 * Both threads spin briefly before they sleep (Atomics.wait): passes follow each other within
 * milliseconds in PIRLS.
 *
 * Nothing here is Node's: the thread is started by the function given to
 * setRowHelperStarter (the command line's is src/node/rowThread.ts). Atomics.wait blocks, so
 * this is for threads that may block (Node's main thread may; a browser's may not).
 */
import { DONE, FAILED, OWN_SLOTS, SEQ, STATE } from '../../threads/helperControl.js';

/** What the helper thread receives when it starts. */
export interface RowHelperTask {
  control: Int32Array;
  args: Float64Array;
}

/** Starts a thread that runs rowHelperLoop(task, receive) (rowHelperLoop.ts); returns how to send it messages. May throw. */
export type RowHelperStarter = (task: RowHelperTask) => { post(message: RowsMessage): void };

/** A problem's rows for the helper: shared arrays (length 0 where a flag says they are not read) and its chunks' sums. */
export interface RowsMessage {
  handle: number;
  n: number;
  refs: Int32Array;
  z: Float64Array;
  f: Float64Array;
  u: Float64Array;
  eta: Float64Array;
  mu: Float64Array;
  /** The row kernel's other outputs (rowKernel.ts), for OP_KERNEL. */
  W: Float64Array;
  wr: Float64Array;
  dev: Float64Array;
  expF: Float64Array | null;
  expU: Float64Array;
  y: Float64Array;
  pw: Float64Array;
  saturated: Float64Array | null;
  frozen: Uint8Array;
  zConst: number;
  unitWeights: boolean;
  saturatedZero: boolean;
  /** Chunks (rowChunks.ts), their sums (K x G: modes passes, deviance pass; K: the row kernel's deviance), which are done, and the group values of a deviance pass. */
  K: number;
  grad: Float64Array;
  D: Float64Array;
  pd: Float64Array;
  out: Float64Array;
  sums: Float64Array;
  done: Int32Array;
  uAt: Float64Array;
}

export const OP_ATTACH = 1;
export const OP_FACTORED = 2;
export const OP_PLAIN = 3;
export const OP_DEVIANCE = 4;
export const OP_EXPF = 5;
export const OP_KERNEL = 6;
export const OP_RELEASE = 7;

/** The control block's slots after the common ones (threads/helperControl.ts). */
export const RESULT = OWN_SLOTS;
export const NEXT = OWN_SLOTS + 1;
export const CONTROL_LENGTH = OWN_SLOTS + 2;

export const A_OP = 0;
export const A_HANDLE = 1;
export const A_TH = 2;
export const A_WITHDEV = 3;
export const A_FACTORED = 4;
export const A_FROZEN = 5;
export const ARGS_LENGTH = 6;

/** Checks of DONE before this thread sleeps. */
const MAIN_SPIN = 50_000;

let starter: RowHelperStarter | null = null;
let helper: RowHelper | null | undefined;

/**
 * Lets the large scalar GLMMs' row passes share their rows with one helper thread that `start`
 * starts (src/node/rowThread.ts starts a Node worker), from the next problem made on; null
 * stops that for the problems made after. Where shared memory and Atomics are missing the
 * passes run alone. The numbers are the same either way (rowChunks.ts).
 */
export function setRowHelperStarter(start: RowHelperStarter | null): void {
  starter = start;
  helper = undefined;
}

/** The process's helper if one was started (nothing is started), else null. */
export function startedRowHelper(): RowHelper | null {
  return helper ?? null;
}

/** The process's helper (started on the first call with a starter registered), or null. */
export function rowHelper(): RowHelper | null {
  if (helper !== undefined) return helper;
  helper = null;
  if (starter === null || typeof SharedArrayBuffer !== 'function' || typeof Atomics !== 'object') return null;
  const task: RowHelperTask = {
    control: new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4)),
    args: new Float64Array(new SharedArrayBuffer(ARGS_LENGTH * 8)),
  };
  try {
    helper = new RowHelper(task, starter(task));
  } catch {
    helper = null;
  }
  return helper;
}

/**
 * Lets the helper drop the problem it holds (the arrays of a fit that has finished: a later pass
 * of the same problem sends them again), so that its memory goes with the model's. Starts nothing.
 */
export function releaseRowHelper(): void {
  helper?.release();
}

/** The thread that runs PIRLS's side of the helper. */
export class RowHelper {
  private attached = -1;
  private usable = true;
  private lastOp = 0;
  /** Operations handed over, and those the helper has done its part of (for tests and MIXEDMODELS_DEBUG: whether it took part). */
  handed = 0;
  parts = 0;

  constructor(private readonly task: RowHelperTask, private readonly link: { post(message: RowsMessage): void }) {}

  /**
   * Hands operation `op` on the chunks of the problem of `message` to the helper (its arrays
   * sent first when the helper holds another problem), which takes chunks from claim()'s counter:
   * false when the helper is not ready, and then nothing was handed over.
   */
  start(message: RowsMessage, op: number, th: number, withDev: boolean, factored: boolean, frozen: boolean): boolean {
    if (!this.usable) return false;
    const state = Atomics.load(this.task.control, STATE);
    if (state !== 1) {
      if (state < 0) this.usable = false;
      return false;
    }
    if (this.attached !== message.handle) {
      this.link.post(message);
      this.hand(OP_ATTACH, message.handle);
      if (!this.join()) return false;
      this.attached = message.handle;
    }
    const a = this.task.args;
    a[A_TH] = th;
    a[A_WITHDEV] = withDev ? 1 : 0;
    a[A_FACTORED] = factored ? 1 : 0;
    a[A_FROZEN] = frozen ? 1 : 0;
    Atomics.store(this.task.control, NEXT, 0);
    this.hand(op, message.handle);
    this.handed++;
    return true;
  }

  /** Whether the helper thread has started and takes operations (false until then, and after it failed). */
  get ready(): boolean {
    return this.usable && Atomics.load(this.task.control, STATE) === 1;
  }

  /** Whether the helper holds a problem's arrays. */
  get holding(): boolean {
    return this.attached !== -1;
  }

  /** Tells the helper to drop the problem it holds, if it holds one. */
  release(): void {
    if (this.attached === -1 || !this.usable || Atomics.load(this.task.control, STATE) !== 1) return;
    this.hand(OP_RELEASE, this.attached);
    this.join();
    this.attached = -1;
  }

  /** The next chunk to take (both threads take from this counter; K or more: none left). */
  claim(): number {
    return Atomics.add(this.task.control, NEXT, 1);
  }

  /** Waits for the operation handed over: true when the helper did it (its result in result()), false when it failed. */
  join(): boolean {
    const c = this.task.control, s = Atomics.load(c, SEQ);
    for (let k = 0; ; k++) {
      const d = Atomics.load(c, DONE);
      if (d === s) break;
      if (k >= MAIN_SPIN) Atomics.wait(c, DONE, d);
    }
    if (Atomics.load(c, FAILED) === 0) {
      if (this.lastOp !== OP_ATTACH && this.lastOp !== OP_RELEASE) this.parts++;
      return true;
    }
    Atomics.store(c, FAILED, 0);
    // A problem the helper does not hold (or a part that threw): send the arrays again next time.
    this.attached = -1;
    if (Atomics.load(c, STATE) < 0) this.usable = false;
    return false;
  }

  /** The boolean result of the helper's last part. */
  result(): boolean {
    return Atomics.load(this.task.control, RESULT) === 1;
  }

  private hand(op: number, handle: number): void {
    const c = this.task.control, a = this.task.args;
    this.lastOp = op;
    a[A_OP] = op;
    a[A_HANDLE] = handle;
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
  }
}
