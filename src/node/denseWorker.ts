/** Node-only: the dense kernels' helper thread (src/linalg/denseHelper.ts), started by denseThread.ts. */
import { workerData } from 'node:worker_threads';
import { denseHelperLoop, type DenseHelperTask } from '../linalg/denseHelper.js';

denseHelperLoop(workerData as DenseHelperTask);
