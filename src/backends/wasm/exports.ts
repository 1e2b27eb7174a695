/**
 * The raw exports of build/network.wasm (kernels/network/, one module per op family; each documents its formula,
 * the memory it reads and writes, and its work split). Addresses are byte offsets into the module's memory;
 * counts are elements. `…ScratchBytes` give the scratch block a kernel needs for given sizes, so the sizes are
 * defined once, in the kernel module.
 */
export interface NetworkExports {
  readonly memory: WebAssembly.Memory;
  readonly PEAK_FLOPS_PER_ITERATION: WebAssembly.Global;
  heapBase(): number;
  fillF32(ptr: number, n: number, value: number): void;
  addForward(a: number, b: number, y: number, n: number): void;
  batchNormScratchBytes(chans: number): number;
  batchNormForwardInference(
    x: number, gamma: number, beta: number, mean: number, variance: number, y: number, scratch: number,
    rows: number, chans: number, eps: number,
  ): void;
  concatPart(part: number, y: number, outer: number, width: number, inner: number, total: number, offset: number): void;
  conv1dCausalScratchBytes(cout: number, cin: number, taps: number): number;
  conv1dCausalForward(
    x: number, w: number, bias: number, y: number, scratch: number,
    batch: number, time: number, cin: number, cout: number, taps: number, dilation: number,
  ): void;
  conv2dScratchBytes(batch: number, time: number, freq: number, chans: number, kh: number, kw: number): number;
  conv2dForward(
    x: number, w: number, bias: number, y: number, scratch: number,
    batch: number, time: number, freq: number, chans: number, kh: number, kw: number,
  ): void;
  denseScratchBytes(cout: number, cin: number): number;
  denseForward(x: number, w: number, b: number, y: number, scratch: number, rows: number, cin: number, cout: number): void;
  denseForwardPerSample(x: number, w: number, b: number, y: number, batch: number, mid: number, cin: number): void;
  mulForward(a: number, b: number, y: number, n: number): void;
  mulForwardBroadcast(a: number, g: number, y: number, batch: number, mid: number, chans: number): void;
  reduceSumScratchBytes(inner: number): number;
  reduceSumForward(x: number, y: number, scratch: number, outer: number, mid: number, inner: number, scale: number): void;
  reluForward(x: number, y: number, n: number): void;
  reverseTimeForward(x: number, y: number, batch: number, time: number, row: number): void;
  sigmoidForward(x: number, y: number, n: number): void;
  weightedSumForward(g: number, w: number, z: number, batch: number, n: number, chans: number): void;
  /** 12 chains of f32x4 multiply-then-add, `iterations` times (kernels/network/peak.ts). */
  simdPeak(iterations: number): number;
}

/**
 * Compiles and instantiates build/network.wasm from its bytes: one instance, one memory, for one backend.
 * The module imports nothing.
 */
export async function instantiateNetwork(wasmBytes: Uint8Array): Promise<NetworkExports> {
  // compile + instantiate(module): the Module overload returns the Instance alone (as src/audio/mfcc-wasm.ts).
  const module = await WebAssembly.compile(wasmBytes as Uint8Array<ArrayBuffer>);
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as NetworkExports;
}
