/**
 * Node-only: the dense kernels' helper thread as a worker (denseWorker.ts). enableDenseThread()
 * lets the WebAssembly kernels share their larger products with it (src/linalg/denseHelper.ts):
 * the Cholesky and inverse of order 1128 to 2000 in 0.6 to 0.75 of the time on two cores, the
 * same numbers to the bit.
 * The worker starts on the first operation large enough to share (it costs about 9 MB of
 * memory and a few tens of milliseconds of the other core), is unreferenced, so that it never
 * keeps the process alive, and ends with it. Call before the first fit.
 */
import { availableParallelism } from 'node:os';
import { helperUnavailable, setDenseHelperStarter, type DenseHelperTask } from '../linalg/denseHelper.js';
import { moduleWorker } from './moduleWorker.js';

/** Starts the helper as a Node worker running denseWorker.ts (exported for the tests). */
export function startDenseWorker(task: DenseHelperTask): void {
  const worker = moduleWorker(import.meta.url, 'denseWorker', task);
  worker.unref();
  // A worker that fails to start leaves the kernels alone (they check the state before each hand-over).
  worker.on('error', () => helperUnavailable(task.control));
}

/**
 * Registers the helper thread's starter (not with a single processor, where the threads would
 * take turns: returns whether it did). Call it before the first fit: the kernels read it when
 * they are first instantiated.
 */
export function enableDenseThread(): boolean {
  if (availableParallelism() < 2) return false;
  setDenseHelperStarter(startDenseWorker);
  return true;
}
