/**
 * mixedmodels/node (Node only): what the command line does with threads, for library users.
 *
 *   import { enableDenseThread, bootstrapParallel } from 'mixedmodels/node';
 *   enableDenseThread();                       // before the first fit: dense kernels on two cores
 *   enableRowThread();                         // and the row passes of large scalar GLMMs
 *   const boot = await bootstrapParallel(model, { nsim: 1000, seed: 1 });
 *
 * Both give the same numbers as the core's one-thread functions (the dense kernels to the
 * bit, the GLMMs' row passes too; the bootstrap replicate for replicate, whatever the number of workers).
 */
export { enableDenseThread } from './denseThread.js';
export { enableRowThread } from './rowThread.js';
export { bootstrapParallel, type ParallelBootstrapOptions } from './bootstrapWorkers.js';
