/**
 * The control block a thread shares with its helper thread (the dense kernels' helper,
 * linalg/denseHelper.ts, and the GLMM row passes' helper, glmm/pirls/rowHelper.ts): a small
 * shared Int32Array whose first slots are SEQ, the number of operations handed over; DONE, the
 * last one the helper finished; STATE, 1 once the helper is ready (-1: it never will be); FAILED,
 * set when the helper's part of an operation failed. Each helper puts its own slots after these.
 * Atomics.wait blocks, so this is for threads that may block (Node's main thread may; a
 * browser's may not).
 */
export const SEQ = 0;
export const DONE = 1;
export const STATE = 2;
export const FAILED = 3;
/** The first slot a helper may use for itself. */
export const OWN_SLOTS = 4;

/** Marks the helper as never to be ready (its thread could not start). */
export function helperUnavailable(control: Int32Array): void {
  Atomics.store(control, STATE, -1);
}

/**
 * Called as the helper thread ends (its 'exit'): no more hand-overs, and an operation being
 * waited for is released as failed, so that the other thread does that part itself.
 */
export function helperEnded(control: Int32Array): void {
  Atomics.store(control, STATE, -1);
  Atomics.store(control, FAILED, 1);
  Atomics.store(control, DONE, Atomics.load(control, SEQ));
  Atomics.notify(control, DONE);
}

/** The helper's side: waits (spinning `spin` checks first) until SEQ moves past `seen`; returns the new SEQ. */
export function nextOperation(control: Int32Array, seen: number, spin: number): number {
  for (;;) {
    for (let k = 0; k < spin && Atomics.load(control, SEQ) === seen; k++);
    Atomics.wait(control, SEQ, seen);
    const s = Atomics.load(control, SEQ);
    if (s !== seen) return s;
  }
}

/** The helper's side: operation `s` finished (failed when `ok` is false). */
export function operationDone(control: Int32Array, s: number, ok: boolean): void {
  if (!ok) Atomics.store(control, FAILED, 1);
  Atomics.store(control, DONE, s);
  Atomics.notify(control, DONE);
}
