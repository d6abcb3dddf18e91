/** Node-only: the dense kernels' helper thread (src/linalg/denseHelper.ts), started by denseThread.ts. */
import { workerData } from 'node:worker_threads';
import { denseHelperLoop, helperEnded, type DenseHelperTask } from '../linalg/denseHelper.js';

const task = workerData as DenseHelperTask;
// Should this thread end (terminated with its process), a kernel waiting for its part is released.
process.on('exit', () => helperEnded(task.control));
denseHelperLoop(task);
