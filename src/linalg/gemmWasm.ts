import { CONTROL_LENGTH, denseHelperStarter, kernelImports, type DenseHelperStarter, type HelperCalls } from './denseHelper.js';
import { GEMM_THREADS_WASM_BASE64, GEMM_WASM_BASE64 } from './gemmWasm.generated.js';

/**
 * The WebAssembly SIMD kernels (source: wasm/*.ts, AssemblyScript): rankUpdate.ts's
 * product of packed panels of A and B (4 x 4 tiles of f64x2 multiply-adds, written
 * into the module's own memory), and denseWasm.ts's whole dense Cholesky and inverse
 * on a matrix copied into that memory. Instantiated synchronously on first use
 * (the module is about 5 KB); null where
 * WebAssembly or its SIMD is unavailable, and the callers use the JavaScript kernel.
 * With a helper thread (denseHelper.ts's setDenseHelperStarter) the module's threaded build runs on a shared
 * memory instead, and the dense kernels share their larger products with the helper
 * (denseHelper.ts).
 */
export interface WasmGemm {
  /** The module's memory as doubles; replaced when the memory grows. */
  f64: Float64Array;
  /** Grows the memory to hold at least `doubles` doubles. */
  ensure(doubles: number): void;
  /** macroKernel of wasm/gemm.ts; pa, pb, out are byte offsets. */
  macro(mc: number, n: number, kc: number, pa: number, pb: number, out: number, lower: number, i0: number, jEnd: number): void;
  /** wasm/dense.ts on the lower triangle stored by block columns at byte offset a, workspace at byte offset ws. */
  potrf(n: number, a: number, ws: number): number;
  trtri(n: number, a: number, ws: number): void;
  potri(n: number, a: number, ws: number): void;
  /** Doubles of that storage, and of the workspace, for order n (wasm/blockColumns.ts). */
  storage(n: number): number;
  workspace(n: number): number;
  /** Index in doubles of element [0, j] in that storage: element [i, j] (i >= j) is at column(n, j) + i. */
  column(n: number, j: number): number;
  /** C = W B, W symmetric by its lower triangle in that storage at byte offset a, B and C n x nb (wasm/dense.ts). */
  symmProduct(n: number, a: number, nb: number, b: number, c: number, ws: number): void;
  symmWorkspace(n: number, nb: number): number;
  /**
   * wasm/pairs.ts on the lower triangle in that storage at byte offset a (pairSumsWasm.ts);
   * pointers are byte offsets; part `part` of `parts` (1 of 1: all of it).
   */
  squareUpdate(count: number, nl: number, pos: number, e0: number, rows: number, vals: number, dinv: number, sign: number, a: number, col: number, part: number, parts: number): void;
  quadratics(count: number, nl: number, pos: number, e0: number, rows: number, vals: number, dinv: number, q: number, a: number, col: number, part: number, parts: number): void;
  /** The helper thread's hand-over (denseHelper.ts) for the threaded build, else null. */
  helper: HelperCalls | null;
}

/** The parts of the WebAssembly API used here (not in the ES2022 lib; present in Node and browsers). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
};

let instance: WasmGemm | null | undefined;
/** Pages of the threaded build's shared memory at most (wasm/gemm.ts built with --maximumMemory). */
const MAX_PAGES = 32768;

/** The threaded build on a new shared memory, its imports calling the helper; null where that cannot be. */
function threaded(start: DenseHelperStarter): { exports: Record<string, unknown>; memory: WasmMemory; helper: HelperCalls } | null {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return null;
  try {
    const module = new WebAssembly.Module(decode(GEMM_THREADS_WASM_BASE64));
    const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
    const control = new Int32Array(new SharedArrayBuffer(CONTROL_LENGTH * 4));
    const helper = kernelImports({ module, memory, control }, start);
    return { exports: new WebAssembly.Instance(module, { env: { memory, ...helper } }).exports, memory, helper };
  } catch {
    return null;
  }
}

function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function create(): WasmGemm | null {
  if (typeof WebAssembly === 'undefined' || typeof atob !== 'function') return null;
  try {
    const start = denseHelperStarter();
    const shared = start !== null ? threaded(start) : null;
    const e = shared?.exports ?? new WebAssembly.Instance(new WebAssembly.Module(decode(GEMM_WASM_BASE64)), { env: { spawn: () => 1, join: () => 0 } }).exports;
    const memory = shared?.memory ?? (e.memory as WasmMemory);
    const w: WasmGemm = {
      f64: new Float64Array(memory.buffer),
      ensure(doubles: number): void {
        const need = Math.ceil((doubles * 8) / 65536) - memory.buffer.byteLength / 65536;
        if (need > 0) {
          memory.grow(need);
          w.f64 = new Float64Array(memory.buffer);
        }
      },
      macro: e.macroKernel as WasmGemm['macro'],
      potrf: e.potrf as WasmGemm['potrf'],
      trtri: e.trtri as WasmGemm['trtri'],
      potri: e.potri as WasmGemm['potri'],
      storage: e.storage as WasmGemm['storage'],
      workspace: e.workspace as WasmGemm['workspace'],
      column: e.column as WasmGemm['column'],
      symmProduct: e.symmProduct as WasmGemm['symmProduct'],
      symmWorkspace: e.symmWorkspace as WasmGemm['symmWorkspace'],
      squareUpdate: e.squareUpdate as WasmGemm['squareUpdate'],
      quadratics: e.quadratics as WasmGemm['quadratics'],
      helper: shared?.helper ?? null,
    };
    return w;
  } catch {
    return null;
  }
}

/** The kernel, or null when WebAssembly SIMD is not available here. */
export function wasmGemm(): WasmGemm | null {
  if (instance === undefined) instance = create();
  return instance;
}
