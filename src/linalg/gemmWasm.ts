import { GEMM_WASM_BASE64 } from './gemmWasm.generated.js';

/**
 * The WebAssembly SIMD micro-kernel of rankUpdate.ts (source: wasm/gemm.ts,
 * AssemblyScript): the product of packed panels of A and B, 4 x 4 tiles of
 * f64x2 multiply-adds, written into the module's own memory. Instantiated
 * synchronously on first use (the module is under 1 KB); null where
 * WebAssembly or its SIMD is unavailable, and the callers use the JavaScript kernel.
 */
export interface WasmGemm {
  /** The module's memory as doubles; replaced when the memory grows. */
  f64: Float64Array;
  /** Grows the memory to hold at least `doubles` doubles. */
  ensure(doubles: number): void;
  /** macroKernel of wasm/gemm.ts; pa, pb, out are byte offsets. */
  macro(mc: number, n: number, kc: number, pa: number, pb: number, out: number, lower: number, i0: number, jEnd: number): void;
}

/** The parts of the WebAssembly API used here (not in the ES2022 lib; present in Node and browsers). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
};

let instance: WasmGemm | null | undefined;

function decode(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function create(): WasmGemm | null {
  if (typeof WebAssembly === 'undefined' || typeof atob !== 'function') return null;
  try {
    const inst = new WebAssembly.Instance(new WebAssembly.Module(decode(GEMM_WASM_BASE64)), {});
    const memory = inst.exports.memory as WasmMemory;
    const macro = inst.exports.macroKernel as WasmGemm['macro'];
    const w: WasmGemm = {
      f64: new Float64Array(memory.buffer),
      ensure(doubles: number): void {
        const need = Math.ceil((doubles * 8) / 65536) - memory.buffer.byteLength / 65536;
        if (need > 0) {
          memory.grow(need);
          w.f64 = new Float64Array(memory.buffer);
        }
      },
      macro,
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
