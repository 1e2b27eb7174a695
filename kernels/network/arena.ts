// arena.ts: the memory map of build/network.wasm, and the two helpers the host uses on it.
//
// The module owns no tensors: the host (src/backends/wasm/heap.ts) lays out linear memory above __heap_base and
// passes every kernel byte addresses. Nothing in the module allocates (runtime stub, no managed objects), and
// memory grows only when the host calls memory.grow, after which it re-creates its views.
//   region       offset                 length                 type  contents
//   static       0                      __heap_base            -     this module's constants (none are large)
//   PERSISTENT   heapBase()  (16-aligned) grows on demand      f32   uploads kept until dispose: parameters,
//                                                                    BatchNorm statistics, inputs of many steps
//   ARENA        end of PERSISTENT      up to memory's end     f32   kernel outputs, transient uploads and kernel
//                                                                    scratch (packed weights, padded images),
//                                                                    freed all at once by releaseTransients
//   SLACK        the last 64 bytes      64                     -     never allocated: a kernel may load a whole
//                                                                    f32x4 that starts inside a tensor and ends
//                                                                    past it (its extra lanes are masked off)
// Every block starts 64-aligned (a cache line), so a tensor's f32x4 loads never straddle one needlessly.
// No kernel keeps state in static memory: the worker threads' instances share this memory (src/backends/wasm/
// threads.ts), so anything static would be shared between kernels running at once. Locals and scratch only.
//
// Each kernel module's header names the regions it reads and writes as its arguments: x, w, … (inputs, read),
// y (output, written whole), scratch (an ARENA block of the size its `…ScratchBytes` export gives, written and read).

import { at, LANES } from './simd';

/** First byte the host may use: the static data ends below it. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Writes `value` to the n f32 at ptr (the host's poison and zero fills; f32x4 with a scalar tail). */
export function fillF32(ptr: usize, n: i32, value: f32): void {
  const v = f32x4.splat(value);
  let i = 0;
  for (; i + LANES <= n; i += LANES) v128.store(at(ptr, i), v);
  for (; i < n; i++) store<f32>(at(ptr, i), value);
}
