/** Node-only: the row helper thread of large scalar GLMMs (src/glmm/pirls/rowHelperLoop.ts), started by rowThread.ts. */
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import type { RowHelperTask, RowsMessage } from '../glmm/pirls/rowHelper.js';
import { helperEnded } from '../threads/helperControl.js';
import { rowHelperLoop } from '../glmm/pirls/rowHelperLoop.js';

const { task, port } = workerData as { task: RowHelperTask; port: MessagePort };
// Should this thread end (terminated with its process), a pass waiting for its half is released.
process.on('exit', () => helperEnded(task.control));
rowHelperLoop(task, () => receiveMessageOnPort(port)?.message as RowsMessage | undefined);
