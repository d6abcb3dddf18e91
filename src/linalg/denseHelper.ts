/**
 * One helper thread for the dense kernels of the WebAssembly module (wasm/dense.ts): the
 * module is instantiated in this thread and in the helper over one shared memory, and the
 * kernels hand the helper part 1 of 2 of each larger product, panel solve and packing of a
 * symmetric matrix (spawn), do part 0 themselves, and wait for the helper's (join); the pair
 * sums of crossed factors (pairSumsWasm.ts) and rankUpdate.ts's blocks are handed over from
 * JavaScript the same way. The parts are disjoint tiles, rows or levels,
 * computed exactly as one thread computes them: the results are the same to the bit with or
 * without the helper, and with it the Cholesky and the inverse of order 1128 to 2000 take
 * 0.6 to 0.75 of the time on this machine's two cores (bench/dense-threads.ts). A caller that
 * knows large work is coming may start the helper ahead of it (HelperCalls.prestart).
 *
 * The two threads meet in a small shared Int32Array (`control`): SEQ counts the operations
 * handed over, DONE is the last one the helper finished, STATE is 1 once the helper's module
 * is ready (-1: it never will be), FAILED is set when the helper's part threw (the kernels then
 * do that part themselves and stop handing work over), and ARGS holds the operation and its
 * arguments. The helper is started on the first operation large enough to share, and until it
 * is ready the kernels run alone; both threads spin briefly before they sleep (Atomics.wait),
 * as operations follow each other within microseconds inside a factorisation.
 *
 * Nothing here is Node's: the thread itself is started by the function given to
 * setDenseHelperStarter (the command line's is src/node/denseThread.ts). Atomics.wait
 * blocks, so this is for threads that may block (Node's main thread may; a browser's may not).
 * The control block's first slots and the helper's wait are threads/helperControl.ts's.
 */
import { DONE, FAILED, helperEnded, helperUnavailable, nextOperation, operationDone, OWN_SLOTS, SEQ, STATE } from '../threads/helperControl.js';

/** What the helper thread receives: the compiled module, the shared memory and the control array. */
export interface DenseHelperTask {
  module: object;
  memory: object;
  control: Int32Array;
}

/** Starts a thread that runs denseHelperLoop(task) (for example a Node worker); may throw. */
export type DenseHelperStarter = (task: DenseHelperTask) => void;

let starter: DenseHelperStarter | null = null;

/**
 * Lets the dense kernels share their work with one helper thread that `start` starts (on the
 * first operation large enough to share; src/node/denseThread.ts starts a Node worker). Read
 * when the WebAssembly module is first instantiated (gemmWasm.ts), so it takes effect only
 * if called before the first dense kernel runs; where shared memory and Atomics are missing
 * the kernels run alone. The results are the same to the bit either way. This module imports
 * only the control block (threads/helperControl.ts), so a command line can register the starter
 * without loading the kernels.
 */
export function setDenseHelperStarter(start: DenseHelperStarter | null): void {
  starter = start;
}

/** The starter registered by setDenseHelperStarter, or null. */
export function denseHelperStarter(): DenseHelperStarter | null {
  return starter;
}

const ARGS = OWN_SLOTS;
/** spawn()'s arguments: the operation and 14 more (wasm/dense.ts). */
const NARGS = 15;
/** Length of the control array. */
export const CONTROL_LENGTH = ARGS + NARGS;
/** Checks of the control array before sleeping: about a millisecond in the helper, less here. */
const HELPER_SPIN = 200_000;
const MAIN_SPIN = 50_000;
/** Operation codes of wasm/dense.ts's spawn(), and of the module's macroKernel handed over from rankUpdate.ts. */
const OP_PRODUCT = 1;
const OP_TRSM = 2;
export const OP_MACRO = 3;
/** pairSumsWasm.ts's walks (wasm/pairs.ts), part 1 of 2. */
export const OP_SQUARE = 4;
export const OP_QUADRATICS = 5;
/** wasm/dense.ts's packSymPart, handed over from inside the module. */
const OP_PACKSYM = 6;

interface HelperExports {
  productPart(m: number, n: number, kc: number, pa: number, pb: number, c: number, ldc: number, bc: number, i0: number, j0: number, lower: number, band: number, mc: number, scratch: number, part: number, parts: number): void;
  trsmPart(m: number, nb: number, t: number, b: number, ldb: number, part: number, parts: number): void;
  macroKernel(mc: number, n: number, kc: number, pa: number, pb: number, out: number, lower: number, i0: number, jEnd: number): void;
  packSymPart(a: number, n: number, m: number, c0: number, k: number, out: number, part: number, parts: number): void;
  squareUpdate(count: number, nl: number, pos: number, e0: number, rows: number, vals: number, dinv: number, sign: number, a: number, col: number, part: number, parts: number): void;
  quadratics(count: number, nl: number, pos: number, e0: number, rows: number, vals: number, dinv: number, q: number, a: number, col: number, part: number, parts: number): void;
}

export { helperEnded, helperUnavailable };

/**
 * Hands an operation to the helper (returns 2) or not (1); join() waits for it: 0, or 1 when it
 * failed. prestart() starts the helper ahead of the first operation (when large work is known to
 * be coming), so that it is ready by then.
 */
export interface HelperCalls {
  spawn: (...args: number[]) => number;
  join: () => number;
  prestart: () => void;
}

/**
 * The module's env.spawn and env.join for the thread that runs the kernels (rankUpdate.ts
 * calls them too, with OP_MACRO): the helper is started (start(task)) on the first spawn, and
 * used once it is ready.
 */
export function kernelImports(task: DenseHelperTask, start: DenseHelperStarter): HelperCalls {
  const c = task.control;
  let started = false, usable = true;
  const begin = (): void => {
    started = true;
    try {
      start(task);
    } catch {
      usable = false;
    }
  };
  return {
    prestart(): void {
      if (!started && usable) begin();
    },
    spawn(...args: number[]): number {
      if (!usable) return 1;
      if (!started) {
        begin();
        return 1;
      }
      const state = Atomics.load(c, STATE);
      if (state !== 1) {
        if (state < 0) usable = false;
        return 1;
      }
      for (let i = 0; i < NARGS; i++) c[ARGS + i] = args[i];
      Atomics.add(c, SEQ, 1);
      Atomics.notify(c, SEQ);
      return 2;
    },
    join(): number {
      const s = Atomics.load(c, SEQ);
      for (let k = 0; ; k++) {
        const d = Atomics.load(c, DONE);
        if (d === s) break;
        if (k >= MAIN_SPIN) Atomics.wait(c, DONE, d);
      }
      if (Atomics.load(c, FAILED) === 0) return 0;
      usable = false;
      return 1;
    },
  };
}

/** The parts of the WebAssembly API used here (not in the ES2022 lib; present in Node and browsers). */
declare const WebAssembly: {
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

/** The helper thread's work: instantiate the module on the shared memory, then run the parts handed over, forever. */
export function denseHelperLoop(task: DenseHelperTask): void {
  const c = task.control;
  let e: HelperExports;
  try {
    e = new WebAssembly.Instance(task.module, { env: { memory: task.memory, spawn: () => 1, join: () => 0 } }).exports as unknown as HelperExports;
  } catch {
    helperUnavailable(c);
    return;
  }
  Atomics.store(c, STATE, 1);
  let seen = Atomics.load(c, SEQ);
  for (;;) {
    const s = nextOperation(c, seen, HELPER_SPIN);
    seen = s;
    const a = (i: number): number => c[ARGS + i];
    let ok = true;
    try {
      if (a(0) === OP_PRODUCT) e.productPart(a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), a(11), a(12), a(13), a(14), 1, 2);
      else if (a(0) === OP_TRSM) e.trsmPart(a(1), a(2), a(4), a(5), a(7), 1, 2);
      else if (a(0) === OP_MACRO) e.macroKernel(a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9));
      else if (a(0) === OP_PACKSYM) e.packSymPart(a(4), a(2), a(1), a(7), a(3), a(5), 1, 2);
      else if (a(0) === OP_SQUARE) e.squareUpdate(a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), 1, 2);
      else if (a(0) === OP_QUADRATICS) e.quadratics(a(1), a(2), a(3), a(4), a(5), a(6), a(7), a(8), a(9), a(10), 1, 2);
      else ok = false;
    } catch {
      ok = false;
    }
    operationDone(c, s, ok);
  }
}
